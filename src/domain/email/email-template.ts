import { EntitySchema, type Opt } from '@mikro-orm/core';
import { tenantOwned } from '../../db/tenant-owned.js';
import type { Tenant } from '../tenant/tenant.js';

/** A subject and body with `{[Snippet]}` placeholders, sent to a contact. */
export class EmailTemplate {
  id!: number;
  tenant!: Tenant;
  name!: string;
  subject!: string;
  body!: string;
  /** The notification whose shipped text this still is (sent in each recipient's language: notification/shipped.ts); null once edited. */
  shipped?: string | null = null;
  createdAt: Opt<Date> = new Date();
  updatedAt: Opt<Date> = new Date();
}

export const EmailTemplateSchema = new EntitySchema<EmailTemplate>(tenantOwned({
  class: EmailTemplate,
  tableName: 'email_templates',
  properties: {
    id: { type: 'number', primary: true },
    name: { type: 'string' },
    subject: { type: 'string' },
    body: { type: 'text' },
    shipped: { type: 'string', nullable: true },
    createdAt: { type: 'Date' },
    updatedAt: { type: 'Date' },
  },
}));
