// GET /portal/company-tickets — every ticket of the main contact's customer; 404 for other contacts.
import { listCompanyTickets } from '../../../domain/ticket/queries.js';
import { portal } from '../../action.js';
import { pagerFor } from '../../listing.js';
import { pageParam } from '../../params.js';
import { statusLocals, statusParam } from './tickets.js';

export const index = portal(async ({ sql, me, req, reply }) => {
  const status = statusParam(req.query.status);
  const result = await listCompanyTickets(sql, me, status, pageParam(req));
  const heading = req.speaker!.terms.companyTickets;
  await reply.render('portal/tickets/index', { title: heading, heading, base: '/portal/company-tickets', ...result, pager: pagerFor('/portal/company-tickets', { status }, result.page, result.total), status, ...statusLocals, showRequester: true });
});
