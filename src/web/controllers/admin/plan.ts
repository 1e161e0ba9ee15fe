// Admin > Plan: the plans on offer, changing plan, and the changes made so far.
import type { Em } from '../../../db/orm.js';
import { AuditEvent } from '../../../domain/audit/audit-event.js';
import { changePlan } from '../../../domain/tenant/change-plan.js';
import { featureNames, plans } from '../../../domain/tenant/plans.js';
import type { ShownErrors } from '../../action.js';
import { admin } from '../../action.js';
import { forgetTenant } from '../../middleware/tenant-cache.js';

async function history(em: Em) {
  return em.find(AuditEvent, { action: 'tenant.plan_changed' }, { orderBy: { id: 'desc' }, limit: 20 });
}

const page = async (em: Em, errors: ShownErrors = {}) =>
  ({ plans: Object.values(plans), featureNames, changes: await history(em), errors });

export const show = admin(async ({ em, reply, t }) => {
  await reply.render('admin/plan/show', { title: t('admin.plan.title'), ...(await page(em)) });
});

export const update = admin(async ({ em, tenant, reply, body, form, t }) => {
  await form(async (em) => {
    await changePlan(em, tenant, body.plan);
    forgetTenant(tenant.slug);
    reply.flash(t('admin.plan.changed', { plan: t(plans[tenant.plan].labelKey) }));
    reply.redirect('/admin/plan');
  }, async (errors) => reply.render('admin/plan/show', { title: t('admin.plan.title'), ...(await page(em, errors)) }, 422));
});
