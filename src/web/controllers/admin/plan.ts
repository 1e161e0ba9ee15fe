// Admin > Plan: the current plan and trial, the plans side by side, changing plan (with a
// confirmation step), and the changes made so far.
import type { Em } from '../../../db/orm.js';
import { AuditEvent } from '../../../domain/audit/audit-event.js';
import { changePlan } from '../../../domain/tenant/change-plan.js';
import { featureNames, isPlan, limitNames, PLAN_ORDER, plans, type Limit } from '../../../domain/tenant/plans.js';
import type { Tenant } from '../../../domain/tenant/tenant.js';
import type { ShownErrors } from '../../action.js';
import { admin } from '../../action.js';
import { forgetTenant } from '../../middleware/tenant-cache.js';

async function history(em: Em) {
  return em.find(AuditEvent, { action: { $in: ['tenant.plan_changed', 'tenant.trial_ended'] } }, { orderBy: { id: 'desc' }, limit: 20 });
}

const page = async (em: Em, tenant: Tenant, errors: ShownErrors = {}) => ({
  plans: PLAN_ORDER.map((name) => plans[name]), featureNames, limitNames,
  allFeatures: Object.keys(featureNames), trialEndsAt: tenant.trialEndsAt, trialOver: tenant.trialEndsAt.getTime() <= Date.now(),
  changes: await history(em), errors,
});

async function usage(em: Em): Promise<Record<Limit, number>> {
  return { technicians: await em.count('Technician', { active: true }), mailboxes: await em.count('Mailbox', {}) };
}

export const show = admin(async ({ em, tenant, reply, t }) => {
  await reply.render('admin/plan/show', { title: t('admin.plan.title'), ...(await page(em, tenant)) });
});

export const update = admin(async ({ em, tenant, reply, body, form, t }) => {
  // The first step only asks: what changes, and what the other plan's limits mean for what is here.
  if (body.confirm !== 'yes' && isPlan(body.plan) && body.plan !== tenant.plan) {
    const to = plans[body.plan];
    const used = await usage(em);
    const overLimits = (Object.keys(used) as Limit[]).filter((limit) => used[limit] > to.limits[limit])
      .map((limit) => ({ count: used[limit], what: limitNames[limit], limit: to.limits[limit] }));
    return reply.render('admin/plan/confirm', { title: t('admin.plan.confirm.title'), from: plans[tenant.plan], to, overLimits });
  }
  await form(async (em) => {
    await changePlan(em, tenant, body.plan);
    forgetTenant(tenant.slug);
    reply.flash(t('admin.plan.changed', { plan: t(plans[tenant.plan].labelKey) }));
    reply.redirect('/admin/plan');
  }, async (errors) => reply.render('admin/plan/show', { title: t('admin.plan.title'), ...(await page(em, tenant, errors)) }, 422));
});
