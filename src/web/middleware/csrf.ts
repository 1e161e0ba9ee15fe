// CSRF tokens, sent back by forms (hidden `_csrf`) and by htmx (the X-CSRF-Token
// header set on <body>). Multipart forms are checked after the upload parser (see
// uploads.ts); a handler refuses one whose check never ran.
//
// A signed-in user's token lives in their session (a fresh one at each sign-in). An
// anonymous visitor has no session — storing one per visitor let anyone fill the
// session table — so their token is a signed double submit: a random value in a
// host-only cookie, and the token is its MAC bound to the host (host-seal.ts). A
// cross-site page can neither read the cookie nor compute the MAC; a token taken from
// another workspace's pages, or made for another visitor's cookie, does not match.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import { log, loggablePath } from '../../lib/logger.js';
import { seal, sealMatches } from '../host-seal.js';
import { cookieName, cookieOptions, readCookie } from '../session-cookie.js';
import { isSignedIn } from '../session-store.js';
import { speakToSignedIn } from './own-language.js';

declare module 'express-session' {
  interface SessionData {
    csrf?: string;
    flash?: string;
  }
}
declare module 'express-serve-static-core' {
  interface Request {
    csrfPending?: boolean;
  }
}

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);
const SEAL_PURPOSE = 'csrf';
const SEED = /^[A-Za-z0-9_-]{32}$/;

/** A fresh session token; call it after sign-in (the regenerated session has none). */
export function issueCsrfToken(req: Request, res: Response): string {
  req.session.csrf = randomBytes(24).toString('base64url');
  res.locals.csrfToken = req.session.csrf;
  return req.session.csrf;
}

/** Whether this request's token is the session's (signed in, or a session stored before anonymous ones were not). */
function usesSession(req: Request): boolean {
  return Boolean(req.session?.csrf) || isSignedIn(req.session);
}

/** The anonymous visitor's random value as the request's cookie carries it, if well formed. */
function heldSeed(req: Request): string | undefined {
  const held = readCookie(req, cookieName('csrf'));
  return held && SEED.test(held) ? held : undefined;
}

function anonymousToken(req: Request, res: Response): string {
  let seed = heldSeed(req);
  if (!seed) {
    seed = randomBytes(24).toString('base64url');
    // A browser-session cookie: the token it backs is good until the browser closes.
    res.cookie(cookieName('csrf'), seed, cookieOptions());
  }
  return seal(req, SEAL_PURPOSE, seed);
}

export function csrf(req: Request, res: Response, next: NextFunction): void {
  res.locals.csrfToken = usesSession(req) ? (req.session.csrf ?? issueCsrfToken(req, res)) : anonymousToken(req, res);
  if (SAFE.has(req.method)) return next();
  if (req.is('multipart/form-data')) {
    req.csrfPending = true;
    return next();
  }
  if (validCsrf(req)) return next();
  refuse(req, res);
}

/** The token sent (header or `_csrf` field) matches the session's, or, for an anonymous visitor, their cookie's. */
export function validCsrf(req: Request): boolean {
  const sent = String(req.get('x-csrf-token') ?? (req.body as Record<string, unknown> | undefined)?._csrf ?? '');
  if (!usesSession(req)) {
    const seed = heldSeed(req);
    return Boolean(seed) && sealMatches(req, SEAL_PURPOSE, seed!, sent);
  }
  const expected = req.session.csrf ?? '';
  const a = Buffer.from(sent);
  const b = Buffer.from(expected);
  return expected.length > 0 && a.length === b.length && timingSafeEqual(a, b);
}

export function refuse(req: Request, res: Response): void {
  log.warn({ method: req.method, path: loggablePath(req.path) }, 'CSRF token missing or wrong; request refused');
  // In the reader's own language when they are signed in (read for this answer: no guard has run).
  void speakToSignedIn(req, res).then(({ t }) => res.status(403).render('errors/forbidden', { message: t('errors.forbidden.formExpired') }), () => {
    if (!res.headersSent) res.status(403).end();
  });
}
