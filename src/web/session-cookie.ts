import type { CookieOptions, Request } from 'express';
import { config } from '../config.js';

/** Under https a cookie takes the __Host- prefix: host-only, Secure, Path=/ — no other subdomain can plant one. */
export function cookieName(base: string): string {
  return config().scheme === 'https' ? `__Host-sportello.${base}` : `sportello.${base}`;
}

export function sessionCookieName(): string {
  return cookieName('sid');
}

/** Host-only (no Domain), Path=/, out of scripts' reach, and Secure under https, as __Host- requires. */
export function cookieOptions(): CookieOptions {
  return { path: '/', httpOnly: true, sameSite: 'lax', secure: config().scheme === 'https' };
}

/** One cookie's value from the request (these cookies hold base64url only, so no decoding). */
export function readCookie(req: Request, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const at = part.indexOf('=');
    if (at > 0 && part.slice(0, at).trim() === name) return part.slice(at + 1).trim();
  }
  return undefined;
}
