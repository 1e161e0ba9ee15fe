// GET /tickets/:number/attachments/:id — a file of a ticket, as a download.
import { numberParam } from '../../params.js';
import { attachmentFor } from '../../../domain/ticket/attachments.js';
import { findTicket } from '../../../domain/ticket/queries.js';
import { technician, idParam } from '../../action.js';
import { sendAttachment } from '../download.js';
import { NotFoundError } from '../../../lib/validation.js';

export const show = technician(async ({ em, req, res }) => {
  const ticket = await findTicket(em, numberParam(req.params.number));
  const file = await attachmentFor(em, ticket, idParam(req));
  if (!file) throw new NotFoundError();
  sendAttachment(res, file);
});
