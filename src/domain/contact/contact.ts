import { EntitySchema, type Opt } from '@mikro-orm/core';
import { tenantOwned } from '../../db/tenant-owned.js';
import type { Language } from '../../i18n/languages.js';
import type { Customer } from '../customer/customer.js';
import type { Tenant } from '../tenant/tenant.js';

export type ContactSource = 'manual' | 'email' | 'csv' | 'azure_ad';

/** A person who uses the portal (a Contact for MSPs, a User for IT departments). */
export class Contact {
  id!: number;
  tenant!: Tenant;
  customer!: Customer;
  /** Stored lower-case; unique per tenant. */
  email!: string;
  firstName: Opt<string> = '';
  lastName: Opt<string> = '';
  phone: Opt<string> = '';
  isMain: Opt<boolean> = false;
  portalAccess: Opt<boolean> = false;
  passwordHash?: string | null = null;
  mustChangePassword: Opt<boolean> = false;
  /** Bumped when the password changes: sessions of an older generation end. */
  passwordChangedAt?: Date | null = null;
  noAutoTickets: Opt<boolean> = false;
  undeliverableUntil?: Date | null = null;
  source: Opt<ContactSource> = 'manual';
  /** Their own language; null: the workspace's. */
  language?: Language | null = null;
  lastLoginAt?: Date | null = null;
  createdAt: Opt<Date> = new Date();

  get fullName(): Opt<string> {
    return fullName(this);
  }
}

/** How a contact is named everywhere: first and last name, or the email when both are empty. */
export function fullName(person: { firstName: string; lastName: string; email: string }): string {
  return `${person.firstName} ${person.lastName}`.trim() || person.email;
}

export const ContactSchema = new EntitySchema<Contact>(tenantOwned({
  class: Contact,
  tableName: 'contacts',
  properties: {
    id: { type: 'number', primary: true },
    customer: { kind: 'm:1', entity: 'Customer' },
    email: { type: 'string' },
    firstName: { type: 'string' },
    lastName: { type: 'string' },
    phone: { type: 'string' },
    isMain: { type: 'boolean' },
    portalAccess: { type: 'boolean' },
    passwordHash: { type: 'string', nullable: true, hidden: true },
    mustChangePassword: { type: 'boolean' },
    passwordChangedAt: { type: 'Date', nullable: true },
    noAutoTickets: { type: 'boolean' },
    undeliverableUntil: { type: 'Date', nullable: true },
    source: { type: 'string' },
    language: { type: 'string', nullable: true },
    lastLoginAt: { type: 'Date', nullable: true },
    createdAt: { type: 'Date' },
    fullName: { type: 'string', persist: false, getter: true },
  },
}));
