// The contact's account: their details and changing their password.
import { changeOwnPassword } from '../../../domain/contact/portal-auth.js';
import { ValidationError } from '../../../lib/validation.js';
import { portal } from '../../action.js';
import { issueCsrfToken } from '../../middleware/csrf.js';
import { login } from '../../sign-in.js';

export const show = portal(async ({ req, reply }) => {
  await reply.render('portal/account/show', { title: 'Account' });
});

export const editPassword = portal(async ({ contact, reply }) => {
  await reply.render('portal/account/password', { title: 'Change password', errors: {}, forced: contact.mustChangePassword });
});

export const updatePassword = portal(async ({ em, tenant, contact, req, res, reply, body }) => {
  try {
    await changeOwnPassword(em, tenant, contact, body);
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    reply.rollback(); // the verb failed: nothing it wrote is kept
    return reply.render('portal/account/password', { title: 'Change password', errors: error.errors, forced: contact.mustChangePassword }, 422);
  }
  // This session carries on with the new password generation; every other one ends.
  await login(req, { kind: 'contact', id: contact.id, tenantId: tenant.id, pwdAt: contact.passwordChangedAt!.getTime() });
  issueCsrfToken(req, res);
  reply.flash('Your password is changed.');
  reply.redirect('/portal/account');
});
