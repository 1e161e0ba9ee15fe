// POST /admin/technicians/:id/role
import { changeRole } from '../../../../domain/technician/administration.js';
import { technicianChange } from '../technicians.js';

export const update = technicianChange((em, { tenant, body }, p) => changeRole(em, tenant, p, body.role),
  (p, t) => (p.role === 'admin' ? t('admin.technicians.flash.nowAdmin', { name: p.name }) : t('admin.technicians.flash.nowTechnician', { name: p.name })));
