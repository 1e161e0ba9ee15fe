// POST /portal/tickets/:number/replies — the contact writes back; a resolved ticket reopens.
import { numberParam } from '../../../params.js';
import { findTicketForContact } from '../../../../domain/ticket/queries.js';
import { addReply } from '../../../../domain/ticket/replies.js';
import { ValidationError } from '../../../../lib/validation.js';
import { portal } from '../../../action.js';
import { uploadedFiles } from '../../../middleware/uploads.js';
import { portalTicketLocals } from '../tickets.js';

export const create = portal(async ({ em, tenant, contact, req, reply, body, form }) => {
  const ticket = await findTicketForContact(em, contact, numberParam(req.params.number), { forChange: true });
  await form(async (em) => {
    if (req.uploadError) throw new ValidationError({ attachments: req.uploadError });
    const message = await addReply(em, tenant, ticket, { body: body.body, author: contact, attachments: uploadedFiles(req) });
    reply.redirect(`/portal/tickets/${ticket.number}#message-${message.id}`);
  }, async (errors) => reply.render('portal/tickets/show', { ...await portalTicketLocals(em, ticket), values: body, errors }, 422, false));
});
