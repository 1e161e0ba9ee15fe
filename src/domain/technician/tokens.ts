// Issuing and redeeming a technician's single-use tokens.
import type { Em } from '../../db/orm.js';
import type { Tenant } from '../tenant/tenant.js';
import { hashToken, newToken, PasswordToken, type TokenPurpose } from './password-token.js';
import type { Technician } from './technician.js';

const lifetimes: Record<TokenPurpose, number> = {
  invite: 72 * 3600_000,
  reset: 3600_000,
  handover: 2 * 60_000,
  unlock: 24 * 3600_000,
  email: 24 * 3600_000,
};

/** Purposes that act on the account's credentials: using one voids the others (and a password change voids them all). */
export const ACCOUNT_PURPOSES: TokenPurpose[] = ['invite', 'reset', 'email'];

/** Returns the token itself; only its SHA-256 is stored. `newEmail`: the address an email-change token confirms. */
export function issueToken(em: Em, tenant: Tenant, technician: Technician, purpose: TokenPurpose, newEmail: string | null = null): string {
  const { token, hash } = newToken();
  em.persist(em.create(PasswordToken, { tenant, technician, purpose, newEmail, tokenHash: hash, expiresAt: new Date(Date.now() + lifetimes[purpose]), createdAt: new Date() }));
  return token;
}

/** Voids every live token of the technician that acts on their account (a password or email change). */
export async function voidAccountTokens(em: Em, technician: Technician): Promise<void> {
  await em.nativeUpdate(PasswordToken, { technician, usedAt: null, purpose: { $in: ACCOUNT_PURPOSES } }, { usedAt: new Date() });
}

/** The live token of that purpose, or null when it is unknown, used or expired. */
export async function findLiveToken(em: Em, token: string, purpose: TokenPurpose): Promise<PasswordToken | null> {
  if (!token || token.length > 100) return null;
  const found = await em.findOne(PasswordToken, { tokenHash: hashToken(token), purpose, usedAt: null, technician: { $ne: null } }, { populate: ['technician'] });
  if (!found || found.expiresAt.getTime() <= Date.now()) return null;
  return found;
}

/**
 * Claims the token for this use and, for passwords and email changes, voids every other
 * live token of the technician that acts on the account (a reset link mailed to an old
 * address stops working once the address changes, and a pending email change once the
 * password is reset). The claim is a conditional update, so of two requests racing with
 * one token only one gets true; the other must refuse.
 */
export async function redeem(em: Em, token: PasswordToken): Promise<boolean> {
  const now = new Date();
  const claimed = await em.nativeUpdate(PasswordToken, { id: token.id, usedAt: null }, { usedAt: now });
  if (claimed !== 1) return false;
  token.usedAt = now;
  if (ACCOUNT_PURPOSES.includes(token.purpose) && token.technician) {
    await em.nativeUpdate(PasswordToken, { technician: token.technician, usedAt: null, purpose: { $in: ACCOUNT_PURPOSES } }, { usedAt: now });
  }
  return true;
}
