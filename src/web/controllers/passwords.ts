// A technician's password from a link: Forgot password? on /login asks for one (the same
// answer whether or not the address is a technician's: src/web/password-reset-requests.ts),
// and the link — an invitation or a reset — sets it.
import { findLiveToken } from '../../domain/technician/tokens.js';
import { setPasswordWithToken } from '../../domain/technician/technicians.js';
import { open } from '../action.js';
import { speakAs } from '../middleware/language.js';
import { askForPasswordReset } from '../password-reset-requests.js';
import type { Em } from '../../db/orm.js';
import type { Request, Response } from 'express';

export const newRequest = open(async ({ reply, t }) => {
  await reply.render('passwords/forgot', { title: t('auth.forgot.title'), email: '', errors: {} });
});

export const createRequest = open(async (ctx) => {
  const { reply, t } = ctx;
  const asked = await askForPasswordReset(ctx, 'technician');
  const { email } = asked;
  if (asked.outcome === 'missing') {
    reply.rollback();
    return reply.render('passwords/forgot', { title: t('auth.forgot.title'), email, errors: { email: t('auth.forgot.emailRequired') } }, 422);
  }
  if (asked.outcome === 'wait') {
    return reply.render('passwords/forgot', { title: t('auth.forgot.title'), email, errors: { email: t('auth.forgot.tooMany', { count: asked.minutes }) } }, 429);
  }
  await reply.render('passwords/requested', { title: t('auth.forgot.requested.title'), email });
});

/** The link's page speaks its technician's own language, as the email that brought them here did. */
async function liveToken(em: Em, req: Request, res: Response, token: string) {
  const live = (await findLiveToken(em, token, 'invite')) ?? (await findLiveToken(em, token, 'reset'));
  if (live?.technician) speakAs(req, res, live.technician.language);
  return live;
}

export const edit = open(async (ctx) => {
  const { em, req, res, reply } = ctx;
  const token = String(req.params.token);
  const live = await liveToken(em, req, res, token);
  const { t } = ctx;
  if (!live) return reply.render('passwords/expired', { title: t('auth.expired.title') }, 410);
  await reply.render('passwords/edit', { title: t('auth.setPassword.title'), token, errors: {}, name: live.technician?.name });
});

export const update = open(async (ctx) => {
  const { req, res, reply, tenant, body, form, em } = ctx;
  const token = String(req.params.token);
  await liveToken(em, req, res, token);
  const { t } = ctx;
  await form(async (em) => {
    await setPasswordWithToken(em, tenant, token, String(body.password ?? ''), String(body.confirmation ?? ''));
    reply.flash(t('auth.setPassword.done'));
    reply.redirect('/login');
  }, (errors) => (errors.token
    ? reply.render('passwords/expired', { title: t('auth.expired.title') }, 410)
    : reply.render('passwords/edit', { title: t('auth.setPassword.title'), token, errors }, 422)));
});
