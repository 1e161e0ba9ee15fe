// The unlock link emailed when an account goes over its sign-in limit. Opening it
// changes nothing (mail scanners open links); the button clears the account's
// sign-in limits and trusts this browser for it.
import type { RequestHandler } from 'express';
import { findLiveUnlock, signInPath, unlockSignIn, type SignInForm } from '../../domain/sign-in/unlock.js';
import { open, portalOpen } from '../action.js';
import { loginLimiter } from '../rate-limits.js';
import { trustDevice } from '../trusted-device.js';
import type { T } from '../../i18n/translate.js';

function unlockPages(form: SignInForm, action: typeof open): { show: RequestHandler; create: RequestHandler } {
  const expired = (t: T) => ({ title: t('auth.expired.title'), signIn: signInPath(form) });
  return {
    show: action(async ({ em, req, reply, t }) => {
      const token = String(req.params.token);
      if (!(await findLiveUnlock(em, form, token))) return reply.render('sessions/unlock-expired', expired(t), 410);
      await reply.render('sessions/unlock', { title: t('auth.unlock.title'), action: req.path });
    }),
    create: action(async ({ em, tenant, req, res, reply, t }) => {
      const email = await unlockSignIn(em, tenant, form, String(req.params.token));
      if (!email) return reply.render('sessions/unlock-expired', expired(t), 410);
      await loginLimiter(form).unlock(tenant.id, email);
      trustDevice(res, form, tenant.id, email);
      reply.flash(t('auth.unlock.done'));
      reply.redirect(signInPath(form));
    }),
  };
}

export const technician = unlockPages('technician', open);
export const portal = unlockPages('contact', portalOpen);
