// What a technician changes about themselves on their profile: name, language and
// time zone, password (the current one required; their other sessions end), and
// email (changed only once a link sent to the new address is used).
import { UniqueConstraintViolationException } from '@mikro-orm/core';
import type { Em } from '../../db/orm.js';
import { isLanguage, type Language } from '../../i18n/languages.js';
import { knownTimeZone } from '../../lib/format.js';
import { hashPassword, passwordProblem, verifyPassword } from '../../lib/passwords.js';
import { Checker, normaliseEmail, text, ValidationError } from '../../lib/validation.js';
import { emailChangeConfirmation, emailChangeNotice } from '../../outbound/mail/technician-email-change.js';
import { audit } from '../audit/audit-event.js';
import type { Tenant } from '../tenant/tenant.js';
import { PasswordToken } from './password-token.js';
import { endOtherSessionsOf } from './sessions.js';
import { Technician } from './technician.js';
import { findLiveToken, redeem, voidAccountTokens } from './tokens.js';

const subject = (technician: Technician) => ({ type: 'technician', id: technician.id });

/**
 * The language Sportello speaks to them: `it`, `en`, or anything else (the form's
 * "workspace language", a forged value) for none of their own — the workspace's.
 */
export async function chooseLanguage(em: Em, tenant: Tenant, technician: Technician, input: unknown): Promise<Language | null> {
  const language = isLanguage(input) ? input : null;
  const from = technician.language ?? null;
  if (language === from) return language;
  technician.language = language;
  audit(em, tenant, 'technician.language_changed', subject(technician), { from, to: language });
  await em.flush();
  return language;
}

/** Their own time zone, or (an empty value) the workspace's; a zone Intl does not know is refused. */
export async function chooseTimeZone(em: Em, tenant: Tenant, technician: Technician, input: unknown): Promise<string | null> {
  const zone = input === '' || input === undefined || input === null ? null : knownTimeZone(input);
  if (zone === undefined) throw new ValidationError({ timeZone: 'profile.preferences.unknownTimeZone' });
  const from = technician.timeZone ?? null;
  if (zone === from) return zone;
  technician.timeZone = zone;
  audit(em, tenant, 'technician.time_zone_changed', subject(technician), { from, to: zone });
  await em.flush();
  return zone;
}

export async function renameTechnician(em: Em, tenant: Tenant, technician: Technician, input: unknown): Promise<void> {
  const name = text(input);
  new Checker().require('name', name, 'profile.show.name').throwIfAny();
  const from = technician.name;
  if (name === from) return;
  technician.name = name;
  audit(em, tenant, 'technician.renamed', subject(technician), { from, to: name });
  await em.flush();
}

export interface PasswordChange { current?: unknown; password?: unknown; confirmation?: unknown }

/**
 * Changes their password: the current one must be right and the new one pass the
 * password policy. Every live link of theirs (reset, pending email change) is void,
 * and every other session of theirs ends; the one with `keepSid` carries on.
 */
export async function changeTechnicianPassword(em: Em, tenant: Tenant, technician: Technician, input: PasswordChange, keepSid: string): Promise<number> {
  const current = String(input.current ?? '');
  const password = String(input.password ?? '');
  if (!(await verifyPassword(technician.passwordHash, current))) throw new ValidationError({ current: 'profile.password.errors.currentWrong' });
  const problem = passwordProblem(password)
    ?? (password === current ? 'profile.password.errors.sameAsCurrent' : undefined)
    ?? (password !== String(input.confirmation ?? '') ? 'profile.password.errors.mismatch' : undefined);
  if (problem) throw new ValidationError({ password: problem });
  technician.passwordHash = await hashPassword(password);
  await voidAccountTokens(em, technician);
  const ended = await endOtherSessionsOf(em, technician, keepSid);
  audit(em, tenant, 'technician.password_changed', subject(technician), { how: 'changed by the technician', otherSessionsEnded: ended });
  await em.flush();
  return ended;
}

export interface EmailChange { email?: unknown; current?: unknown }

/**
 * Asks to change their email: nothing changes yet. A link goes to the new address
 * (minted when it is sent, valid 24 hours); the current address is told. The current
 * password is asked for, so a session left open is not enough to take the account.
 */
export async function requestEmailChange(em: Em, tenant: Tenant, technician: Technician, input: EmailChange): Promise<string> {
  const email = normaliseEmail(input.email);
  const check = new Checker().email('email', email);
  if (!check.errors.email && email === technician.email.toLowerCase()) check.add('email', 'profile.email.errors.same');
  if (!(await verifyPassword(technician.passwordHash, String(input.current ?? '')))) check.add('current', 'profile.email.errors.currentWrong');
  check.throwIfAny();
  if (await em.count(Technician, { email, id: { $ne: technician.id } })) throw new ValidationError({ email: 'profile.email.errors.taken' });
  // One change waits at a time: an earlier request's link stops working.
  await em.nativeUpdate(PasswordToken, { technician, purpose: 'email', usedAt: null }, { usedAt: new Date() });
  await emailChangeConfirmation(em, tenant, technician, email);
  await emailChangeNotice(em, tenant, technician, email);
  audit(em, tenant, 'technician.email_change_requested', subject(technician), { from: technician.email, to: email });
  await em.flush();
  return email;
}

/** The live email-change link with its technician (active), or null. */
export async function findLiveEmailChange(em: Em, token: string): Promise<PasswordToken | null> {
  const live = await findLiveToken(em, token, 'email');
  return live?.technician?.active && live.newEmail ? live : null;
}

const LINK_EXPIRED = 'profile.email.errors.linkExpired';

/** Uses the link: the account's email becomes the one it confirms, once, if still free. */
export async function confirmEmailChange(em: Em, tenant: Tenant, token: string): Promise<Technician> {
  const live = await findLiveEmailChange(em, token);
  if (!live?.technician || !live.newEmail) throw new ValidationError({ token: LINK_EXPIRED });
  const technician = live.technician;
  const email = live.newEmail;
  if (await em.count(Technician, { email, id: { $ne: technician.id } })) throw new ValidationError({ token: 'profile.email.errors.takenSince' });
  if (!(await redeem(em, live))) throw new ValidationError({ token: LINK_EXPIRED });
  const from = technician.email;
  technician.email = email;
  audit(em, tenant, 'technician.email_changed', subject(technician), { from, to: email });
  try {
    await em.flush();
  } catch (error) {
    // Taken between the check above and now (an invitation at the same moment): refused, as above.
    if (error instanceof UniqueConstraintViolationException) throw new ValidationError({ token: 'profile.email.errors.takenSince' });
    throw error;
  }
  return technician;
}
