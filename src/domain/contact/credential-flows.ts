// The ways credentials reach a contact: the welcome email for a new contact,
// a password reset the contact asks for, and a technician's reset.
import { wrap } from '@mikro-orm/core';
import type { Em } from '../../db/orm.js';
import { credentialMarkersIn } from '../../outbound/credentials.js';
import { passwordReset } from '../../outbound/mail/password-reset.js';
import { currentActor } from '../actor.js';
import { audit } from '../audit/audit-event.js';
import { emailSettingsOf } from '../email/defaults.js';
import { sendTemplate } from '../email/send.js';
import { Tenant } from '../tenant/tenant.js';
import type { Contact, ContactSource } from './contact.js';
import { contactForReset, grantPortalAccess, mintTemporaryPassword } from './portal-credentials.js';

/** Sources whose new contacts are welcomed; bulk imports (CSV, Azure AD) are not. */
const WELCOMED: ContactSource[] = ['manual', 'email'];

/**
 * Called once when a contact is created (never for one that already existed):
 * sends the welcome template when the tenant has it turned on.
 */
export async function welcomeNewContact(em: Em, tenant: Tenant, contact: Contact, source: ContactSource): Promise<boolean> {
  if (!WELCOMED.includes(source)) return false;
  const settings = await emailSettingsOf(em, tenant);
  if (!settings.sendWelcomeEmail || !settings.welcomeTemplate) return false;
  await sendTemplate(em, tenant, settings.welcomeTemplate, { kind: 'contact_welcome', contact, linkPurpose: 'invite', autoSubmitted: true });
  audit(em, tenant, 'contact.welcome_email_queued', { type: 'contact', id: contact.id }, { template: settings.welcomeTemplate.name, source });
  await em.flush();
  return true;
}

/** Emails a reset link (valid 1 hour): the tenant's reset template, or else the built-in email. `by` says who asked, for the audit log. */
export async function sendPasswordResetLink(em: Em, given: Tenant, contact: Contact, by: string): Promise<void> {
  const settings = await emailSettingsOf(em, given);
  if (settings.resetTemplate) {
    await sendTemplate(em, given, settings.resetTemplate, { kind: 'contact_password_reset', contact, linkPurpose: 'reset', autoSubmitted: true });
  } else {
    // The built-in email names the workspace: a bare reference is loaded.
    const tenant = wrap(given, true).isInitialized() ? given : await em.findOneOrFail(Tenant, { id: given.id });
    const email = await passwordReset(em, tenant, contact);
    audit(em, tenant, 'contact.credentials_queued', { type: 'contact', id: contact.id }, {
      template: 'Password reset (built in)', kind: email.kind, credentials: credentialMarkersIn(email.textBody),
    });
  }
  audit(em, given, 'contact.password_reset_link_requested', { type: 'contact', id: contact.id }, { by });
  await em.flush();
}

/** Forgot password: a link when the address belongs to a contact with portal access; nothing otherwise. */
export async function requestPasswordReset(em: Em, tenant: Tenant, email: unknown): Promise<void> {
  const contact = await contactForReset(em, email);
  if (contact) await sendPasswordResetLink(em, tenant, contact, 'the contact (forgot password)');
}

export type TechnicianResetMode = 'link' | 'temporary';

/**
 * A technician resets a contact's portal password: by default a reset link by
 * email; or a temporary password, returned to be shown once and changed at next sign-in.
 * The technician is the current actor.
 */
export async function resetByTechnician(em: Em, tenant: Tenant, contact: Contact, mode: TechnicianResetMode): Promise<string | undefined> {
  const by = currentActor().name ?? 'a technician';
  audit(em, tenant, 'contact.password_reset', { type: 'contact', id: contact.id }, { by, mode });
  if (mode === 'link') {
    await sendPasswordResetLink(em, tenant, contact, by);
    return undefined;
  }
  grantPortalAccess(em, tenant, contact, `temporary password set by ${by}`);
  const plain = await mintTemporaryPassword(em, tenant, contact, `set by ${by}, shown once`);
  await em.flush();
  return plain;
}
