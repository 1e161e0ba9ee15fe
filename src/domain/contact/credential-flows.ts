// The ways credentials reach a contact: the welcome email for a new contact,
// a password reset the contact asks for, and a technician's reset.
import type { Em } from '../../db/orm.js';
import { currentActor } from '../actor.js';
import { audit } from '../audit/audit-event.js';
import { emailSettingsOf } from '../email/defaults.js';
import { sendTemplate } from '../email/send.js';
import type { Tenant } from '../tenant/tenant.js';
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

const FALLBACK_RESET = {
  name: 'Password reset (built in)',
  subject: 'Reset your portal password',
  body: 'Hello {[Contact First Name]},\n\nChoose a new password for {[Portal Username]} here (the link works once, for 1 hour):\n' +
    '{[Portal Password Link]}\n\nIf you did not ask for this, ignore this email: your password stays as it is.\n\n— {[Company Name]}\n',
};

/** Emails a reset link (valid 1 hour). `by` says who asked, for the audit log. */
export async function sendPasswordResetLink(em: Em, tenant: Tenant, contact: Contact, by: string): Promise<void> {
  const settings = await emailSettingsOf(em, tenant);
  const template = settings.resetTemplate ?? FALLBACK_RESET;
  await sendTemplate(em, tenant, template, { kind: 'contact_password_reset', contact, linkPurpose: 'reset', autoSubmitted: true });
  audit(em, tenant, 'contact.password_reset_link_requested', { type: 'contact', id: contact.id }, { by });
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
