// POST /admin/technicians/:id/second-factor/deletion: reset a technician's two-factor sign-in (a lost phone).
import { resetSecondFactor } from '../../../../domain/technician/two-factor.js';
import { technicianChange } from '../technicians.js';

export const reset = technicianChange((em, { tenant }, t) => resetSecondFactor(em, tenant, t),
  (t) => `${t.name}'s two-factor sign-in is reset: they sign in with their password only until they set it up again.`);
