// A MAC over a value, keyed from APP_SECRET and bound to the request's host and a
// purpose: what an anonymous visitor's cookies carry in place of a session. A seal
// made for one workspace (or for the root host) never matches on another, and one
// made for a purpose (the CSRF token, a notice) never passes for another.
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Request } from 'express';
import { appKey } from '../lib/app-keys.js';

export function seal(req: Request, purpose: string, value: string): string {
  const host = String(req.headers.host ?? '').toLowerCase();
  return createHmac('sha256', appKey('anonymous cookies')).update(`${purpose}\n${host}\n${value}`).digest('base64url');
}

export function sealMatches(req: Request, purpose: string, value: string, sent: string): boolean {
  const a = Buffer.from(sent);
  const b = Buffer.from(seal(req, purpose, value));
  return a.length === b.length && timingSafeEqual(a, b);
}
