// The contact's tickets: My tickets, a new ticket (with attachments), the public conversation.
import { pagerFor } from '../../listing.js';
import { numberParam, pageParam } from '../../params.js';
import { addAttachments, attachmentsOf } from '../../../domain/ticket/attachments.js';
import { openTicket } from '../../../domain/ticket/open-ticket.js';
import { conversationOf, findTicketForContact, listContactTickets } from '../../../domain/ticket/queries.js';
import { STATUSES, type Ticket, type TicketStatus } from '../../../domain/ticket/ticket.js';
import type { Em } from '../../../db/orm.js';
import { ValidationError } from '../../../lib/validation.js';
import { portal } from '../../action.js';
import { uploadedFiles } from '../../middleware/uploads.js';
import { groupFiles } from '../tickets/page.js';

export function statusParam(value: unknown): TicketStatus | undefined {
  return STATUSES.includes(value as TicketStatus) ? (value as TicketStatus) : undefined;
}

export const index = portal(async ({ sql, me, req, reply }) => {
  const status = statusParam(req.query.status);
  const result = await listContactTickets(sql, me, status, pageParam(req));
  await reply.render('portal/tickets/index', { title: 'My tickets', heading: 'My tickets', base: '/portal/tickets', ...result, pager: pagerFor('/portal/tickets', { status }, result.page, result.total), status, statuses: STATUSES, showRequester: false });
});

export const newTicket = portal(async ({ reply }) => {
  await reply.render('portal/tickets/new', { title: 'New ticket', values: {}, errors: {} });
});

export const create = portal(async ({ tenant, contact, req, reply, body, form }) => {
  await form(async (em) => {
    if (req.uploadError) throw new ValidationError({ attachments: req.uploadError });
    const ticket = await openTicket(em, tenant, { contact, title: body.title, description: body.description, source: 'portal' });
    await addAttachments(em, tenant, ticket, uploadedFiles(req));
    reply.flash(`Ticket #${ticket.number} is open. We will answer here and by email.`);
    reply.redirect(`/portal/tickets/${ticket.number}`);
  }, (errors) => reply.render('portal/tickets/new', { title: 'New ticket', values: body, errors }, 422));
});

export async function portalTicketLocals(em: Em, ticket: Ticket) {
  const messages = await conversationOf(em, ticket, true);
  const files = groupFiles(await attachmentsOf(em, ticket, true));
  return { title: `#${ticket.number} ${ticket.title}`, ticket, messages, files, base: `/portal/tickets/${ticket.number}`, values: {}, errors: {} };
}

export const show = portal(async ({ em, contact, req, reply }) => {
  const ticket = await findTicketForContact(em, contact, numberParam(req.params.number));
  await reply.render('portal/tickets/show', { ...await portalTicketLocals(em, ticket) });
});
