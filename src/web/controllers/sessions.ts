// Technicians sign in and out. Answers never say whether an account exists;
// attempts are limited per account and per address (see rate-limits.ts).
import type { NextFunction, Request, Response } from 'express';
import passport from 'passport';
import { inTenant } from '../../db/unit-of-work.js';
import { findLiveToken, redeem } from '../../domain/technician/tokens.js';
import { open, sessionUser, type SessionUser } from '../action.js';
import { issueCsrfToken } from '../middleware/csrf.js';
import { loginLimiter } from '../rate-limits.js';
import { renderPage } from '../reply.js';

function safeNext(value: unknown): string {
  const next = typeof value === 'string' ? value : '';
  return next.startsWith('/') && !next.startsWith('//') && !next.startsWith('/\\') ? next : '/';
}

export const newSession = open(async ({ req, reply }) => {
  if (sessionUser(req, 'technician')) return reply.redirect('/');
  await reply.render('sessions/new', { title: 'Sign in', email: '', next: safeNext(req.query.next), error: undefined });
});

function login(req: Request, user: SessionUser): Promise<void> {
  return new Promise((resolve, reject) => req.login(user, (error) => (error ? reject(error) : resolve())));
}

export async function createSession(req: Request, res: Response, next: NextFunction): Promise<void> {
  const email = String(req.body?.email ?? '').trim().toLowerCase().slice(0, 254);
  const limiter = loginLimiter();
  const blocked = await limiter.blocked(req.tenant!.id, email, req.ip ?? '');
  const again = (status: number, error: string) =>
    renderPage(req, res, 'layouts/public', 'sessions/new', { title: 'Sign in', email, next: safeNext(req.body?.next), error }, status);
  if (blocked) return again(429, `Too many sign-in attempts. Try again in ${Math.ceil(blocked / 60)} minutes.`);
  passport.authenticate('technician', async (error: unknown, user: SessionUser | false) => {
    try {
      if (error) throw error;
      if (!user) {
        await limiter.failed(req.tenant!.id, email, req.ip ?? '');
        return await again(401, 'That email and password do not match an account here.');
      }
      await limiter.succeeded(req.tenant!.id, email);
      await login(req, user);
      issueCsrfToken(req, res);
      res.redirect(303, safeNext(req.body?.next));
    } catch (caught) {
      next(caught);
    }
  })(req, res, next);
}

export async function destroySession(req: Request, res: Response, next: NextFunction): Promise<void> {
  req.logout((error) => {
    if (error) return next(error);
    req.session.destroy(() => {
      res.clearCookie('sportello.sid');
      res.redirect(303, '/login');
    });
  });
}

/** The signup's hand-over: a short-lived single-use token becomes a session on this host. */
export async function handover(req: Request, res: Response): Promise<void> {
  const tenantId = req.tenant!.id;
  const user = await inTenant(tenantId, async (em): Promise<SessionUser | undefined> => {
    const token = await findLiveToken(em, String(req.params.token), 'handover');
    if (!token?.technician) return undefined;
    await redeem(em, token);
    await em.flush();
    return { kind: 'technician', id: token.technician.id, tenantId };
  });
  if (!user) return res.redirect(303, '/login');
  await login(req, user);
  issueCsrfToken(req, res);
  req.session.flash = 'Welcome to Sportello! Your workspace is ready.';
  res.redirect(303, '/');
}
