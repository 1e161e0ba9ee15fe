// Forgot password? on /login: a reset link when the address is an active technician's,
// nothing otherwise. Runs in a job, after the answer (src/domain/sign-in/password-reset.ts).
import type { Em } from '../../db/orm.js';
import { normaliseEmail } from '../../lib/validation.js';
import { technicianPasswordReset } from '../../outbound/mail/technician-password-reset.js';
import { audit } from '../audit/audit-event.js';
import type { Tenant } from '../tenant/tenant.js';
import { Technician } from './technician.js';

export async function requestTechnicianPasswordReset(em: Em, tenant: Tenant, email: unknown): Promise<void> {
  const address = normaliseEmail(email);
  if (!address || address.length > 254) return;
  const technician = await em.findOne(Technician, { email: address, active: true });
  if (!technician) return;
  await technicianPasswordReset(em, tenant, technician);
  audit(em, tenant, 'technician.password_reset_link_requested', { type: 'technician', id: technician.id }, { by: 'the technician (forgot password)' });
  await em.flush();
}
