// POST /admin/technicians/:id/role
import { changeRole } from '../../../../domain/technician/administration.js';
import { technicianChange } from '../technicians.js';

export const update = technicianChange((em, { tenant, body }, t) => changeRole(em, tenant, t, body.role),
  (t) => `${t.name} is now ${t.role === 'admin' ? 'an admin' : 'a technician'}.`);
