// POST /admin/technicians/:id/second-factor/deletion: reset a technician's two-factor sign-in (a lost phone).
import { resetSecondFactor } from '../../../../domain/technician/two-factor.js';
import { technicianChange } from '../technicians.js';

export const reset = technicianChange((em, { tenant }, p) => resetSecondFactor(em, tenant, p),
  (p, t) => t('admin.technicians.flash.secondFactorReset', { name: p.name }));
