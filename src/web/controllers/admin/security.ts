// Admin > Security: require two-factor sign-in for every technician.
import type { Em } from '../../../db/orm.js';
import { Technician } from '../../../domain/technician/technician.js';
import { SecondFactor } from '../../../domain/technician/second-factor.js';
import { hasSecondFactor } from '../../../domain/technician/two-factor.js';
import { requireSecondFactor } from '../../../domain/tenant/security.js';
import { admin, ENROL_SECOND_FACTOR_PATH } from '../../action.js';
import { forgetTenant } from '../../middleware/tenant-cache.js';

async function technicians(em: Em) {
  const [all, factors] = await Promise.all([
    em.find(Technician, { active: true }, { orderBy: { name: 'asc' }, fields: ['id', 'name', 'email'] }),
    em.find(SecondFactor, { confirmedAt: { $ne: null } }, { fields: ['id', 'technician'] }),
  ]);
  const enrolled = new Set(factors.map((f) => f.technician.id));
  return all.map((t) => ({ id: t.id, name: t.name, email: t.email, enrolled: enrolled.has(t.id) }));
}

export const show = admin(async ({ em, tenant, reply, t }) => {
  await reply.render('admin/security/show', { title: t('admin.security.title'), required: tenant.requireSecondFactor, technicians: await technicians(em) });
});

export const update = admin(async ({ em, sql, me, tenant, reply, body, t }) => {
  const required = body.require_second_factor === 'on';
  await requireSecondFactor(em, tenant, required);
  forgetTenant(tenant.slug);
  reply.flash(required ? t('admin.security.required') : t('admin.security.optional'));
  // An admin without it is among them: straight to the enrolment page, where the message is shown.
  reply.redirect(required && !(await hasSecondFactor(sql, me.id)) ? ENROL_SECOND_FACTOR_PATH : '/admin/security');
});
