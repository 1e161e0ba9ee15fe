// POST /portal/tickets/:number/replies — the contact writes back; a resolved ticket reopens.
import { findTicketForContact, numberParam } from '../../../../domain/ticket/queries.js';
import { addReply } from '../../../../domain/ticket/replies.js';
import { ValidationError } from '../../../../lib/validation.js';
import { portal } from '../../../action.js';
import { uploadedFiles } from '../../../middleware/uploads.js';
import { portalTicketLocals } from '../tickets.js';

export const create = portal(async ({ em, tenant, contact, req, reply, body }) => {
  const ticket = await findTicketForContact(em, contact, numberParam(req.params.number), { forChange: true });
  try {
    if (req.uploadError) throw new ValidationError({ attachments: req.uploadError });
    const message = await addReply(em, tenant, ticket, { body: body.body, author: contact, attachments: uploadedFiles(req) });
    reply.redirect(`/portal/tickets/${ticket.number}#message-${message.id}`);
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    reply.rollback(); // the verb failed: nothing it wrote is kept
    await reply.render('portal/tickets/show', { ...await portalTicketLocals(em, ticket), values: body, errors: error.errors }, 422, false);
  }
});
