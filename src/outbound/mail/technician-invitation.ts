// The invitation email of a technician, in their language (else the workspace's); its
// set-password link is minted when it is sent.
import type { Em } from '../../db/orm.js';
import type { Technician } from '../../domain/technician/technician.js';
import type { Tenant } from '../../domain/tenant/tenant.js';
import { TECHNICIAN_PASSWORD_LINK } from '../credentials.js';
import { queueEmail } from '../outbox.js';
import { recipientSpeaker, renderMail } from './render.js';

export async function technicianInvitation(em: Em, tenant: Tenant, technician: Pick<Technician, 'id' | 'name' | 'email' | 'language'>): Promise<void> {
  const speaker = recipientSpeaker(tenant, technician.language);
  const { text, html } = await renderMail('technician-invitation', { name: technician.name, company: tenant.name, link: TECHNICIAN_PASSWORD_LINK }, speaker, tenant.timeZone);
  queueEmail(em, tenant, {
    kind: 'technician_invite',
    to: { address: technician.email, name: technician.name },
    subject: speaker.t('mail.technicianInvitation.subject', { company: tenant.name }),
    text, html,
    credentialTarget: { technicianId: technician.id },
    autoSubmitted: true,
  });
}
