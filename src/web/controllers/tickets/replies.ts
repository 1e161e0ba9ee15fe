// POST /tickets/:number/replies — a public reply (emailed to the requester) or an internal note,
// and, with "Send and set to Pending / Resolved" (`then`), the status it leaves the ticket in.
import { numberParam } from '../../params.js';
import { findTicket } from '../../../domain/ticket/queries.js';
import { replyAndSetStatus } from '../../../domain/ticket/replies.js';
import { ValidationError } from '../../../lib/validation.js';
import { technician } from '../../action.js';
import { uploadedFiles } from '../../middleware/uploads.js';
import { replyCredentialLocals, ticketPageLocals } from './page.js';

export const create = technician(async ({ em, sql, tenant, technician, req, reply, body, form }) => {
  const ticket = await findTicket(em, numberParam(req.params.number), { forChange: true });
  await form(async (em) => {
    if (req.uploadError) throw new ValidationError({ attachments: req.uploadError });
    const files = uploadedFiles(req);
    const message = await replyAndSetStatus(em, tenant, ticket, {
      body: body.body, internal: body.kind === 'note', author: technician, attachments: files, replacePasswordConfirmed: body.replacePassword === 'yes',
      status: body.then,
    });
    reply.redirect(`/tickets/${ticket.number}#message-${message.id}`);
  }, async (errors) => reply.render('tickets/show', {
    ...await ticketPageLocals(sql, ticket.number, ticket), values: body, errors, credentials: replyCredentialLocals(tenant, ticket, body.kind === 'note' ? '' : body.body),
  }, 422, false));
});
