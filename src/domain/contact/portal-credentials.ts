// How a contact gets into the portal: single-use links (invitation 72 h, reset
// 1 h), temporary passwords, and the resets a contact or a technician starts.
// The link's token and the temporary password are minted by the send job (see
// outbound/credentials.ts) or, for a technician's temporary password, shown once.
import type { Em } from '../../db/orm.js';
import { hashPassword, passwordProblem, temporaryPassword } from '../../lib/passwords.js';
import { normaliseEmail, ValidationError } from '../../lib/validation.js';
import { audit } from '../audit/audit-event.js';
import { hashToken, newToken, PasswordToken } from '../technician/password-token.js';
import type { Tenant } from '../tenant/tenant.js';
import { Contact } from './contact.js';
import { setContactPassword } from './portal-auth.js';

export type ContactTokenPurpose = 'invite' | 'reset';

export const CONTACT_TOKEN_LIFETIME: Record<ContactTokenPurpose, number> = {
  invite: 72 * 3600_000,
  reset: 3600_000,
};

const subject = (contact: Contact) => ({ type: 'contact', id: contact.id });

/** A new single-use link token for the contact; only its SHA-256 is stored. Returns the token. */
export function issueContactToken(em: Em, tenant: Tenant, contact: Contact, purpose: ContactTokenPurpose): string {
  const { token, hash } = newToken();
  const expiresAt = new Date(Date.now() + CONTACT_TOKEN_LIFETIME[purpose]);
  em.persist(em.create(PasswordToken, { tenant, contact, purpose, tokenHash: hash, expiresAt, createdAt: new Date() }));
  audit(em, tenant, 'contact.password_link_minted', subject(contact), { purpose, expiresAt: expiresAt.toISOString() });
  return token;
}

/** The contact's live link (unused, unexpired, portal access on), or null. */
export async function findLiveContactToken(em: Em, token: string): Promise<PasswordToken | null> {
  if (!token || token.length > 100) return null;
  const found = await em.findOne(PasswordToken, {
    tokenHash: hashToken(token), usedAt: null, contact: { $ne: null }, purpose: { $in: ['invite', 'reset'] },
  }, { populate: ['contact'] });
  if (!found?.contact || found.expiresAt.getTime() <= Date.now() || !found.contact.portalAccess) return null;
  return found;
}

/** Sending credentials opens the portal to the contact (recorded). */
export function grantPortalAccess(em: Em, tenant: Tenant, contact: Contact, why: string): void {
  if (contact.portalAccess) return;
  contact.portalAccess = true;
  audit(em, tenant, 'contact.portal_access_granted', subject(contact), { why });
}

/**
 * A new random temporary password: its argon2id hash replaces the old one, the
 * contact must change it at next sign-in, other sessions and live links end.
 * Returns the plain text, which the caller puts in one message or one page only.
 */
export async function mintTemporaryPassword(em: Em, tenant: Tenant, contact: Contact, how: string): Promise<string> {
  const plain = temporaryPassword();
  contact.passwordHash = await hashPassword(plain);
  contact.mustChangePassword = true;
  contact.passwordChangedAt = new Date();
  await em.nativeUpdate(PasswordToken, { contact, usedAt: null }, { usedAt: new Date() });
  audit(em, tenant, 'contact.temporary_password_minted', subject(contact), { how });
  return plain;
}

/** The contact sets a password from a link: the link (and every other) is then void, other sessions end. */
export async function setPasswordWithContactToken(em: Em, tenant: Tenant, token: string, input: { password?: unknown; confirmation?: unknown }): Promise<Contact> {
  const live = await findLiveContactToken(em, token);
  if (!live?.contact) throw new ValidationError({ token: 'portal.passwords.errors.linkExpired' });
  const password = String(input.password ?? '');
  const problem = passwordProblem(password) ?? (password !== String(input.confirmation ?? '') ? 'portal.passwords.errors.mismatch' : undefined);
  if (problem) throw new ValidationError({ password: problem });
  // Claim the link with a conditional update: of two requests racing with one link, only one sets the password.
  const claimed = await em.nativeUpdate(PasswordToken, { id: live.id, usedAt: null }, { usedAt: new Date() });
  if (claimed !== 1) throw new ValidationError({ token: 'portal.passwords.errors.linkExpired' });
  audit(em, tenant, 'contact.password_link_used', subject(live.contact), { purpose: live.purpose });
  await setContactPassword(em, tenant, live.contact, password, `set from a ${live.purpose === 'invite' ? 'invitation' : 'reset'} link`);
  return live.contact;
}

/** The contact with portal access at this address, or null (the caller answers the same either way). */
export async function contactForReset(em: Em, email: unknown): Promise<Contact | null> {
  const address = normaliseEmail(email);
  if (!address || address.length > 254) return null;
  return em.findOne(Contact, { email: address, portalAccess: true }, { populate: ['customer'] });
}
