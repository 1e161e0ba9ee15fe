import { EntitySchema, type Opt } from '@mikro-orm/core';
import { tenantOwned } from '../../db/tenant-owned.js';
import type { Language } from '../../i18n/languages.js';
import type { Tenant } from '../tenant/tenant.js';

export type TechnicianRole = 'admin' | 'technician';

export class Technician {
  id!: number;
  tenant!: Tenant;
  email!: string;
  /** lower(email), kept by PostgreSQL (a generated column): what a sign-in looks the technician up by (migration 0048). */
  emailKey?: Opt<string>;
  name!: string;
  role: Opt<TechnicianRole> = 'technician';
  passwordHash?: string | null = null;
  active: Opt<boolean> = true;
  /** Their own language; null: the workspace's. */
  language?: Language | null = null;
  /** Their own time zone (an IANA name); null: the workspace's. */
  timeZone?: string | null = null;
  lastLoginAt?: Date | null = null;
  createdAt: Opt<Date> = new Date();
}

export const TechnicianSchema = new EntitySchema<Technician>(tenantOwned({
  class: Technician,
  tableName: 'technicians',
  properties: {
    id: { type: 'number', primary: true },
    email: { type: 'string' },
    emailKey: { type: 'string', fieldName: 'email_key', generated: '(lower(email)) stored' },
    name: { type: 'string' },
    role: { type: 'string' },
    passwordHash: { type: 'string', nullable: true, hidden: true, lazy: false },
    active: { type: 'boolean' },
    language: { type: 'string', nullable: true },
    timeZone: { type: 'string', nullable: true },
    lastLoginAt: { type: 'Date', nullable: true },
    createdAt: { type: 'Date' },
  },
}));
