import { Technician } from '../../domain/technician/technician.js';
import { ticketOverview } from '../../domain/ticket/overview.js';
import { listActiveTicketsOf } from '../../domain/ticket/queries.js';
import { technician } from '../action.js';

export const show = technician(async ({ em, sql, reply, technician: me, t }) => {
  const technicians = await em.count(Technician, { active: true });
  const overview = await ticketOverview(em, me);
  const mine = await listActiveTicketsOf(sql, me);
  await reply.render('dashboard/show', { title: t('dashboard.show.title'), technicians, overview, mine: mine.tickets.slice(0, 10) });
});
