// A trial ends without a payment provider: the workspace stays on the plan it chose, and that
// is recorded once — by the first request or job that sees the trial over. Cheap: callers ask
// `trialEndUnnoted` of the row they already hold (no query); only then one conditional update
// decides, among requests and jobs racing, the one that writes the audit event. A workspace
// nobody visits is noted by the hourly job (jobs/note-trial-ends.ts), from `endedTrialsUnnoted`.
import { globalEm, inTenant } from '../../db/unit-of-work.js';
import { audit } from '../audit/audit-event.js';
import { plans } from './plans.js';
import { Tenant } from './tenant.js';

export function trialEndUnnoted(tenant: Pick<Tenant, 'trialEndsAt' | 'trialEndNotedAt'>, now = new Date()): boolean {
  return !tenant.trialEndNotedAt && tenant.trialEndsAt.getTime() <= now.getTime();
}

/** Records the trial's end once (true if this call did it). */
export async function noteTrialEnd(tenantId: number): Promise<boolean> {
  return inTenant(tenantId, async (em) => {
    const rows = await em.execute<{ plan: string }[]>(
      'update tenants set trial_end_noted_at = now() where id = ? and trial_end_noted_at is null and trial_ends_at <= now() returning plan', [tenantId]);
    if (rows.length === 0) return false;
    const tenant = em.getReference(Tenant, tenantId);
    const plan = rows[0].plan as keyof typeof plans;
    audit(em, tenant, 'tenant.trial_ended', { type: 'tenant', id: tenantId }, { plan, label: plans[plan]?.label ?? plan });
    await em.flush();
    return true;
  }, { kind: 'system' });
}

/** The workspaces whose trial is over and not yet noted (ids only: the tenants table is no tenant's, read without RLS). */
export async function endedTrialsUnnoted(now = new Date()): Promise<number[]> {
  const rows = await globalEm().find(Tenant, { trialEndNotedAt: null, trialEndsAt: { $lte: now } }, { fields: ['id'], orderBy: { id: 'asc' } });
  return rows.map((t) => t.id);
}
