// POST /admin/technicians/:id/invitation (send it again) and /invitation/deletion (revoke it).
import { resendInvitation, revokeInvitation } from '../../../../domain/technician/administration.js';
import { technicianChange } from '../technicians.js';

export const resend = technicianChange((em, { tenant }, t) => resendInvitation(em, tenant, t),
  (t) => `A new invitation is on its way to ${t.email}; earlier links no longer work.`);

export const revoke = technicianChange((em, { tenant }, t) => revokeInvitation(em, tenant, t),
  (t) => `${t.name}'s invitation is revoked: its links no longer work.`);
