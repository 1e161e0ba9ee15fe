// What every new tenant starts with. Each aggregate that ships defaults (the
// "Unassigned" customer, email templates, quick replies, rules) adds its step here.
import type { Em } from '../../db/orm.js';
import { createDefaultCustomer } from '../customer/defaults.js';
import { createDefaultEmailTemplates } from '../email/defaults.js';
import { createDefaultRules } from '../rule/defaults.js';
import { createDefaultNotifications } from '../notification/settings.js';
import type { Tenant } from './tenant.js';

type Setup = (em: Em, tenant: Tenant) => Promise<void>;

const steps: Setup[] = [
  createDefaultCustomer,
  createDefaultEmailTemplates,
  createDefaultRules,
  createDefaultNotifications,
];

export async function setUpNewTenant(em: Em, tenant: Tenant): Promise<void> {
  for (const step of steps) await step(em, tenant);
}
