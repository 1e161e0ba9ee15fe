// The email a technician gets from Forgot password? on /login, in their language: a
// single-use link to choose a new password (minted when it is sent, valid 1 hour).
import type { Em } from '../../db/orm.js';
import type { Technician } from '../../domain/technician/technician.js';
import type { Tenant } from '../../domain/tenant/tenant.js';
import { TECHNICIAN_PASSWORD_LINK } from '../credentials.js';
import { queueEmail } from '../outbox.js';
import { recipientSpeaker, renderMail } from './render.js';

export async function technicianPasswordReset(em: Em, tenant: Tenant, technician: Pick<Technician, 'id' | 'name' | 'email' | 'language' | 'timeZone'>): Promise<void> {
  const speaker = recipientSpeaker(tenant, technician.language);
  const { text, html } = await renderMail('technician-password-reset', { name: technician.name, email: technician.email, company: tenant.name, link: TECHNICIAN_PASSWORD_LINK }, speaker, technician.timeZone ?? tenant.timeZone);
  queueEmail(em, tenant, {
    kind: 'technician_password_reset',
    to: { address: technician.email, name: technician.name },
    subject: speaker.t('auth.mail.reset.subject', { company: tenant.name }),
    text, html,
    credentialTarget: { technicianId: technician.id, purpose: 'reset' },
    autoSubmitted: true,
  });
}
