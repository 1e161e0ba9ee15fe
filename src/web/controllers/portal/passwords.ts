// Forgot password and the reset link: the same answer, in the same time, whether
// the address exists or not (the lookup and the email are a job, after the answer),
// rate-limited per address and per client; a completed reset ends the contact's
// other sessions (setContactPassword bumps passwordChangedAt).
import { findLiveContactToken, setPasswordWithContactToken } from '../../../domain/contact/portal-credentials.js';
import { shownErrors, ValidationError } from '../../../lib/validation.js';
import { portalOpen } from '../../action.js';
import { askForPasswordReset } from '../../password-reset-requests.js';
import { speakAs } from '../../middleware/language.js';
import type { Em } from '../../../db/orm.js';
import type { Request, Response } from 'express';

/** The link's page speaks its contact's own language, as the email that brought them here did. */
async function speakToTokenOwner(em: Em, req: Request, res: Response, token: string): Promise<void> {
  const live = await findLiveContactToken(em, token);
  if (live?.contact) speakAs(req, res, live.contact.language);
}

export const newRequest = portalOpen(async ({ reply, t }) => {
  await reply.render('portal/passwords/forgot', { title: t('portal.passwords.forgot.title'), email: '', errors: {} });
});

export const createRequest = portalOpen(async (ctx) => {
  const { reply, t } = ctx;
  const asked = await askForPasswordReset(ctx, 'contact');
  const { email } = asked;
  if (asked.outcome === 'missing') {
    reply.rollback();
    return reply.render('portal/passwords/forgot', { title: t('portal.passwords.forgot.title'), email, errors: { email: t('portal.passwords.forgot.emailRequired') } }, 422);
  }
  if (asked.outcome === 'wait') {
    return reply.render('portal/passwords/forgot', {
      title: t('portal.passwords.forgot.title'), email, errors: { email: t('portal.passwords.forgot.tooMany', { count: asked.minutes }) },
    }, 429);
  }
  await reply.render('portal/passwords/requested', { title: t('portal.passwords.requested.title'), email });
});

export const edit = portalOpen(async (ctx) => {
  const { em, req, res, reply } = ctx;
  const token = String(req.params.token);
  await speakToTokenOwner(em, req, res, token);
  const { t } = ctx;
  if (!(await findLiveContactToken(em, token))) return reply.render('portal/passwords/expired', { title: t('portal.passwords.expired.title') }, 410);
  reply.headers['Cache-Control'] = 'no-store';
  await reply.render('portal/passwords/reset', { title: t('portal.passwords.reset.title'), token, errors: {} });
});

export const update = portalOpen(async (ctx) => {
  const { em, tenant, req, res, reply, body } = ctx;
  const token = String(req.params.token);
  await speakToTokenOwner(em, req, res, token);
  const { t } = ctx;
  try {
    await setPasswordWithContactToken(em, tenant, token, body);
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    reply.rollback(); // the verb failed: nothing it wrote is kept
    if (error.errors.token) return reply.render('portal/passwords/expired', { title: t('portal.passwords.expired.title') }, 410);
    return reply.render('portal/passwords/reset', { title: t('portal.passwords.reset.title'), token, errors: shownErrors(t, error.errors) }, 422);
  }
  reply.flash(t('portal.passwords.reset.done'));
  reply.redirect('/portal/login');
});
