import { Technician } from '../../../domain/technician/technician.js';
import { inviteTechnician } from '../../../domain/technician/technicians.js';
import { ValidationError } from '../../../lib/validation.js';
import { admin } from '../../action.js';

export const index = admin(async ({ em, reply, req }) => {
  const technicians = await em.find(Technician, {}, { orderBy: { name: 'asc' } });
  await reply.render('admin/technicians/index', { title: 'Technicians', technicians, values: { role: 'technician' }, errors: {} });
});

export const create = admin(async ({ em, reply, tenant, body }) => {
  try {
    const invited = await inviteTechnician(em, tenant, body);
    reply.flash(`${invited.name} is invited: an email with a link to set a password is on its way.`);
    reply.redirect('/admin/technicians');
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    const technicians = await em.find(Technician, {}, { orderBy: { name: 'asc' } });
    await reply.render('admin/technicians/index', { title: 'Technicians', technicians, values: body, errors: error.errors }, 422);
  }
});
