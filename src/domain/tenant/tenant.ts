import { EntitySchema, type Opt } from '@mikro-orm/core';
import type { Edition } from './terms.js';
import type { PlanName } from './plans.js';
import type { Language } from '../../i18n/languages.js';

export class Tenant {
  id!: number;
  slug!: string;
  name!: string;
  edition!: Edition;
  plan!: PlanName;
  trialEndsAt!: Date;
  /** When a request or job first saw the trial over (and audited it); null until then. */
  trialEndNotedAt: Opt<Date> | null = null;
  nextTicketNumber: Opt<number> = 1001;
  /** Admin > Security: every technician signs in with a second factor. */
  requireSecondFactor: Opt<boolean> = false;
  /** What its screens and emails speak (a technician or contact may have their own). */
  language: Opt<Language> = 'en';
  /** IANA name; dates are shown in it, stored in UTC. */
  timeZone: Opt<string> = 'UTC';
  createdAt: Opt<Date> = new Date();
}

export const TenantSchema = new EntitySchema<Tenant>({
  class: Tenant,
  tableName: 'tenants',
  properties: {
    id: { type: 'number', primary: true },
    slug: { type: 'string', unique: true },
    name: { type: 'string' },
    edition: { type: 'string' },
    plan: { type: 'string' },
    trialEndsAt: { type: 'Date' },
    trialEndNotedAt: { type: 'Date', nullable: true },
    nextTicketNumber: { type: 'number' },
    requireSecondFactor: { type: 'boolean' },
    language: { type: 'string' },
    timeZone: { type: 'string' },
    createdAt: { type: 'Date' },
  },
});
