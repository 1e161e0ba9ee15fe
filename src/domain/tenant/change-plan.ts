// An admin changes plan (no payment provider: the change is recorded and audited).
// Downgrading keeps every record; Enterprise-only data stays stored, unused.
import { lockForChange } from '../../db/locks.js';
import type { Em } from '../../db/orm.js';
import { ValidationError } from '../../lib/validation.js';
import { audit } from '../audit/audit-event.js';
import { isPlan, plans } from './plans.js';
import { Tenant } from './tenant.js';

export async function changePlan(em: Em, tenant: Tenant, plan: unknown): Promise<void> {
  if (!isPlan(plan)) throw new ValidationError({ plan: 'admin.plan.choose' });
  // Two changes at once take turns; each reads the plan the other left (the tenant row is cached per request).
  await lockForChange(em, Tenant, { id: tenant.id });
  await em.refresh(tenant);
  if (plan === tenant.plan) return;
  const from = tenant.plan;
  tenant.plan = plan;
  audit(em, tenant, 'tenant.plan_changed', { type: 'tenant', id: tenant.id }, { from, to: plan, label: plans[plan].label });
  await em.flush();
}
