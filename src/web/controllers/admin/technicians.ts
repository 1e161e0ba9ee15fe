// Admin > Technicians: the list (each row opens the technician: role, status, last
// sign-in, open tickets assigned), inviting one, and one technician's page, where an
// admin changes their access (the state changes are sub-resources, in technicians/).
import type { Em } from '../../../db/orm.js';
import { statusOf } from '../../../domain/technician/administration.js';
import { Technician } from '../../../domain/technician/technician.js';
import { inviteTechnician } from '../../../domain/technician/technicians.js';
import { listTechnicians, openTicketsOf, openTicketsPath } from '../../../domain/technician/lists.js';
import { secondFactorOf } from '../../../domain/technician/two-factor.js';
import type { T } from '../../../i18n/translate.js';
import { admin, idParam, type ShownErrors, type TechnicianCtx } from '../../action.js';

export const index = admin(async ({ sql, reply, t }) => {
  const technicians = await listTechnicians(sql);
  await reply.render('admin/technicians/index', { title: t('admin.technicians.title'), technicians, openTicketsPath, values: { role: 'technician' }, errors: {} });
});

export const create = admin(async ({ sql, reply, tenant, body, form, t }) => {
  await form(async (em) => {
    const invited = await inviteTechnician(em, tenant, body);
    reply.flash(t('admin.technicians.flash.invited', { name: invited.name }));
    reply.redirect('/admin/technicians');
  }, async (errors) => {
    const technicians = await listTechnicians(sql);
    await reply.render('admin/technicians/index', { title: t('admin.technicians.title'), technicians, openTicketsPath, values: body, errors }, 422);
  });
});

/** The technician of the route's :id, through the tenant, or NotFound. */
export async function technicianOf(ctx: TechnicianCtx): Promise<Technician> {
  return ctx.em.findOneOrFail(Technician, { id: idParam(ctx.req) });
}

async function showPage(ctx: TechnicianCtx, technician: Technician, errors: ShownErrors = {}, status = 200): Promise<void> {
  const factor = await secondFactorOf(ctx.em, technician);
  await ctx.reply.render('admin/technicians/show', {
    // `person`, not `technician`: the layout's `technician` is the one signed in.
    title: technician.name, person: technician, status: statusOf(technician), isMe: technician.id === ctx.me.id,
    secondFactorOn: Boolean(factor?.confirmedAt), errors,
    openTickets: await openTicketsOf(ctx.sql, technician.id), openTicketsPath: openTicketsPath(technician.id),
  }, status);
}

export const show = admin(async (ctx) => showPage(ctx, await technicianOf(ctx)));

/**
 * One state change of a technician: load through the tenant, run the verb, go back
 * to their page with what happened (`done`: in the reader's words), or show why it was
 * refused (422, nothing changed).
 */
export function technicianChange(verb: (em: Em, ctx: TechnicianCtx, technician: Technician) => Promise<unknown>, done: (technician: Technician, t: T) => string) {
  return admin(async (ctx) => {
    const technician = await technicianOf(ctx);
    await ctx.form(async (em) => {
      await verb(em, ctx, technician);
      ctx.reply.flash(done(technician, ctx.t));
      ctx.reply.redirect(`/admin/technicians/${technician.id}`);
    }, (errors) => showPage(ctx, technician, errors, 422));
  });
}
