// Signing in with passport, shared by technicians and portal contacts: rate
// limits first, one answer for every failure, the session regenerated on success.
import type { NextFunction, Request, Response } from 'express';
import passport from 'passport';
import { config } from '../config.js';
import { sessionCookieName } from './session-cookie.js';
import type { SessionUser } from './action.js';
import { issueCsrfToken, refuse } from './middleware/csrf.js';
import { addressKey, loginLimiter } from './rate-limits.js';
import { renderPage, type Layout } from './reply.js';

export function safeNext(value: unknown, fallback = '/'): string {
  const next = typeof value === 'string' ? value : '';
  return next.startsWith('/') && !next.startsWith('//') && !next.startsWith('/\\') ? next : fallback;
}

/** Signs `user` in on a fresh session (passport regenerates it); the 12-hour lifetime starts now. */
export function login(req: Request, user: SessionUser): Promise<void> {
  return new Promise((resolve, reject) => req.login(user, (error) => {
    if (error) return reject(error);
    req.session.signedInAt = Date.now();
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
    const again = (status: number, error: string) =>
      renderPage(req, res, form.layout, form.view, { title: 'Sign in', email, next: safeNext(req.body?.next, form.home), error }, status);
    const refused = () => again(401, 'That email and password do not match an account here.');
    const blocked = await limiter.attempt(req.tenant!.id, email, address);
    if (blocked) return again(429, `Too many sign-in attempts. Try again in ${Math.ceil(blocked / 60)} minutes.`);
    // Credentials come from the form only: passport-local would otherwise read a missing
    // field from the query string, and the limit above would count another account.
    if (!email || email.length > 254 || typeof password !== 'string' || !password) return refused();
    passport.authenticate(kind, async (error: unknown, user: SessionUser | false) => {
      try {
        if (error) throw error;
        if (!user) return await refused();
        await limiter.succeeded(req.tenant!.id, email, address);
        if (form.secondStep && (await form.secondStep(req, res, user))) return;
        await login(req, user);
        issueCsrfToken(req, res);
        res.redirect(303, safeNext(req.body?.next, form.home));
      } catch (caught) {
        next(caught);
      }
    })(req, res, next);
  };
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
