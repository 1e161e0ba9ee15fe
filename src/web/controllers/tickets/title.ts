// The ticket's title, edited in place: GET /tickets/:number/title (the title, for Cancel),
// GET /tickets/:number/title/edit (its form: the fragment with htmx, else the ticket page
// showing it), POST /tickets/:number/title (retitle, recorded in the history).
import { numberParam } from '../../params.js';
import { retitle } from '../../../domain/ticket/changes.js';
import { findTicket } from '../../../domain/ticket/queries.js';
import { historyOf } from '../../../domain/ticket/history.js';
import { technician } from '../../action.js';
import { isFragmentRequest } from '../../reply.js';
import { ticketPageLocals } from './page.js';

export const show = technician(async ({ em, req, reply }) => {
  const ticket = await findTicket(em, numberParam(req.params.number));
  if (!isFragmentRequest(req)) return reply.redirect(`/tickets/${ticket.number}`);
  await reply.render('tickets/_title', { ticket, titleEditing: false });
});

export const edit = technician(async ({ em, sql, req, reply }) => {
  const ticket = await findTicket(em, numberParam(req.params.number));
  if (isFragmentRequest(req)) return reply.render('tickets/_title', { ticket, titleEditing: true });
  await reply.render('tickets/show', { ...await ticketPageLocals(sql, ticket.number, ticket), titleEditing: true });
});

export const update = technician(async ({ em, sql, tenant, req, reply, body, form }) => {
  const ticket = await findTicket(em, numberParam(req.params.number), { forChange: true });
  await form(async (em) => {
    await retitle(em, tenant, ticket, body.title);
    if (!isFragmentRequest(req)) return reply.redirect(`/tickets/${ticket.number}`);
    await reply.render('tickets/_retitled', { ticket, history: await historyOf(em, ticket) });
  }, async (errors) => {
    const refused = { ticket, titleEditing: true, titleValue: typeof body.title === 'string' ? body.title : '', titleError: errors.title };
    if (isFragmentRequest(req)) return reply.render('tickets/_title', refused, 422);
    return reply.render('tickets/show', { ...await ticketPageLocals(sql, ticket.number, ticket), ...refused }, 422);
  });
});
