// GET/POST /profile/password: a technician changes their own password. The current one
// is asked for; every other session of theirs ends, this one carries on.
import { changeTechnicianPassword } from '../../../domain/technician/profile.js';
import { technician } from '../../action.js';

export const edit = technician(async ({ reply, t }) => {
  await reply.render('profile/password', { title: t('profile.password.title'), errors: {} });
});

export const update = technician(async (ctx) => {
  const { reply, t } = ctx;
  await ctx.form(async (em) => {
    const ended = await changeTechnicianPassword(em, ctx.tenant, ctx.technician, ctx.body, ctx.req.sessionID);
    reply.flash(t('profile.password.changed', { count: ended }));
    reply.redirect('/profile');
  }, (errors) => reply.render('profile/password', { title: t('profile.password.title'), errors }, 422));
});
