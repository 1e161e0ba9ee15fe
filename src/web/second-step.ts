// Sign-in's second step, for a technician with two-factor sign-in. A right password
// leaves the session half signed in: it holds who is expected and until when, but
// no user, so nothing but the code form opens with it. A right code (or recovery
// code) then signs in on a fresh session. Codes are rate-limited like passwords,
// per technician and per address, with their own counters.
import type { NextFunction, Request, Response } from 'express';
import type pg from 'pg';
import { inTenantWork } from '../db/unit-of-work.js';
import { audit } from '../domain/audit/audit-event.js';
import { Technician } from '../domain/technician/technician.js';
import { Tenant } from '../domain/tenant/tenant.js';
import { useSecondFactor } from '../domain/technician/two-factor.js';
import type { SessionUser } from './action.js';
import { issueCsrfToken, refuse } from './middleware/csrf.js';
import { addressKey, LoginLimiter } from './rate-limits.js';
import { renderPage } from './reply.js';
import { setFlash } from './flash.js';
import { trustDevice, trustedDevice } from './trusted-device.js';
import { login, safeNext, type SignedInAccount } from './sign-in.js';
import { speakAs } from './middleware/language.js';

export interface PendingSignIn {
  id: number;
  tenantId: number;
  /** As typed at the password step (normalised): what the trusted-browser cookie is bound to. */
  email: string;
  next: string;
  until: number;
  /** The audit log already says this sign-in went over the code limit. */
  limitAudited?: boolean;
}

declare module 'express-session' {
  interface SessionData {
    pendingSignIn?: PendingSignIn;
  }
}

export const SECOND_STEP_PATH = '/login/two-factor';
const PENDING_MS = 10 * 60_000;

let limiter: LoginLimiter | undefined;

export function setUpSecondStepLimiter(pool: pg.Pool): void {
  limiter = new LoginLimiter(pool, 'second-factor');
}

function secondStepLimiter(): LoginLimiter {
  if (!limiter) throw new Error('rate limits not set up');
  return limiter;
}

function regenerate(req: Request): Promise<void> {
  return new Promise((resolve, reject) => req.session.regenerate((error) => (error ? reject(error) : resolve())));
}

/**
 * Called by sign-in once the password is right: with a second factor, the session
 * (a fresh one: a planted session id learns nothing) becomes half signed in and
 * the code form is next. Returns false when the technician has no second factor.
 */
export async function secondStepIfEnrolled(req: Request, res: Response, user: SessionUser, account: SignedInAccount): Promise<boolean> {
  // Whether the technician has a second factor was read with the password (sign-in.ts).
  if (user.kind !== 'technician' || !account.secondFactor) return false;
  await regenerate(req);
  // An abandoned half sign-in leaves no row for 12 hours: it expires with the pending state.
  req.session.cookie.maxAge = PENDING_MS;
  const email = String(req.body?.email ?? '').trim().toLowerCase();
  req.session.pendingSignIn = { id: user.id, tenantId: user.tenantId, email, next: safeNext(req.body?.next), until: Date.now() + PENDING_MS };
  issueCsrfToken(req, res);
  res.redirect(303, SECOND_STEP_PATH);
  return true;
}

function pendingSignIn(req: Request): PendingSignIn | undefined {
  const pending = req.session?.pendingSignIn;
  if (!pending || pending.tenantId !== req.tenant?.id) return undefined;
  if (pending.until < Date.now()) {
    delete req.session.pendingSignIn;
    return undefined;
  }
  return pending;
}

function form(req: Request, res: Response, error?: string, status = 200): Promise<void> {
  return renderPage(req, res, 'layouts/public', 'sessions/second-factor', { title: req.speaker!.t('auth.secondFactor.title'), error }, status);
}

export async function showSecondStep(req: Request, res: Response): Promise<void> {
  if (!pendingSignIn(req)) return res.redirect(303, '/login');
  await form(req, res);
}

export async function verifySecondStep(req: Request, res: Response, next: NextFunction): Promise<void> {
  if (req.csrfPending) return refuse(req, res);
  const pending = pendingSignIn(req);
  if (!pending) return res.redirect(303, '/login');
  const { t } = req.speaker!;
  const address = addressKey(req.ip ?? '');
  // The owner's trusted browser (trusted-device.ts) is counted on its own, as at the password step.
  const device = trustedDevice(req, 'technician', pending.tenantId, pending.email);
  // The audit log names the technician (their name is filled in once read).
  const actor: { kind: 'technician'; id: number; name?: string } = { kind: 'technician', id: pending.id };
  const blocked = await secondStepLimiter().attempt(pending.tenantId, String(pending.id), address, device);
  if (blocked) {
    if (!pending.limitAudited) {
      pending.limitAudited = true;
      await inTenantWork(pending.tenantId, async ({ em }) => {
        audit(em, em.merge(Tenant, req.tenant!, { refresh: false }), 'technician.second_factor_limit_reached', { type: 'technician', id: pending.id }, { address });
      }, { kind: 'system' }); // whoever typed the codes is not known to be the technician
    }
    return form(req, res, t('auth.secondFactor.tooMany', { wait: t('auth.wait.minutes', { count: Math.ceil(blocked / 60) }) }), 429);
  }
  let language: unknown;
  const result = await inTenantWork(pending.tenantId, async ({ em }) => {
    const technician = await em.findOne(Technician, { id: pending.id, active: true });
    if (!technician) return 'gone' as const;
    actor.name = technician.name;
    language = technician.language;
    const use = await useSecondFactor(em, em.merge(Tenant, req.tenant!, { refresh: false }), technician, req.body?.code);
    if (use) technician.lastLoginAt = new Date();
    return use;
  }, actor);
  if (result === 'gone') {
    delete req.session.pendingSignIn;
    return res.redirect(303, '/login');
  }
  if (!result) return form(req, res, t('auth.secondFactor.wrong'), 401);
  try {
    await secondStepLimiter().succeeded(pending.tenantId, String(pending.id), address, device);
    await login(req, { kind: 'technician', id: pending.id, tenantId: pending.tenantId });
    trustDevice(res, 'technician', pending.tenantId, pending.email);
    issueCsrfToken(req, res);
    if (result.by === 'recovery code') {
      // To the profile, where the message is sure to be seen and the codes left are counted; in their own language.
      setFlash(req, res, speakAs(req, res, language).t('auth.secondFactor.recoveryCodeUsed', { count: result.left }));
      return res.redirect(303, '/profile');
    }
    res.redirect(303, pending.next);
  } catch (error) {
    next(error);
  }
}
