// Signing in, shared by technicians and portal contacts: rate limits first, one
// answer for every failure, the session regenerated on success. Wrong passwords
// never block the account's owner (see rate-limits.ts): the owner's own browser is
// trusted past them, and going over the limit emails an unlock link.
// Beside the hash a sign-in costs two statements, a round trip each (bench/login):
// the limits counted and the account read in one; the limits given back, the sign-in
// dated and the session stored in the other (with a second factor, the half signed-in
// session is stored on its own). The hash runs on libuv's pool (argon2's
// native worker), off the event loop.
import type { NextFunction, Request, Response } from 'express';
import { config } from '../config.js';
import { inTenantStatement } from '../db/unit-of-work.js';
import { sessionCookieName } from './session-cookie.js';
import type { SessionUser } from './action.js';
import { authenticate } from './passport.js';
import { issueCsrfToken, refuse } from './middleware/csrf.js';
import { queueJob } from '../jobs/queue.js';
import { SIGN_IN_THROTTLED } from '../jobs/sign-in-throttled.js';
import { addressKey, loginLimiter } from './rate-limits.js';
import { renderPage, type Layout } from './reply.js';
import { trustDevice, trustedDevice } from './trusted-device.js';
import { deviceOfRequest, sessionInsert } from './session-store.js';
import type { T } from '../i18n/translate.js';

export function safeNext(value: unknown, fallback = '/'): string {
  const next = typeof value === 'string' ? value : '';
  return next.startsWith('/') && !next.startsWith('//') && !next.startsWith('/\\') ? next : fallback;
}

/**
 * Signs `user` in on a fresh session (a planted session id learns nothing); the 12-hour
 * lifetime starts now. As passport's `req.login` does (its serializer keeps the user as
 * it is), but the session is written once, with all of it, when the answer goes out
 * (save-session-before-redirect.ts), not also half-filled on the way.
 */
export function login(req: Request, user: SessionUser): Promise<void> {
  return new Promise((resolve, reject) => req.session.regenerate((error) => {
    if (error) return reject(error);
    req.user = user;
    (req.session as unknown as { passport: { user: SessionUser } }).passport = { user };
    req.session.signedInAt = req.session.seenAt = Date.now();
    // What the profile's list of sessions shows, for its owner to recognise it.
    req.session.device = deviceOfRequest(req);
    resolve();
  }));
}

/** `req`'s session holds no one: the store removes it instead of saving it (session-store.ts). */
function signedOut(req: Request): void {
  req.user = undefined;
  delete (req.session as unknown as { passport?: unknown }).passport;
}

/** What the sign-in read of the account with its password: whether it has a second factor (technicians). */
export interface SignedInAccount { secondFactor: boolean }

/**
 * Runs once the password is right, for an account with a second factor; true when it
 * answered (two-factor sign-in's second step, see second-step.ts). An account without
 * one is signed in there and then, its session stored by the statement that dates it.
 */
export type SecondStep = (req: Request, res: Response, user: SessionUser, account: SignedInAccount) => Promise<boolean>;

/** A parameter of the statement being built: its placeholder. */
type Param = (value: unknown) => string;

/**
 * What a sign-in form reads of its accounts beside the limits (a select of at most one
 * row: user_id, user_hash and the kind's own columns), and how it dates a sign-in.
 */
interface AccountTable {
  read(p: Param, tenantId: number, email: string): string;
  signedIn(p: Param, tenantId: number, id: number): string;
  user(row: Record<string, unknown>, tenantId: number): SessionUser;
}

const accounts: Record<SessionUser['kind'], AccountTable> = {
  technician: {
    // By email_key, lower(email) stored (migration 0048), unique in the workspace: one index
    // lookup. \`lower(t.email) =\` could not use its index under row-level security (lower() is
    // not leakproof) and walked every technician of every workspace (bench/login).
    read: (p, tenantId, email) => `select t.id as user_id, t.password_hash as user_hash,
        exists (select 1 from technician_second_factors f where f.tenant_id = t.tenant_id and f.technician_id = t.id and f.confirmed_at is not null) as user_second_factor
      from technicians t where t.tenant_id = ${p(tenantId)} and t.email_key = ${p(email)} and t.active limit 1`,
    signedIn: (p, tenantId, id) => `update technicians set last_login_at = now() where tenant_id = ${p(tenantId)} and id = ${p(id)}`,
    user: (row, tenantId) => ({ kind: 'technician', id: Number(row.user_id), tenantId }),
  },
  contact: {
    read: (p, tenantId, email) => `select c.id as user_id, c.password_hash as user_hash, false as user_second_factor, floor(extract(epoch from c.password_changed_at) * 1000)::bigint::text as user_password_changed_ms
      from contacts c where c.tenant_id = ${p(tenantId)} and c.email = ${p(email)} and c.portal_access limit 1`,
    signedIn: (p, tenantId, id) => `update contacts set last_login_at = now() where tenant_id = ${p(tenantId)} and id = ${p(id)}`,
    user: (row, tenantId) => ({ kind: 'contact', id: Number(row.user_id), tenantId, pwdAt: Number(row.user_password_changed_ms ?? 0) }),
  },
};

/** Placeholders numbered after `params`, their values appended to it. */
function placeholders(params: unknown[]): Param {
  return (value) => `$${params.push(value)}`;
}

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
    const table = accounts[kind];
    // The limits counted and the account read, in one statement (the account's row is only looked at when the limits let the attempt through).
    const attempt = limiter.attemptStatement(tenantId, email, address, device);
    const params = [...attempt.params];
    const read = table.read(placeholders(params), tenantId, email);
    const [row] = await inTenantStatement<Record<string, unknown>>(tenantId,
      `${attempt.with}, limit_user as (${read}) select ${attempt.columns}, limit_user.* from (select 1) as limit_one left join limit_user on true`, params);
    const verdict = await attempt.verdict(row);
    if (verdict.wait) return again(429, t('auth.signIn.tooMany', { wait: waitPhrase(t, verdict.wait) }));
    // Credentials come from the form only (never the query string: the limit above would count another account).
    if (!email || email.length > 254 || typeof password !== 'string' || !password) return refused();
    try {
      // passport-local checks the form's password against the account read above (a decoy hash when there is none).
      // (Calling verifyPassword directly saved ~0.05 ms a sign-in, within bench:login's noise: the stack's choice stays.)
      const known = row.user_id != null && Boolean(row.user_hash);
      const user = await authenticate(kind, { hash: known ? String(row.user_hash) : null, user: known ? table.user(row, tenantId) : null }, req, res, next);
      if (!user) {
        // Told after the answer (a job), so a known and an unknown account answer alike.
        if (verdict.overLimitIfWrong) await queueJob(SIGN_IN_THROTTLED, { tenantId, form: kind, email, address, failures: verdict.failures });
        return await refused();
      }
      const success = limiter.successStatement(tenantId, email, address, device);
      const account = { secondFactor: row.user_second_factor === true };
      let dated = false;
      if (form.secondStep && account.secondFactor) {
        // The limits given back and the sign-in dated, in one statement; the second step stores its half signed-in session.
        const values = [...success.params];
        await inTenantStatement(tenantId, `${success.with} ${table.signedIn(placeholders(values), tenantId, user.id)}`, values);
        if (await form.secondStep(req, res, user, account)) return;
        dated = true;
      }
      await login(req, user);
      trustDevice(res, kind, tenantId, email);
      issueCsrfToken(req, res);
      // The limits given back, the sign-in dated and the session stored, in one statement.
      const values = dated ? [] : [...success.params];
      const p = placeholders(values);
      const session = sessionInsert(req, p);
      try {
        await inTenantStatement(tenantId, dated ? session.text : `${success.with}, session_stored as (${session.text}) ${table.signedIn(p, tenantId, user.id)}`, values);
      } catch (error) {
        // Nothing was written: the answer (an error page) leaves no one signed in.
        session.notWritten();
        signedOut(req);
        throw error;
      }
      res.redirect(303, safeNext(req.body?.next, form.home));
    } catch (caught) {
      next(caught);
    }
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
