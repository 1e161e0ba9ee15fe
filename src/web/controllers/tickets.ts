// Tickets for technicians: the filtered list, a new ticket on behalf of a contact, the ticket page.
import { first, numberParam, parseId, parseText } from '../params.js';
import { contactChoices } from '../../domain/contact/lists.js';
import { customerChoices } from '../../domain/customer/lists.js';
import type { Sql } from '../../db/sql.js';
import { Contact } from '../../domain/contact/contact.js';
import { Technician } from '../../domain/technician/technician.js';
import { technicianFor } from '../../domain/ticket/changes.js';
import { openTicket } from '../../domain/ticket/open-ticket.js';
import { filterChoices, findTicket, listTickets, requesterName } from '../../domain/ticket/queries.js';
import { filtersQuery, parseFilters } from '../ticket-filters.js';
import { PRIORITIES, STATUSES, TYPES } from '../../domain/ticket/ticket.js';
import type { Em } from '../../db/orm.js';
import type { T } from '../../i18n/translate.js';
import { technician } from '../action.js';
import { isFragmentRequest } from '../reply.js';
import { allowRemoteImages } from '../remote-images.js';
import { ticketPageLocals } from './tickets/page.js';

export const index = technician(async ({ sql, me, req, reply, t }) => {
  const filters = parseFilters(req.query as Record<string, unknown>);
  const result = await listTickets(sql, filters, me);
  const list = { ...result, filters, pageUrl: (page: number) => `/tickets${filtersQuery(filters, page)}` };
  // The filter form and the paging links swap just the list (and push the URL).
  if (isFragmentRequest(req) && req.get('HX-Target') === 'ticket-list') {
    reply.headers['HX-Push-Url'] = list.pageUrl(filters.page); // the clean URL, without the form's empty fields
    return reply.render('tickets/_list', list, 200, true);
  }
  const requester = await requesterName(sql, filters.contact);
  // The customer filter offers the customers its search finds (the first 50), not every customer.
  const customerQ = parseText(req.query.customerQ) ?? '';
  const picker = await customerChoices(sql, customerQ, filters.customer);
  await reply.render('tickets/index', {
    title: t('tickets.index.title'), ...list, ...await filterChoices(sql), requester, customerQ, picker, statuses: STATUSES, priorities: PRIORITIES,
  });
});

/**
 * The form's choices. The requester picker offers the contacts its search finds (the
 * first 50), not every contact: with JavaScript the search answers new options as one
 * types (contactChoices below); without, its Find button reloads this page searched.
 */
async function formLocals(em: Em, sql: Sql, t: T, values: Record<string, unknown>) {
  const picker = await contactChoices(sql, parseText(values.contactQ), parseId(values.contact));
  const technicians = await em.find(Technician, { active: true }, { orderBy: { name: 'asc' }, fields: ['id', 'name'] });
  return { title: t('tickets.new.title'), picker, technicians, priorities: PRIORITIES, types: TYPES };
}

export const newTicket = technician(async ({ em, sql, req, reply, t }) => {
  const values = { contact: String(first(req.query.contact) ?? ''), contactQ: parseText(req.query.contactQ) ?? '', priority: 'medium', type: 'question' };
  await reply.render('tickets/new', { ...await formLocals(em, sql, t, values), values, errors: {} });
});

/** The requester picker's options for its search (htmx, as one types). */
export const contactOptions = technician(async ({ sql, req, reply }) => {
  const picker = await contactChoices(sql, parseText(req.query.contactQ), parseId(req.query.contact));
  await reply.render('contacts/_options', { ...picker, chosen: String(first(req.query.contact) ?? '') }, 200, true);
});

export const create = technician(async ({ em, sql, tenant, technician, reply, body, form, t }) => {
  await form(async (em) => {
    const contactId = parseId(body.contact);
    const contact = contactId ? await em.findOne(Contact, { id: contactId }, { populate: ['customer'] }) : null;
    const assignee = await technicianFor(em, body.assignee);
    const ticket = await openTicket(em, tenant, { ...body, contact, assignee, source: 'technician', title: body.title });
    reply.redirect(`/tickets/${ticket.number}`);
  }, async (errors) => reply.render('tickets/new', { ...await formLocals(em, sql, t, body), values: body, errors }, 422));
});

export const show = technician(async ({ em, req, res, reply }) => {
  const ticket = await findTicket(em, numberParam(req.params.number));
  // "Show images": this one answer may load the images of the emails it shows from other sites.
  const images = req.query.images === '1';
  if (images) allowRemoteImages(res);
  await reply.render('tickets/show', { ...await ticketPageLocals(em, ticket), images });
});
