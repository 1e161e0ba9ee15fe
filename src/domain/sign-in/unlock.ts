// When an account goes over its sign-in limit: the event is audited and the owner
// is emailed a link that clears the throttle. The link is a credential marker,
// minted by the send job (outbound/credentials.ts): a single-use token, stored
// only as its SHA-256, valid 24 hours; the mail log never holds a live one.
import type { Em } from '../../db/orm.js';
import { log } from '../../lib/logger.js';
import { tenantUrl } from '../../lib/urls.js';
import type { OutboundEmail } from '../../outbound/outbound-email.js';
import { signInUnlock } from '../../outbound/mail/sign-in-unlock.js';
import { audit } from '../audit/audit-event.js';
import { Contact } from '../contact/contact.js';
import { hashToken, newToken, PasswordToken } from '../technician/password-token.js';
import { Technician } from '../technician/technician.js';
import type { Tenant } from '../tenant/tenant.js';

/** Which sign-in form: the technicians' (/login) or the portal's (/portal/login). */
export type SignInForm = 'technician' | 'contact';

export const UNLOCK_LIFETIME_MS = 24 * 3600_000;

const paths: Record<SignInForm, { signIn: string; unlock: string }> = {
  technician: { signIn: '/login', unlock: '/login/unlock/' },
  contact: { signIn: '/portal/login', unlock: '/portal/login/unlock/' },
};

export function signInPath(form: SignInForm): string {
  return paths[form].signIn;
}

/** The account that signs in with this email on this form (active, with access), or null. */
function accountFor(em: Em, form: SignInForm, email: string): Promise<Technician | Contact | null> {
  return form === 'technician' ? em.findOne(Technician, { email, active: true }) : em.findOne(Contact, { email, portalAccess: true });
}

/**
 * The account behind `email` went over its free allowance of wrong passwords: record it
 * and email the owner an unlock link. An unknown email is only logged (nobody to tell).
 */
export async function noteSignInThrottled(em: Em, tenant: Tenant, form: SignInForm, email: string, seen: { failures: number; address: string }): Promise<void> {
  const account = await accountFor(em, form, email);
  if (!account) {
    log.info({ tenantId: tenant.id, form, failures: seen.failures }, 'sign-in limit reached for an unknown account');
    return;
  }
  audit(em, tenant, `${form}.sign_in_throttled`, { type: form, id: account.id }, { failures: seen.failures, address: seen.address });
  const name = account instanceof Technician ? account.name : account.fullName;
  await signInUnlock(em, tenant, {
    form, to: { address: account.email, name }, failures: seen.failures, address: seen.address,
    credentialTarget: account instanceof Technician ? { technicianId: account.id } : { contactId: account.id },
    contactId: account instanceof Contact ? account.id : null,
  });
  await em.flush();
}

/** The send job mints the link, only while the message still goes to the account's own address. */
export async function mintUnlockLink(em: Em, tenant: Tenant, email: OutboundEmail): Promise<string | undefined> {
  const target = email.credentialTarget;
  const account = target?.technicianId ? await em.findOne(Technician, { id: target.technicianId })
    : target?.contactId ? await em.findOne(Contact, { id: target.contactId }) : null;
  if (!account || account.email.toLowerCase() !== email.toAddress.toLowerCase()) return undefined;
  const { token, hash } = newToken();
  const owner = account instanceof Technician ? { technician: account } : { contact: account };
  em.persist(em.create(PasswordToken, { tenant, ...owner, purpose: 'unlock', tokenHash: hash, expiresAt: new Date(Date.now() + UNLOCK_LIFETIME_MS), createdAt: new Date() }));
  return tenantUrl(tenant.slug, `${paths[account instanceof Technician ? 'technician' : 'contact'].unlock}${token}`);
}

/** The live (unused, unexpired) unlock token of this form, with its account, or null. */
export async function findLiveUnlock(em: Em, form: SignInForm, token: string): Promise<PasswordToken | null> {
  if (!token || token.length > 100) return null;
  const found = await em.findOne(PasswordToken, {
    tokenHash: hashToken(token), purpose: 'unlock', usedAt: null, [form]: { $ne: null },
  }, { populate: [form] });
  if (!found || found.expiresAt.getTime() <= Date.now()) return null;
  return found;
}

/**
 * Uses the link: claimed by a conditional update, so of two clicks racing only one
 * counts. Returns the email whose sign-in limits the caller clears, or null.
 */
export async function unlockSignIn(em: Em, tenant: Tenant, form: SignInForm, token: string): Promise<string | null> {
  const live = await findLiveUnlock(em, form, token);
  const account = live?.technician ?? live?.contact;
  if (!live || !account) return null;
  const claimed = await em.nativeUpdate(PasswordToken, { id: live.id, usedAt: null }, { usedAt: new Date() });
  if (claimed !== 1) return null;
  audit(em, tenant, `${form}.sign_in_unlocked`, { type: form, id: account.id }, { via: 'emailed link' });
  await em.flush();
  return account.email.toLowerCase();
}
