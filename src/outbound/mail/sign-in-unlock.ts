// The email to the owner of an account that went over its sign-in limit: a single-use
// unlock link, minted by the send job (domain/sign-in/unlock.ts says how it works). It
// speaks the account's language (a technician's or contact's own, else the workspace's).
import type { Em } from '../../db/orm.js';
import type { Tenant } from '../../domain/tenant/tenant.js';
import type { SignInForm } from '../../domain/sign-in/unlock.js';
import { SIGN_IN_UNLOCK_LINK } from '../credentials.js';
import type { CredentialTarget } from '../outbound-email.js';
import { Contact } from '../../domain/contact/contact.js';
import { Technician } from '../../domain/technician/technician.js';
import { queueEmail } from '../outbox.js';
import { recipientSpeaker, renderMail } from './render.js';

export interface SignInUnlockMail {
  form: SignInForm;
  to: { address: string; name: string };
  failures: number;
  address: string;
  credentialTarget: CredentialTarget;
  contactId: number | null;
}

/** The account's own language: the target is the account just read (the identity map answers). */
async function ownLanguage(em: Em, target: CredentialTarget): Promise<string | null | undefined> {
  if (target.technicianId) return (await em.findOne(Technician, { id: target.technicianId }))?.language;
  if (target.contactId) return (await em.findOne(Contact, { id: target.contactId }))?.language;
  return null;
}

export async function signInUnlock(em: Em, tenant: Tenant, mail: SignInUnlockMail): Promise<void> {
  const speaker = recipientSpeaker(tenant, await ownLanguage(em, mail.credentialTarget));
  const { text, html } = await renderMail('sign-in-unlock', {
    name: mail.to.name, email: mail.to.address, company: tenant.name, failures: mail.failures, address: mail.address, link: SIGN_IN_UNLOCK_LINK,
  }, speaker, tenant.timeZone);
  queueEmail(em, tenant, {
    kind: `${mail.form}_sign_in_unlock`,
    to: mail.to,
    subject: speaker.t('mail.signInUnlock.subject', { company: tenant.name }),
    text, html,
    credentialTarget: mail.credentialTarget,
    autoSubmitted: true,
    contactId: mail.contactId,
  });
}
