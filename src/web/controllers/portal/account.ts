// The contact's account: their details and changing their password.
import { changeOwnPassword } from '../../../domain/contact/portal-auth.js';
import { portal } from '../../action.js';
import { issueCsrfToken } from '../../middleware/csrf.js';
import { login } from '../../sign-in.js';

export const show = portal(async ({ req, reply }) => {
  await reply.render('portal/account/show', { title: 'Account' });
});

export const editPassword = portal(async ({ contact, reply }) => {
  await reply.render('portal/account/password', { title: 'Change password', errors: {}, forced: contact.mustChangePassword });
});

export const updatePassword = portal(async ({ tenant, contact, req, res, reply, body, form }) => {
  const forced = contact.mustChangePassword;
  const changed = await form((em) => changeOwnPassword(em, tenant, contact, body),
    (errors) => reply.render('portal/account/password', { title: 'Change password', errors, forced }, 422));
  if (!changed) return;
  // This session carries on with the new password generation; every other one ends.
  await login(req, { kind: 'contact', id: contact.id, tenantId: tenant.id, pwdAt: contact.passwordChangedAt!.getTime() });
  issueCsrfToken(req, res);
  reply.flash('Your password is changed.');
  reply.redirect('/portal/account');
});
