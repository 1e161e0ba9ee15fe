// A browser the owner of an account has signed in with, or unlocked the account
// from (OWASP's "device cookie"). It is trusted only for sign-in limits: its
// attempts are counted per (account, browser), so wrong passwords sent from
// elsewhere — or from the same office network — never slow the owner down.
// The cookie names no account: an HMAC binds it to the tenant, form and email.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Request, Response } from 'express';
import { appKey } from '../lib/app-keys.js';
import { cookieName, cookieOptions, readCookie } from './session-cookie.js';

const MAX_AGE_MS = 90 * 24 * 3600_000;

type Form = 'technician' | 'contact';

const deviceCookie = (form: Form): string => cookieName(`device.${form}`);

function mac(form: Form, tenantId: number, account: string, id: string, expires: number): Buffer {
  return createHmac('sha256', appKey('trusted device')).update(`${tenantId}\n${form}\n${account}\n${id}\n${expires}`).digest();
}

/** The browser's id when its cookie was given for this account of this tenant and is unexpired, else undefined. */
export function trustedDevice(req: Request, form: Form, tenantId: number, account: string): string | undefined {
  const value = readCookie(req, deviceCookie(form));
  const [id, expiresText, sent] = value?.split('.') ?? [];
  const expires = Number(expiresText);
  if (!id || !sent || !/^[A-Za-z0-9_-]{22}$/.test(id) || !Number.isSafeInteger(expires) || expires < Date.now()) return undefined;
  const expected = mac(form, tenantId, account, id, expires);
  const given = Buffer.from(sent, 'base64url');
  return given.length === expected.length && timingSafeEqual(given, expected) ? id : undefined;
}

/** Marks this browser as the owner's for the account (a fresh id, for 90 days). */
export function trustDevice(res: Response, form: Form, tenantId: number, account: string): void {
  const id = randomBytes(16).toString('base64url');
  const expires = Date.now() + MAX_AGE_MS;
  res.cookie(deviceCookie(form), `${id}.${expires}.${mac(form, tenantId, account, id, expires).toString('base64url')}`, { ...cookieOptions(), maxAge: MAX_AGE_MS });
}
