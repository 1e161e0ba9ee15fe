// POST /admin/technicians/:id/invitation (send it again) and /invitation/deletion (revoke it).
import { resendInvitation, revokeInvitation } from '../../../../domain/technician/administration.js';
import { technicianChange } from '../technicians.js';

export const resend = technicianChange((em, { tenant }, p) => resendInvitation(em, tenant, p),
  (p, t) => t('admin.technicians.flash.resent', { email: p.email }));

export const revoke = technicianChange((em, { tenant }, p) => revokeInvitation(em, tenant, p),
  (p, t) => t('admin.technicians.flash.revoked', { name: p.name }));
