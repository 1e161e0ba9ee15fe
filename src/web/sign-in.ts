// Signing in with passport, shared by technicians and portal contacts: rate
// limits first, one answer for every failure, the session regenerated on success.
import type { NextFunction, Request, Response } from 'express';
import passport from 'passport';
import type { SessionUser } from './action.js';
import { issueCsrfToken, refuse } from './middleware/csrf.js';
import { loginLimiter } from './rate-limits.js';
import { renderPage, type Layout } from './reply.js';

export function safeNext(value: unknown, fallback = '/'): string {
  const next = typeof value === 'string' ? value : '';
  return next.startsWith('/') && !next.startsWith('//') && !next.startsWith('/\\') ? next : fallback;
}

export function login(req: Request, user: SessionUser): Promise<void> {
  return new Promise((resolve, reject) => req.login(user, (error) => (error ? reject(error) : resolve())));
}

export function signInHandler(kind: SessionUser['kind'], form: { layout: Layout; view: string; home: string }) {
  return async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    if (req.csrfPending) return refuse(req, res);
    const email = String(req.body?.email ?? '').trim().toLowerCase().slice(0, 254);
    const limiter = loginLimiter(kind);
    const again = (status: number, error: string) =>
      renderPage(req, res, form.layout, form.view, { title: 'Sign in', email, next: safeNext(req.body?.next, form.home), error }, status);
    const blocked = await limiter.blocked(req.tenant!.id, email, req.ip ?? '');
    if (blocked) return again(429, `Too many sign-in attempts. Try again in ${Math.ceil(blocked / 60)} minutes.`);
    passport.authenticate(kind, async (error: unknown, user: SessionUser | false) => {
      try {
        if (error) throw error;
        if (!user) {
          await limiter.failed(req.tenant!.id, email, req.ip ?? '');
          return await again(401, 'That email and password do not match an account here.');
        }
        await limiter.succeeded(req.tenant!.id, email);
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
        res.clearCookie('sportello.sid');
        res.redirect(303, to);
      });
    });
  };
}
