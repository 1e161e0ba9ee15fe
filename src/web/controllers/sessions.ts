// Technicians sign in and out; the signup hands its new admin a session here.
import type { Request, Response } from 'express';
import { inTenant } from '../../db/unit-of-work.js';
import { findLiveToken, redeem } from '../../domain/technician/tokens.js';
import { open, sessionUser, type SessionUser } from '../action.js';
import { issueCsrfToken } from '../middleware/csrf.js';
import { login, safeNext, signInHandler, signOutHandler } from '../sign-in.js';
import { secondStepIfEnrolled } from '../second-step.js';

export const newSession = open(async ({ req, reply, t }) => {
  if (sessionUser(req, 'technician')) return reply.redirect('/');
  await reply.render('sessions/new', { title: t('auth.signIn.title'), email: '', next: safeNext(req.query.next), error: undefined });
});

export const createSession = signInHandler('technician', { layout: 'layouts/public', view: 'sessions/new', home: '/', secondStep: secondStepIfEnrolled });

export const destroySession = signOutHandler('/login');

/** The signup's hand-over: a short-lived single-use token becomes a session on this host. */
export async function handover(req: Request, res: Response): Promise<void> {
  const tenantId = req.tenant!.id;
  const user = await inTenant(tenantId, async (em): Promise<SessionUser | undefined> => {
    const token = await findLiveToken(em, String(req.params.token), 'handover');
    if (!token?.technician || !(await redeem(em, token))) return undefined;
    await em.flush();
    return { kind: 'technician', id: token.technician.id, tenantId };
  });
  if (!user) return res.redirect(303, '/login');
  await login(req, user);
  issueCsrfToken(req, res);
  req.session.flash = req.speaker!.t('auth.handover.welcome');
  res.redirect(303, '/');
}
