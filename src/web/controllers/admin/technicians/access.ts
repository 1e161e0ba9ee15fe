// POST /admin/technicians/:id/deactivation and /activation.
import { deactivateTechnician, reactivateTechnician } from '../../../../domain/technician/administration.js';
import { technicianChange } from '../technicians.js';

export const deactivate = technicianChange((em, { tenant }, p) => deactivateTechnician(em, tenant, p),
  (p, t) => t('admin.technicians.flash.deactivated', { name: p.name }));

export const activate = technicianChange((em, { tenant }, p) => reactivateTechnician(em, tenant, p),
  (p, t) => t('admin.technicians.flash.activated', { name: p.name }));
