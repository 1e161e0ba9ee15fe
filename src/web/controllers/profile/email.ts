// A technician's email: GET/POST /profile/email asks for a change (nothing changes yet:
// a link goes to the new address, the current one is told); GET/POST /profile/email/:token
// is that link — a page with a button, so a mail scanner opening it changes nothing. The
// link works in any browser, signed in or not: the token is the proof.
import { confirmEmailChange, findLiveEmailChange, requestEmailChange } from '../../../domain/technician/profile.js';
import { open, sessionUser, technician } from '../../action.js';
import { speakAs } from '../../middleware/language.js';

export const edit = technician(async ({ reply, t, technician: me }) => {
  await reply.render('profile/email', { title: t('profile.email.title'), current: me.email, email: '', errors: {} });
});

export const create = technician(async (ctx) => {
  const { reply, t } = ctx;
  await ctx.form(async (em) => {
    const email = await requestEmailChange(em, ctx.tenant, ctx.technician, ctx.body);
    reply.flash(t('profile.email.sent', { email }));
    reply.redirect('/profile');
  }, (errors) => reply.render('profile/email', { title: t('profile.email.title'), current: ctx.technician.email, email: String(ctx.body.email ?? ''), errors }, 422));
});

export const show = open(async (ctx) => {
  const { em, req, res, reply } = ctx;
  const token = String(req.params.token);
  const live = await findLiveEmailChange(em, token);
  if (live?.technician) speakAs(req, res, live.technician.language);
  const { t } = ctx;
  if (!live) return reply.render('profile/email-expired', { title: t('profile.email.expired.title'), reason: t('profile.email.expired.body') }, 410);
  await reply.render('profile/email-confirm', { title: t('profile.email.confirm.title'), token, email: live.newEmail, name: live.technician!.name });
});

export const confirm = open(async (ctx) => {
  const { em, req, res, reply } = ctx;
  const token = String(req.params.token);
  const live = await findLiveEmailChange(em, token);
  if (live?.technician) speakAs(req, res, live.technician.language);
  const { t } = ctx;
  await ctx.form(async (em) => {
    const changed = await confirmEmailChange(em, ctx.tenant, token);
    reply.flash(t('profile.email.changed', { email: changed.email }));
    reply.redirect(sessionUser(req, 'technician')?.id === changed.id ? '/profile' : '/login');
  }, (errors) => reply.render('profile/email-expired', { title: t('profile.email.expired.title'), reason: errors.token ?? t('profile.email.expired.body') }, 410));
});
