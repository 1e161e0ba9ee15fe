// A MAC over a value, keyed from APP_SECRET and bound to the request's host and a
// purpose: what an anonymous visitor's cookies carry in place of a session. A seal
// made for one workspace (or for the root host) never matches on another, and one
// made for a purpose (the CSRF token, a notice) never passes for another.
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Request } from 'express';
import { config } from '../config.js';

let key: { secret: string; value: Buffer } | undefined;

function sealKey(): Buffer {
  const { secret } = config();
  if (key?.secret !== secret) key = { secret, value: createHmac('sha256', secret).update('sportello anonymous cookies').digest() };
  return key.value;
}

export function seal(req: Request, purpose: string, value: string): string {
  const host = String(req.headers.host ?? '').toLowerCase();
  return createHmac('sha256', sealKey()).update(`${purpose}\n${host}\n${value}`).digest('base64url');
}

export function sealMatches(req: Request, purpose: string, value: string, sent: string): boolean {
  const a = Buffer.from(sent);
  const b = Buffer.from(seal(req, purpose, value));
  return a.length === b.length && timingSafeEqual(a, b);
}
