// The contact's tickets: My tickets, a new ticket (with attachments), the public conversation.
import { pagerFor } from '../../listing.js';
import { numberParam, pageParam } from '../../params.js';
import { addAttachments, attachmentsOf } from '../../../domain/ticket/attachments.js';
import { openTicket } from '../../../domain/ticket/open-ticket.js';
import { conversationOf, listContactTickets } from '../../../domain/ticket/queries.js';
import { portalTicketView } from '../../../domain/ticket/portal-page.js';
import { STATUSES, type Ticket, type TicketStatus } from '../../../domain/ticket/ticket.js';
import type { Em } from '../../../db/orm.js';
import { ValidationError } from '../../../lib/validation.js';
import { portal } from '../../action.js';
import { uploadedFiles } from '../../middleware/uploads.js';
import { groupFiles } from '../tickets/page.js';

export function statusParam(value: unknown): TicketStatus | undefined {
  return STATUSES.includes(value as TicketStatus) ? (value as TicketStatus) : undefined;
}

// TEMPORARY: the tickets area is to export STATUS_LABEL from src/domain/ticket/labels.ts;
// until it is on main, the portal names statuses with its own keys. A badge shows the
// status in lower case (the badge capitalises it), a filter as a plural heading.
const STATUS_LABEL: Record<TicketStatus, string> = {
  open: 'portal.status.open', pending: 'portal.status.pending', resolved: 'portal.status.resolved', closed: 'portal.status.closed',
};
const STATUS_FILTER: Record<TicketStatus, string> = {
  open: 'portal.statusFilter.open', pending: 'portal.statusFilter.pending', resolved: 'portal.statusFilter.resolved', closed: 'portal.statusFilter.closed',
};

/** What My tickets and Company tickets need to name statuses. */
export const statusLocals = { statuses: STATUSES, statusLabel: STATUS_LABEL, statusFilter: STATUS_FILTER };

// My tickets reads with its guard (portal.page): one round trip.
export const index = portal.page(({ sql, req, user }) => listContactTickets(sql, user, statusParam(req.query.status), pageParam(req)), async ({ sql, me, req, reply, t }, read) => {
  const status = statusParam(req.query.status);
  const result = read ?? await listContactTickets(sql, me, status, pageParam(req));
  const heading = t('portal.tickets.index.heading');
  await reply.render('portal/tickets/index', { title: heading, heading, base: '/portal/tickets', ...result, pager: pagerFor('/portal/tickets', { status }, result.page, result.total), status, ...statusLocals, showRequester: false });
});

export const newTicket = portal(async ({ reply, t }) => {
  await reply.render('portal/tickets/new', { title: t('portal.tickets.new.title'), values: {}, errors: {} });
});

export const create = portal(async ({ tenant, contact, req, reply, body, form, t }) => {
  await form(async (em) => {
    if (req.uploadError) throw new ValidationError({ attachments: req.uploadError });
    const ticket = await openTicket(em, tenant, { contact, title: body.title, description: body.description, source: 'portal' });
    await addAttachments(em, tenant, ticket, uploadedFiles(req));
    reply.flash(t('portal.tickets.new.opened', { number: ticket.number }));
    reply.redirect(`/portal/tickets/${ticket.number}`);
  }, (errors) => reply.render('portal/tickets/new', { title: t('portal.tickets.new.title'), values: body, errors }, 422));
});

export async function portalTicketLocals(em: Em, ticket: Ticket) {
  const messages = await conversationOf(em, ticket, true);
  const files = groupFiles(await attachmentsOf(em, ticket, true));
  return { title: `#${ticket.number} ${ticket.title}`, ticket, messages, files, base: `/portal/tickets/${ticket.number}`, values: {}, errors: {}, statusLabel: STATUS_LABEL };
}

// No ORM on this page: the ticket, its public conversation and its files are one statement (portalTicketView).
export const show = portal(async ({ sql, me, req, reply }) => {
  const { ticket, messages, files } = await sql.last(portalTicketView(sql, me, numberParam(req.params.number)));
  await reply.render('portal/tickets/show', {
    title: `#${ticket.number} ${ticket.title}`, ticket, messages, files: groupFiles(files), base: `/portal/tickets/${ticket.number}`, values: {}, errors: {}, statusLabel: STATUS_LABEL,
  });
});
