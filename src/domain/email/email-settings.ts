import { EntitySchema, type Opt } from '@mikro-orm/core';
import { tenantOwned } from '../../db/tenant-owned.js';
import type { Tenant } from '../tenant/tenant.js';
import type { Terms } from '../tenant/terms.js';
import type { EmailTemplate } from './email-template.js';

/** A tenant's email settings (one row per tenant, created with the tenant). */
export class EmailSettings {
  id!: number;
  tenant!: Tenant;
  /** Mail from an address no contact has creates a contact (used by the mailbox ingest). */
  autoCreateContacts: Opt<boolean> = false;
  /** A contact created by hand or from email receives `welcomeTemplate` once. */
  sendWelcomeEmail: Opt<boolean> = false;
  welcomeTemplate?: EmailTemplate | null = null;
  /** Sent for a reset link (forgot password, or a technician's reset). */
  resetTemplate?: EmailTemplate | null = null;
  /** Automated mail (alerts, notifications) makes tickets; it is never answered automatically. */
  ticketsFromAutomatedMail: Opt<boolean> = true;
  /** A reply by email to a closed ticket reopens it (a resolved one always reopens). */
  reopenClosedOnReply: Opt<boolean> = true;
  updatedAt: Opt<Date> = new Date();
}

export const EmailSettingsSchema = new EntitySchema<EmailSettings>(tenantOwned({
  class: EmailSettings,
  tableName: 'email_settings',
  properties: {
    id: { type: 'number', primary: true },
    autoCreateContacts: { type: 'boolean' },
    sendWelcomeEmail: { type: 'boolean' },
    welcomeTemplate: { kind: 'm:1', entity: 'EmailTemplate', nullable: true },
    resetTemplate: { kind: 'm:1', entity: 'EmailTemplate', nullable: true },
    ticketsFromAutomatedMail: { type: 'boolean' },
    reopenClosedOnReply: { type: 'boolean' },
    updatedAt: { type: 'Date' },
  },
}));

/**
 * The settings that name a template, with where the Email Templates list says it is used:
 * a catalogue key (emailSettings.templateUses), put in words by the screen that shows it.
 */
export const TEMPLATE_SETTINGS = [
  { field: 'welcomeTemplate', label: (_terms?: Terms): string => 'emailSettings.templateUses.welcome' },
  { field: 'resetTemplate', label: (_terms?: Terms): string => 'emailSettings.templateUses.reset' },
] as const;
export type TemplateSettingField = (typeof TEMPLATE_SETTINGS)[number]['field'];
