// A plan's limits, enforced where they bite (inviting a technician, adding a mailbox): the
// workspace row is locked before counting, so two requests adding at once take turns and
// the second counts what the first added — both cannot pass. The lock also waits for a plan
// change under way (change-plan.ts takes the same one), so the count meets the plan it is for.
import { lockForChange } from '../../db/locks.js';
import type { Em } from '../../db/orm.js';
import type { Message } from '../../lib/validation.js';
import { limitReached, type Limit } from './plans.js';
import { Tenant } from './tenant.js';

/** Locks the workspace and counts `limit`'s records; the refusal when one more is too many, or undefined. */
export async function checkPlanLimit(em: Em, tenant: Tenant, limit: Limit): Promise<Message | undefined> {
  await lockForChange(em, Tenant, { id: tenant.id });
  await em.refresh(tenant);
  const count = limit === 'technicians'
    ? await em.count('Technician', { active: true })
    : await em.count('Mailbox', {});
  return limitReached(tenant, limit, count);
}
