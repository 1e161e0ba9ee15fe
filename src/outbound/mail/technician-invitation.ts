// The invitation email of a technician; its set-password link is minted when it is sent.
import type { Em } from '../../db/orm.js';
import type { Technician } from '../../domain/technician/technician.js';
import type { Tenant } from '../../domain/tenant/tenant.js';
import { TECHNICIAN_PASSWORD_LINK } from '../credentials.js';
import { queueEmail } from '../outbox.js';
import { recipientSpeaker, renderMail } from './render.js';

export async function technicianInvitation(em: Em, tenant: Tenant, technician: Pick<Technician, 'id' | 'name' | 'email'>): Promise<void> {
  const { text, html } = await renderMail('technician-invitation', { name: technician.name, company: tenant.name, link: TECHNICIAN_PASSWORD_LINK }, recipientSpeaker(tenant), tenant.timeZone);
  queueEmail(em, tenant, {
    kind: 'technician_invite',
    to: { address: technician.email, name: technician.name },
    subject: `You're invited to ${tenant.name} on Sportello`,
    text, html,
    credentialTarget: { technicianId: technician.id },
    autoSubmitted: true,
  });
}
