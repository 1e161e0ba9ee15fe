import { AuditEvent } from '../../../domain/audit/audit-event.js';
import { changePlan } from '../../../domain/tenant/change-plan.js';
import { plans } from '../../../domain/tenant/plans.js';
import { admin } from '../../action.js';
import { forgetTenant } from '../../middleware/tenant-cache.js';

const featureNames: Record<string, string> = { manage_domains: 'Manage Domains (assign new contacts to customers by email domain)' };

async function history(em: Parameters<Parameters<typeof admin>[0]>[0]['em']) {
  return em.find(AuditEvent, { action: 'tenant.plan_changed' }, { orderBy: { id: 'desc' }, limit: 20 });
}

export const show = admin(async ({ em, reply, req }) => {
  await reply.render('admin/plan/show', { title: 'Plan', plans: Object.values(plans), featureNames, changes: await history(em), errors: {} });
});

export const update = admin(async ({ em, tenant, reply, body, form }) => {
  await form(async (em) => {
    await changePlan(em, tenant, body.plan);
    forgetTenant(tenant.slug);
    reply.flash(`Your plan is now ${plans[tenant.plan].label}.`);
    reply.redirect('/admin/plan');
  }, async (errors) => reply.render('admin/plan/show', { title: 'Plan', plans: Object.values(plans), featureNames, changes: await history(em), errors }, 422));
});
