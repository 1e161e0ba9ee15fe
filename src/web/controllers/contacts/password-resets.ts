// POST /contacts/:id/password-reset — a technician resets a contact's portal
// password: a reset link by email (the default), or a temporary password shown
// once, here, never stored or logged in clear, to be changed at next sign-in.
import { Contact } from '../../../domain/contact/contact.js';
import { resetByTechnician } from '../../../domain/contact/credential-flows.js';
import { NotFoundError } from '../../../lib/validation.js';
import { idParam, technician } from '../../action.js';

export const create = technician(async ({ em, tenant, technician, req, reply, body }) => {
  const contact = await em.findOne(Contact, { id: idParam(req) }, { populate: ['customer'] });
  if (!contact) throw new NotFoundError();
  const mode = body.mode === 'temporary' ? 'temporary' : 'link';
  const plain = await resetByTechnician(em, tenant, contact, technician, mode);
  if (!plain) {
    reply.flash(`A reset link is on its way to ${contact.email}. It works once, for 1 hour.`);
    return reply.redirect(`/contacts/${contact.id}#credentials`);
  }
  reply.headers['Cache-Control'] = 'no-store';
  await reply.render('contacts/temporary-password', { title: 'Temporary password', contact, password: plain }, 200, false);
});
