// Tickets for technicians: the filtered list, a new ticket on behalf of a contact, the ticket page.
import { first, numberParam, parseId, parseText } from '../params.js';
import { contactChoices } from '../../domain/contact/lists.js';
import type { Sql } from '../../db/sql.js';
import { requesterFor } from '../../domain/ticket/requester.js';
import { Technician } from '../../domain/technician/technician.js';
import { technicianFor } from '../../domain/ticket/changes.js';
import { openTicket } from '../../domain/ticket/open-ticket.js';
import { filterChoices, listTickets, type TicketPage } from '../../domain/ticket/queries.js';
import { hasTicketNumber, ticketNumberIn } from '../../domain/ticket/search.js';
import { VIEW_LABEL, VIEWS, viewFilters, type TicketFilters } from '../../domain/ticket/views.js';
import { listPath, parseFilters, sortLinks } from '../ticket-filters.js';
import { PRIORITIES, STATUSES, TYPES } from '../../domain/ticket/ticket.js';
import type { Em } from '../../db/orm.js';
import type { T } from '../../i18n/translate.js';
import { technician, type TechnicianCtx } from '../action.js';
import { isFragmentRequest } from '../reply.js';
import { allowRemoteImages } from '../remote-images.js';
import { ticketPageLocals } from './tickets/page.js';

/** What the list partial shows: the page, its filters, and the links that page, sort and switch view. */
export function listLocals(filters: TicketFilters, result: TicketPage) {
  return {
    ...result, filters, sorts: sortLinks(filters), listUrl: listPath(filters),
    pageUrl: (page: number) => listPath(filters, page),
    views: VIEWS.map((view) => ({ view, label: VIEW_LABEL[view], href: listPath(viewFilters(view)), current: filters.view === view })),
  };
}

/** Whether this request answers the list alone: the filter form, the sort and the paging links, and a bulk edit (a POST) swap just the list. */
const listOnly = (req: TechnicianCtx['req']) => isFragmentRequest(req) && (req.method === 'POST' || req.get('HX-Target') === 'ticket-list');

/** The list's page and, for the whole page, its filter choices — sent together: one socket write and one answer for both (db/sql.ts writeTogether). */
function listReads(sql: Sql, req: TechnicianCtx['req'], filters: TicketFilters, me: { id: number }) {
  // The customer filter offers the customers its search finds (the first 50), not every customer.
  const customerQ = parseText(req.query.customerQ) ?? '';
  return Promise.all([
    listTickets(sql, filters, me, req.tenant!.language),
    listOnly(req) ? undefined : filterChoices(sql, { customerQ, customer: filters.customer, contact: filters.contact }),
  ]);
}

type ListRead = Awaited<ReturnType<typeof listReads>>;

/**
 * The list page, or — for the list's own htmx requests — the list alone; `extra`: a bulk
 * edit's outcome (notice, errors, the selection kept); `read`: what the GET read with its guard (index).
 */
export async function renderList(ctx: TechnicianCtx, filters: TicketFilters, extra: Record<string, unknown> = {}, status = 200, read?: ListRead): Promise<void> {
  const { sql, me, req, reply, t } = ctx;
  const [page, choices] = read ?? await listReads(sql, req, filters, me);
  const list = listLocals(filters, page);
  if (listOnly(req)) {
    if (req.method === 'GET') reply.headers['HX-Push-Url'] = list.pageUrl(filters.page); // the clean URL, without the form's empty fields
    return reply.render('tickets/_list', { ...list, ...extra, fragment: true }, status, true);
  }
  await reply.render('tickets/index', {
    title: t('tickets.index.title'), ...list, ...choices, ...extra, customerQ: parseText(req.query.customerQ) ?? '', statuses: STATUSES, priorities: PRIORITIES,
  }, status);
}

// The list reads with its guard (technician.page): one round trip. A ticket's number (1001,
// #1001) in the search box goes straight to that ticket, when there is one: that search reads for itself.
export const index = technician.page(({ sql, req, user }) => {
  const filters = parseFilters(req.query as Record<string, unknown>);
  return ticketNumberIn(filters.q) === undefined ? listReads(sql, req, filters, user) : undefined;
}, async (ctx, read) => {
  const filters = parseFilters(ctx.req.query as Record<string, unknown>);
  const number = ticketNumberIn(filters.q);
  if (number !== undefined && await hasTicketNumber(ctx.sql, number)) return ctx.reply.redirect(`/tickets/${number}`);
  await renderList(ctx, filters, {}, 200, read);
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
    const assignee = await technicianFor(em, body.assignee);
    const contact = await requesterFor(em, tenant, body);
    const ticket = await openTicket(em, tenant, { ...body, contact, assignee, openedBy: technician, source: 'technician', title: body.title });
    reply.redirect(`/tickets/${ticket.number}`);
  }, async (errors) => reply.render('tickets/new', { ...await formLocals(em, sql, t, body), values: body, errors }, 422));
});

// No ORM on this page: everything it shows is one statement (domain/ticket/ticket-page.ts), sent with the guard's (technician.page).
export const show = technician.page(({ sql, req }) => ticketPageLocals(sql, numberParam(req.params.number)), async ({ sql, req, res, reply }, read) => {
  const locals = read ?? await ticketPageLocals(sql, numberParam(req.params.number));
  // "Show images": this one answer may load the images of the emails it shows from other sites.
  const images = req.query.images === '1';
  if (images) allowRemoteImages(res);
  await reply.render('tickets/show', { ...locals, images });
});
