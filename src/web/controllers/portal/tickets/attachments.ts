// GET /portal/tickets/:number/attachments/:id — a file of a ticket the contact may see (never of an internal note).
import { numberParam } from '../../../params.js';
import { attachmentFor } from '../../../../domain/ticket/attachments.js';
import { findTicketForContact } from '../../../../domain/ticket/queries.js';
import { NotFoundError } from '../../../../lib/validation.js';
import { idParam, portal } from '../../../action.js';
import { sendAttachment } from '../../download.js';

export const show = portal(async ({ em, contact, req, res }) => {
  const ticket = await findTicketForContact(em, contact, numberParam(req.params.number));
  const file = await attachmentFor(em, ticket, idParam(req), true);
  if (!file) throw new NotFoundError();
  sendAttachment(res, file);
});
