// A message left for the next page ("Your password is set. Sign in with it now."),
// shown once, by the next full page. A signed-in user's lives in their session. An
// anonymous visitor has none, and one is not stored for a notice: theirs travels in
// a short-lived host-only cookie, sealed (host-seal.ts) so that no one else can make
// our page say something, and cleared once shown.
import type { Request, Response } from 'express';
import { seal, sealMatches } from './host-seal.js';
import { cookieName, cookieOptions, readCookie } from './session-cookie.js';
import { isSignedIn } from './session-store.js';

const SEAL_PURPOSE = 'flash';
const LIFETIME_MS = 5 * 60_000;

export function setFlash(req: Request, res: Response, message: string): void {
  if (isSignedIn(req.session)) {
    req.session.flash = message;
    return;
  }
  const text = Buffer.from(message).toString('base64url');
  res.cookie(cookieName('flash'), `${text}.${seal(req, SEAL_PURPOSE, text)}`, { ...cookieOptions(), maxAge: LIFETIME_MS });
}

/** The message waiting for this page, taken (so shown once). */
export function takeFlash(req: Request, res: Response): string | undefined {
  const held = readCookie(req, cookieName('flash'));
  if (held !== undefined) res.clearCookie(cookieName('flash'), cookieOptions());
  const [text, sent] = (held ?? '').split('.');
  const fromCookie = text && sent && sealMatches(req, SEAL_PURPOSE, text, sent) ? Buffer.from(text, 'base64url').toString() : undefined;
  const fromSession = req.session?.flash;
  if (fromSession) delete req.session.flash;
  return fromSession ?? fromCookie;
}
