// POST /contacts/:id/password-reset — a technician resets a contact's portal
// password: a reset link by email (the default), or a temporary password, minted
// here and shown once by GET /contacts/:id/temporary-password (post/redirect/get:
// a reload shows that it is gone, and mints nothing). Never stored or logged in clear.
import { Contact } from '../../../domain/contact/contact.js';
import { resetByTechnician } from '../../../domain/contact/credential-flows.js';
import { idParam, technician } from '../../action.js';
import { keepToShowOnce, takeShownOnce } from '../../shown-once.js';

const shownOnce = (contact: Contact) => `contact ${contact.id} temporary password`;

export const create = technician(async ({ em, tenant, req, reply, body, t }) => {
  const contact = await em.findOneOrFail(Contact, { id: idParam(req) }, { populate: ['customer'] });
  const mode = body.mode === 'temporary' ? 'temporary' : 'link';
  const plain = await resetByTechnician(em, tenant, contact, mode);
  if (!plain) {
    reply.flash(t('contacts.flash.resetLinkSent', { email: contact.email }));
    return reply.redirect(`/contacts/${contact.id}#credentials`);
  }
  keepToShowOnce(req, shownOnce(contact), plain);
  reply.redirect(`/contacts/${contact.id}/temporary-password`);
});

/** The temporary password just minted, to this one view; after it, a page that says it is gone. */
export const show = technician(async ({ em, req, reply, t }) => {
  const contact = await em.findOneOrFail(Contact, { id: idParam(req) });
  const password = takeShownOnce(req, shownOnce(contact));
  reply.headers['Cache-Control'] = 'no-store';
  await reply.render('contacts/temporary-password', { title: t('contacts.temporaryPassword.title'), contact, password }, 200, false);
});
