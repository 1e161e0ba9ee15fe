// POST /admin/technicians/:id/deactivation and /activation.
import { deactivateTechnician, reactivateTechnician } from '../../../../domain/technician/administration.js';
import { technicianChange } from '../technicians.js';

export const deactivate = technicianChange((em, { tenant }, t) => deactivateTechnician(em, tenant, t),
  (t) => `${t.name} is deactivated: they are signed out and cannot sign in. Their tickets stay assigned to them.`);

export const activate = technicianChange((em, { tenant }, t) => reactivateTechnician(em, tenant, t),
  (t) => `${t.name} is active again.`);
