// GET /portal/company-tickets — every ticket of the main contact's customer; 404 for other contacts.
import { listCompanyTickets } from '../../../domain/ticket/queries.js';
import { termsFor } from '../../../domain/tenant/terms.js';
import { STATUSES } from '../../../domain/ticket/ticket.js';
import { portal } from '../../action.js';
import { pagerFor } from '../../listing.js';
import { pageParam } from '../../params.js';
import { statusParam } from './tickets.js';

export const index = portal(async ({ sql, me, req, reply }) => {
  const status = statusParam(req.query.status);
  const result = await listCompanyTickets(sql, me, status, pageParam(req));
  const heading = termsFor(req.tenant!.edition).companyTickets;
  await reply.render('portal/tickets/index', { title: heading, heading, base: '/portal/company-tickets', ...result, pager: pagerFor('/portal/company-tickets', { status }, result.page, result.total), status, statuses: STATUSES, showRequester: true });
});
