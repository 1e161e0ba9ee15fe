// A technician sets a password from an invitation (or reset) link.
import { findLiveToken } from '../../domain/technician/tokens.js';
import { setPasswordWithToken } from '../../domain/technician/technicians.js';
import { open } from '../action.js';

export const edit = open(async ({ em, req, reply, t }) => {
  const token = String(req.params.token);
  const live = (await findLiveToken(em, token, 'invite')) ?? (await findLiveToken(em, token, 'reset'));
  if (!live) return reply.render('passwords/expired', { title: t('auth.expired.title') }, 410);
  await reply.render('passwords/edit', { title: t('auth.setPassword.title'), token, errors: {}, name: live.technician?.name });
});

export const update = open(async ({ req, reply, tenant, body, form, t }) => {
  const token = String(req.params.token);
  await form(async (em) => {
    await setPasswordWithToken(em, tenant, token, String(body.password ?? ''), String(body.confirmation ?? ''));
    reply.flash(t('auth.setPassword.done'));
    reply.redirect('/login');
  }, (errors) => (errors.token
    ? reply.render('passwords/expired', { title: t('auth.expired.title') }, 410)
    : reply.render('passwords/edit', { title: t('auth.setPassword.title'), token, errors }, 422)));
});
