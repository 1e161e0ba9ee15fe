// The email to the owner of an account that went over its sign-in limit: a single-use
// unlock link, minted by the send job (domain/sign-in/unlock.ts says how it works).
import type { Em } from '../../db/orm.js';
import type { Tenant } from '../../domain/tenant/tenant.js';
import type { SignInForm } from '../../domain/sign-in/unlock.js';
import { SIGN_IN_UNLOCK_LINK } from '../credentials.js';
import type { CredentialTarget } from '../outbound-email.js';
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

export async function signInUnlock(em: Em, tenant: Tenant, mail: SignInUnlockMail): Promise<void> {
  const { text, html } = await renderMail('sign-in-unlock', {
    name: mail.to.name, email: mail.to.address, company: tenant.name, failures: mail.failures, address: mail.address, link: SIGN_IN_UNLOCK_LINK,
  }, recipientSpeaker(tenant), tenant.timeZone);
  queueEmail(em, tenant, {
    kind: `${mail.form}_sign_in_unlock`,
    to: mail.to,
    subject: `Wrong passwords for your ${tenant.name} account`,
    text, html,
    credentialTarget: mail.credentialTarget,
    autoSubmitted: true,
    contactId: mail.contactId,
  });
}
