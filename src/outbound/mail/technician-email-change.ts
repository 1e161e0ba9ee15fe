// A technician's email change: the link to confirm it goes to the new address only
// (its token is minted when the email is sent, and carries that address); the current
// address is told what was asked, without the link. Both speak the technician's language.
import type { Em } from '../../db/orm.js';
import type { Technician } from '../../domain/technician/technician.js';
import type { Tenant } from '../../domain/tenant/tenant.js';
import { EMAIL_CHANGE_LINK } from '../credentials.js';
import { queueEmail } from '../outbox.js';
import { recipientSpeaker, renderMail } from './render.js';

type Who = Pick<Technician, 'id' | 'name' | 'email' | 'language' | 'timeZone'>;

export async function emailChangeConfirmation(em: Em, tenant: Tenant, technician: Who, newEmail: string): Promise<void> {
  const speaker = recipientSpeaker(tenant, technician.language);
  const { text, html } = await renderMail('technician-email-change', { name: technician.name, company: tenant.name, email: newEmail, link: EMAIL_CHANGE_LINK }, speaker, technician.timeZone ?? tenant.timeZone);
  queueEmail(em, tenant, {
    kind: 'technician_email_change',
    to: { address: newEmail, name: technician.name },
    subject: speaker.t('profile.mail.confirm.subject', { company: tenant.name }),
    text, html,
    credentialTarget: { technicianId: technician.id },
    autoSubmitted: true,
  });
}

export async function emailChangeNotice(em: Em, tenant: Tenant, technician: Who, newEmail: string): Promise<void> {
  const speaker = recipientSpeaker(tenant, technician.language);
  const { text, html } = await renderMail('technician-email-notice', { name: technician.name, company: tenant.name, email: newEmail }, speaker, technician.timeZone ?? tenant.timeZone);
  queueEmail(em, tenant, {
    kind: 'technician_email_change_notice',
    to: { address: technician.email, name: technician.name },
    subject: speaker.t('profile.mail.notice.subject', { company: tenant.name }),
    text, html,
    autoSubmitted: true,
  });
}
