// GET /tickets/:number/quick-reply?quickReply=ID — the reply box filled with a
// quick reply's text, snippets left as {[…]}: they resolve for the requester
// when the reply is sent (see domain/email/reply-snippets.ts).
import { QuickReply } from '../../../domain/email/quick-reply.js';
import { Ticket } from '../../../domain/ticket/ticket.js';
import { NotFoundError } from '../../../lib/validation.js';
import { technician } from '../../action.js';

function positive(value: unknown): number | undefined {
  const n = Number(value);
  return Number.isSafeInteger(n) && n > 0 && n < 2_147_483_647 ? n : undefined;
}

export const show = technician(async ({ em, req, reply }) => {
  const number = positive(req.params.number);
  const ticket = number ? await em.findOne(Ticket, { number }, { fields: ['id', 'number'] }) : null;
  if (!ticket) throw new NotFoundError();
  const id = positive(req.query.quickReply);
  const quickReply = id ? await em.findOne(QuickReply, { id }) : null;
  if (req.query.quickReply && !quickReply) throw new NotFoundError();
  await reply.render('tickets/_reply-body', { body: quickReply?.body ?? '', errors: {} }, 200, true);
});
