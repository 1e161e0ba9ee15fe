// Signing in with passport, shared by technicians and portal contacts: rate
// limits first, one answer for every failure, the session regenerated on success.
// Wrong passwords never block the account's owner (see rate-limits.ts): the owner's
// own browser is trusted past them, and going over the limit emails an unlock link.
import type { NextFunction, Request, Response } from 'express';
import passport from 'passport';
import { config } from '../config.js';
import { sessionCookieName } from './session-cookie.js';
import type { SessionUser } from './action.js';
import { issueCsrfToken, refuse } from './middleware/csrf.js';
import { queueJob } from '../jobs/queue.js';
import { SIGN_IN_THROTTLED } from '../jobs/sign-in-throttled.js';
import { addressKey, loginLimiter } from './rate-limits.js';
import { renderPage, type Layout } from './reply.js';
import { trustDevice, trustedDevice } from './trusted-device.js';
import { deviceOfRequest } from './session-store.js';
import type { T } from '../i18n/translate.js';

export function safeNext(value: unknown, fallback = '/'): string {
  const next = typeof value === 'string' ? value : '';
  return next.startsWith('/') && !next.startsWith('//') && !next.startsWith('/\\') ? next : fallback;
}

/** Signs `user` in on a fresh session (passport regenerates it); the 12-hour lifetime starts now. */
export function login(req: Request, user: SessionUser): Promise<void> {
  return new Promise((resolve, reject) => req.login(user, (error) => {
    if (error) return reject(error);
    req.session.signedInAt = req.session.seenAt = Date.now();
    // What the profile's list of sessions shows, for its owner to recognise it.
    req.session.device = deviceOfRequest(req);
    resolve();
  }));
}

/** Runs once the password is right; true when it answered (two-factor sign-in's second step, see second-step.ts). */
export type SecondStep = (req: Request, res: Response, user: SessionUser) => Promise<boolean>;

export function signInHandler(kind: SessionUser['kind'], form: { layout: Layout; view: string; home: string; secondStep?: SecondStep }) {
  return async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    if (req.csrfPending) return refuse(req, res);
    const email = String(req.body?.email ?? '').trim().toLowerCase();
    const password = req.body?.password;
    const limiter = loginLimiter(kind);
    const address = addressKey(req.ip ?? '');
    const { t } = req.speaker!;
    const again = (status: number, error: string) =>
      renderPage(req, res, form.layout, form.view, { title: t('auth.signIn.title'), email, next: safeNext(req.body?.next, form.home), error }, status);
    const refused = () => again(401, t('auth.signIn.refused'));
    const tenantId = req.tenant!.id;
    const device = trustedDevice(req, kind, tenantId, email);
    const verdict = await limiter.check(tenantId, email, address, device);
    if (verdict.wait) return again(429, t('auth.signIn.tooMany', { wait: waitPhrase(t, verdict.wait) }));
    // Credentials come from the form only: passport-local would otherwise read a missing
    // field from the query string, and the limit above would count another account.
    if (!email || email.length > 254 || typeof password !== 'string' || !password) return refused();
    passport.authenticate(kind, async (error: unknown, user: SessionUser | false) => {
      try {
        if (error) throw error;
        if (!user) {
          // Told after the answer (a job), so a known and an unknown account answer alike.
          if (verdict.overLimitIfWrong) await queueJob(SIGN_IN_THROTTLED, { tenantId, form: kind, email, address, failures: verdict.failures });
          return await refused();
        }
        await limiter.succeeded(tenantId, email, address, device);
        if (form.secondStep && (await form.secondStep(req, res, user))) return;
        await login(req, user);
        trustDevice(res, kind, tenantId, email);
        issueCsrfToken(req, res);
        res.redirect(303, safeNext(req.body?.next, form.home));
      } catch (caught) {
        next(caught);
      }
    })(req, res, next);
  };
}

/** "45 seconds", "1 second", "3 minutes": a back-off is seconds, a pair's wait up to a quarter of an hour. */
export function waitPhrase(t: T, seconds: number): string {
  if (seconds < 90) return t('auth.wait.seconds', { count: seconds });
  return t('auth.wait.minutes', { count: Math.ceil(seconds / 60) });
}

export function signOutHandler(to: string) {
  return (req: Request, res: Response, next: NextFunction): void => {
    // A multipart body skips the CSRF middleware (the upload parser checks it); no upload comes here.
    if (req.csrfPending) return refuse(req, res);
    req.logout((error) => {
      if (error) return next(error);
      req.session.destroy(() => {
        res.clearCookie(sessionCookieName(), { path: '/', httpOnly: true, sameSite: 'lax', secure: config().scheme === 'https' });
        res.redirect(303, to);
      });
    });
  };
}
