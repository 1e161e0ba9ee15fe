// GET /tickets/:number/quick-reply?quickReply=ID — the reply box filled with a
// quick reply's text, snippets left as {[…]}: they resolve for the requester
// when the reply is sent (domain/email/reply-snippets.ts). htmx swaps in the
// textarea (and, out of band, what it does to the requester's credentials);
// without scripts the ticket page comes back with the box filled.
//
// A requester who already has a password gets {[Portal Password Link]} where the
// quick reply says {[Portal Password]}: a link to choose a new password replaces
// nothing until it is used, and the box says so. Writing {[Portal Password]} back
// is allowed, and Send Reply then asks to confirm that it replaces the password.
import { numberParam } from '../../params.js';
import { QuickReply } from '../../../domain/email/quick-reply.js';
import { findTicket } from '../../../domain/ticket/queries.js';
import { parseId } from '../../../lib/parse.js';
import { NotFoundError } from '../../../lib/validation.js';
import { portalPasswordAsLink, usesPortalPassword } from '../../../domain/email/snippets.js';
import { technician } from '../../action.js';
import { isFragmentRequest } from '../../reply.js';
import { replyCredentialLocals, ticketPageLocals } from './page.js';

export const show = technician(async ({ em, sql, tenant, req, reply }) => {
  const ticket = await findTicket(em, numberParam(req.params.number));
  const id = parseId(req.query.quickReply);
  const quickReply = id ? await em.findOne(QuickReply, { id }) : null;
  if (req.query.quickReply && !quickReply) throw new NotFoundError();
  let body = quickReply?.body ?? '';
  const asLink = Boolean(ticket.contact.passwordHash) && usesPortalPassword(body, tenant.edition);
  if (asLink) body = portalPasswordAsLink(body, tenant.edition);
  const credentials = replyCredentialLocals(tenant, ticket, body, asLink);
  if (isFragmentRequest(req)) return reply.render('tickets/_quick-reply-fill', { body, errors: {}, credentials });
  const locals = await ticketPageLocals(sql, ticket.number, ticket);
  await reply.render('tickets/show', { ...locals, values: { body, kind: 'public' }, credentials });
});
