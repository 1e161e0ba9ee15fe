// Credential snippets are markers in the stored email. They are minted — a new
// single-use link, or a new temporary password — only when the send job hands
// the message to SMTP; every stored copy shows them masked.
import type { Em } from '../db/orm.js';
import { audit } from '../domain/audit/audit-event.js';
import { Contact } from '../domain/contact/contact.js';
import { grantPortalAccess, issueContactToken, mintTemporaryPassword } from '../domain/contact/portal-credentials.js';
import { Technician } from '../domain/technician/technician.js';
import { issueToken } from '../domain/technician/tokens.js';
import { PasswordToken } from '../domain/technician/password-token.js';
import { mintUnlockLink } from '../domain/sign-in/unlock.js';
import type { Tenant } from '../domain/tenant/tenant.js';
import { log } from '../lib/logger.js';
import { tenantUrl } from '../lib/urls.js';
import type { OutboundEmail } from './outbound-email.js';
import { markerToken, PORTAL_PASSWORD, PORTAL_PASSWORD_LINK } from '../domain/email/snippets.js';

export const MASK = '••••••••';
export const TECHNICIAN_PASSWORD_LINK = markerToken('technician-password-link');
/** A token like the others (it was the text `{[Sign-in Unlock Link]}`, which a name could spell). */
export const SIGN_IN_UNLOCK_LINK = markerToken('sign-in-unlock-link');
/** The link that confirms a technician's new email; it goes to that address only. */
export const EMAIL_CHANGE_LINK = markerToken('email-change-link');
export { PORTAL_PASSWORD, PORTAL_PASSWORD_LINK };

type Minter = (em: Em, tenant: Tenant, email: OutboundEmail) => Promise<string>;

/**
 * The contact a portal credential is minted for: the email's target, and only
 * while the message still goes to that contact's own address.
 */
async function recipientContact(em: Em, tenant: Tenant, email: OutboundEmail): Promise<Contact | null> {
  const contact = email.credentialTarget?.contactId ? await em.findOne(Contact, { id: email.credentialTarget.contactId }) : null;
  if (!contact || contact.email !== email.toAddress.toLowerCase()) {
    log.warn({ emailId: email.id, tenantId: tenant.id }, 'credential snippet without a matching contact; sent masked');
    return null;
  }
  return contact;
}

/**
 * Marker → how to mint its value. The temporary password comes before the link,
 * so a message holding both carries a link that the new password does not void.
 */
export const credentialMinters = new Map<string, Minter>([
  [TECHNICIAN_PASSWORD_LINK, async (em, tenant, email) => {
    const technician = email.credentialTarget?.technicianId ? await em.findOne(Technician, { id: email.credentialTarget.technicianId }) : null;
    // A technician deactivated (or whose invitation was revoked) since the email was queued gets no live link.
    if (!technician || !technician.active || technician.email.toLowerCase() !== email.toAddress.toLowerCase()) return MASK;
    // Forgot password asks for a reset (1 h) even when no password was ever set; an invitation is 72 h.
    const purpose = email.credentialTarget?.purpose ?? (technician.passwordHash ? 'reset' : 'invite');
    const token = issueToken(em, tenant, technician, purpose);
    return tenantUrl(tenant.slug, `/password/${token}`);
  }],
  [EMAIL_CHANGE_LINK, async (em, tenant, email) => {
    const technician = email.credentialTarget?.technicianId ? await em.findOne(Technician, { id: email.credentialTarget.technicianId }) : null;
    const newEmail = email.toAddress.toLowerCase();
    if (!technician || !technician.active || technician.email.toLowerCase() === newEmail) return MASK;
    // The address this message goes to is the one the link confirms; the last link sent is the one that works.
    await em.nativeUpdate(PasswordToken, { technician, purpose: 'email', usedAt: null }, { usedAt: new Date() });
    const token = issueToken(em, tenant, technician, 'email', newEmail);
    audit(em, tenant, 'technician.email_change_link_sent', { type: 'technician', id: technician.id }, { to: newEmail, emailId: email.id });
    return tenantUrl(tenant.slug, `/profile/email/${token}`);
  }],
  [PORTAL_PASSWORD, async (em, tenant, email) => {
    const contact = await recipientContact(em, tenant, email);
    if (!contact) return MASK;
    grantPortalAccess(em, tenant, contact, 'credentials emailed');
    const plain = await mintTemporaryPassword(em, tenant, contact, `emailed (${email.kind}, email #${email.id})`);
    return plain;
  }],
  [PORTAL_PASSWORD_LINK, async (em, tenant, email) => {
    const contact = await recipientContact(em, tenant, email);
    if (!contact) return MASK;
    grantPortalAccess(em, tenant, contact, 'credentials emailed');
    const purpose = email.credentialTarget?.purpose ?? 'invite';
    const token = issueContactToken(em, tenant, contact, purpose);
    audit(em, tenant, 'contact.password_link_sent', { type: 'contact', id: contact.id }, { purpose, kind: email.kind, emailId: email.id });
    return tenantUrl(tenant.slug, `/portal/reset/${token}`);
  }],
  [SIGN_IN_UNLOCK_LINK, async (em, tenant, email) => (await mintUnlockLink(em, tenant, email)) ?? MASK],
]);

export function credentialMarkersIn(body: string): string[] {
  return [...credentialMinters.keys()].filter((marker) => body.includes(marker));
}

/** Replaces each credential marker with a freshly minted value (for the message only). */
export async function mintInto(em: Em, tenant: Tenant, email: OutboundEmail, bodies: string[]): Promise<string[]> {
  const markers = new Set(bodies.flatMap(credentialMarkersIn));
  const values = new Map<string, string>();
  for (const marker of credentialMinters.keys()) {
    if (markers.has(marker)) values.set(marker, await credentialMinters.get(marker)!(em, tenant, email));
  }
  return bodies.map((body) => replaceAll(body, values));
}

/** What the mail log and any stored copy shows. */
export function masked(body: string): string {
  return replaceAll(body, new Map(credentialMarkersIn(body).map((m) => [m, MASK])));
}

function replaceAll(body: string, values: Map<string, string>): string {
  let out = body;
  for (const [marker, value] of values) out = out.split(marker).join(value);
  return out;
}
