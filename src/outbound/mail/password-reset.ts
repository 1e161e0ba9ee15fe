// The built-in password-reset email, for a tenant without a reset template of its own,
// in the contact's language (else the workspace's). Its reset link is minted (valid 1 hour) when it is sent.
import type { Em } from '../../db/orm.js';
import type { Contact } from '../../domain/contact/contact.js';
import type { Tenant } from '../../domain/tenant/tenant.js';
import { PORTAL_PASSWORD_LINK } from '../credentials.js';
import type { OutboundEmail } from '../outbound-email.js';
import { queueEmail } from '../outbox.js';
import { recipientSpeaker, renderMail } from './render.js';

export async function passwordReset(em: Em, tenant: Tenant, contact: Pick<Contact, 'id' | 'email' | 'firstName' | 'fullName' | 'language'>): Promise<OutboundEmail> {
  const speaker = recipientSpeaker(tenant, contact.language);
  const { text, html } = await renderMail('password-reset', { firstName: contact.firstName, username: contact.email, company: tenant.name, link: PORTAL_PASSWORD_LINK }, speaker, tenant.timeZone);
  return queueEmail(em, tenant, {
    kind: 'contact_password_reset',
    to: { address: contact.email, name: contact.fullName },
    subject: speaker.t('mail.passwordReset.subject'),
    text, html,
    credentialTarget: { contactId: contact.id, purpose: 'reset' },
    autoSubmitted: true,
    contactId: contact.id,
  });
}
