// GET /tickets/:number/quick-reply?quickReply=ID — the reply box filled with a
// quick reply's text, snippets left as {[…]}: they resolve for the requester
// when the reply is sent (domain/email/reply-snippets.ts). htmx swaps in the
// textarea; without scripts the ticket page comes back with the box filled.
import { QuickReply } from '../../../domain/email/quick-reply.js';
import { findTicket, numberParam } from '../../../domain/ticket/queries.js';
import { parseId } from '../../../lib/ids.js';
import { NotFoundError } from '../../../lib/validation.js';
import { technician } from '../../action.js';
import { isFragmentRequest } from '../../reply.js';
import { ticketPageLocals } from './page.js';

export const show = technician(async ({ em, req, reply }) => {
  const ticket = await findTicket(em, numberParam(req.params.number));
  const id = parseId(req.query.quickReply);
  const quickReply = id ? await em.findOne(QuickReply, { id }) : null;
  if (req.query.quickReply && !quickReply) throw new NotFoundError();
  if (isFragmentRequest(req)) return reply.render('tickets/_reply-body', { body: quickReply?.body ?? '', errors: {} });
  const locals = await ticketPageLocals(em, ticket);
  await reply.render('tickets/show', { ...locals, values: { body: quickReply?.body ?? '', kind: 'public' } });
});
