// The contact's account: their details, their own language, and changing their password.
import { changeOwnPassword } from '../../../domain/contact/portal-auth.js';
import { chooseOwnLanguage } from '../../../domain/contact/own-language.js';
import { portal } from '../../action.js';
import { issueCsrfToken } from '../../middleware/csrf.js';
import { speakAs } from '../../middleware/language.js';
import { login } from '../../sign-in.js';

export const show = portal(async ({ contact, reply, t }) => {
  await reply.render('portal/account/show', { title: t('portal.account.show.title'), language: contact.language ?? '', errors: {} });
});

// POST /portal/account/language — the flash is already in the language chosen.
export const updateLanguage = portal(async ({ em, tenant, contact, req, res, reply, body }) => {
  await chooseOwnLanguage(em, tenant, contact, body.language);
  const { t } = speakAs(req, res, contact.language);
  reply.flash(t('portal.account.language.saved'));
  reply.redirect('/portal/account');
});

export const editPassword = portal(async ({ contact, reply, t }) => {
  await reply.render('portal/account/password', { title: t('portal.account.password.title'), errors: {}, forced: contact.mustChangePassword });
});

export const updatePassword = portal(async ({ tenant, contact, req, res, reply, body, form, t }) => {
  const forced = contact.mustChangePassword;
  const changed = await form((em) => changeOwnPassword(em, tenant, contact, body),
    (errors) => reply.render('portal/account/password', { title: t('portal.account.password.title'), errors, forced }, 422));
  if (!changed) return;
  // This session carries on with the new password generation; every other one ends.
  await login(req, { kind: 'contact', id: contact.id, tenantId: tenant.id, pwdAt: contact.passwordChangedAt!.getTime() });
  issueCsrfToken(req, res);
  reply.flash(t('portal.account.password.changed'));
  reply.redirect('/portal/account');
});
