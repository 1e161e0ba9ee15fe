import { Technician } from '../../domain/technician/technician.js';
import { technician } from '../action.js';

export const show = technician(async ({ em, reply, req }) => {
  const technicians = await em.count(Technician, { active: true });
  const flash = req.session.flash;
  delete req.session.flash;
  await reply.render('dashboard/show', { title: 'Dashboard', technicians, flash });
});
