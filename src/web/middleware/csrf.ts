// A CSRF token per session, sent back by forms (hidden `_csrf`) and by htmx (the
// X-CSRF-Token header set on <body>). Multipart forms are checked after the upload
// parser (see uploads.ts); a handler refuses one whose check never ran.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import { log, loggablePath } from '../../lib/logger.js';

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

export function issueCsrfToken(req: Request, res: Response): string {
  req.session.csrf = randomBytes(24).toString('base64url');
  res.locals.csrfToken = req.session.csrf;
  return req.session.csrf;
}

export function csrf(req: Request, res: Response, next: NextFunction): void {
  if (!req.session) return next();
  res.locals.csrfToken = req.session.csrf ?? issueCsrfToken(req, res);
  if (SAFE.has(req.method)) return next();
  if (req.is('multipart/form-data')) {
    req.csrfPending = true;
    return next();
  }
  if (validCsrf(req)) return next();
  refuse(req, res);
}

export function validCsrf(req: Request): boolean {
  const sent = String(req.get('x-csrf-token') ?? (req.body as Record<string, unknown> | undefined)?._csrf ?? '');
  const expected = req.session?.csrf ?? '';
  const a = Buffer.from(sent);
  const b = Buffer.from(expected);
  return expected.length > 0 && a.length === b.length && timingSafeEqual(a, b);
}

export function refuse(req: Request, res: Response): void {
  log.warn({ method: req.method, path: loggablePath(req.path) }, 'CSRF token missing or wrong; request refused');
  res.status(403).render('errors/forbidden', { message: 'This form has expired. Go back, reload the page and try again.' });
}
