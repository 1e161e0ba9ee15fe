// Admin > Email Settings > Support addresses: add, edit, enable or disable, delete a
// mailbox, and test a connection. The password is never sent back to the browser.
import type { Em } from '../../../db/orm.js';
import { afterCommit } from '../../../db/unit-of-work.js';
import { Mailbox } from '../../../domain/mailbox/mailbox.js';
import { createMailbox, deleteMailbox, mailboxPassword, mailboxValues, updateMailbox, type MailboxInput } from '../../../domain/mailbox/mailboxes.js';
import { connectableProviders } from '../../../domain/mailbox/oauth-apps.js';
import { accessTokenFor } from '../../../domain/mailbox/oauth-tokens.js';
import { testConnection } from '../../../inbound/connection-test.js';
import { IMAP_PROBLEM_WORDS } from '../../../inbound/imap-errors.js';
import { shownErrors, type FieldErrors } from '../../../lib/validation.js';
import { connectionTestLimiter } from '../../rate-limits.js';
import { admin, idParam, type TechnicianCtx } from '../../action.js';

const DEFAULTS = { tls: 'tls', port: 993, folder: 'INBOX', pollMinutes: 1, enabled: true, authMethod: 'password' };

async function load(em: Em, id: number): Promise<Mailbox> {
  return em.findOneOrFail(Mailbox, { id });
}

/** What the form shows again: everything typed but the password. */
function typed(body: Record<string, unknown>): Record<string, unknown> {
  const { password: _password, _csrf, ...rest } = body;
  return { ...rest, enabled: body.enabled === 'on' };
}

/** An unticked checkbox sends nothing; for the form that means off. */
const fromForm = (body: Record<string, unknown>): MailboxInput => ({ ...body, enabled: body.enabled === 'on' ? 'on' : 'off' });

async function form(ctx: TechnicianCtx, view: 'new' | 'edit', locals: Record<string, unknown>, status = 200) {
  await ctx.reply.render(`admin/mailboxes/${view}`, { errors: {}, connectable: await connectableProviders(ctx.em), ...locals }, status);
}

export const newMailbox = admin((ctx) => form(ctx, 'new', { title: ctx.t('emailSettings.mailboxes.form.newTitle'), values: DEFAULTS }));

export const create = admin(async (ctx) => {
  await ctx.form(async (em) => {
    const mailbox = await createMailbox(em, ctx.tenant, fromForm(ctx.body));
    ctx.reply.flash(ctx.t('emailSettings.mailboxes.flash.added', { address: mailbox.address }));
    // Microsoft 365 or Google: its page, where Connect gives it the grant it polls with.
    ctx.reply.redirect(mailbox.authMethod === 'password' ? '/admin/email-settings#support-addresses' : `/admin/mailboxes/${mailbox.id}`);
  }, (errors) => form(ctx, 'new', { title: ctx.t('emailSettings.mailboxes.form.newTitle'), values: typed(ctx.body), errors }, 422));
});

export const edit = admin(async (ctx) => {
  const mailbox = await load(ctx.em, idParam(ctx.req));
  await form(ctx, 'edit', { title: mailbox.address, mailbox, values: mailbox });
});

export const update = admin(async (ctx) => {
  const mailbox = await load(ctx.em, idParam(ctx.req));
  const title = mailbox.address;
  await ctx.form(async (em) => {
    await updateMailbox(em, ctx.tenant, mailbox, fromForm(ctx.body));
    ctx.reply.flash(ctx.t('emailSettings.mailboxes.flash.saved', { address: mailbox.address }));
    ctx.reply.redirect('/admin/email-settings#support-addresses');
  }, (errors) => form(ctx, 'edit', { title, mailbox, values: typed(ctx.body), errors }, 422));
});

/** The list's Enable / Disable button: the mailbox as it is, with `enabled` changed. */
export const updateEnabled = admin(async (ctx) => {
  const mailbox = await load(ctx.em, idParam(ctx.req));
  const { address, host, port, tls, username, folder, processedFolder, pollMinutes, authMethod } = mailbox;
  const enabled = ctx.body.enabled === 'on';
  await ctx.form(async (em) => {
    await updateMailbox(em, ctx.tenant, mailbox, { address, host, port, tls, username, folder, processedFolder, pollMinutes, authMethod, enabled: enabled ? 'on' : 'off' });
    ctx.reply.flash(ctx.t(enabled ? 'emailSettings.mailboxes.flash.enabled' : 'emailSettings.mailboxes.flash.disabled', { address: mailbox.address }));
    ctx.reply.redirect('/admin/email-settings#support-addresses');
  }, async () => {
    // Saved settings that no longer pass (plain IMAP, or a private host, now refused): the form says which.
    ctx.reply.flash(ctx.t(enabled ? 'emailSettings.mailboxes.flash.cannotEnable' : 'emailSettings.mailboxes.flash.cannotDisable', { address: mailbox.address }));
    ctx.reply.redirect(`/admin/mailboxes/${mailbox.id}`);
  });
});

/** The deletion's confirmation step (GET /admin/mailboxes/:id/deletion). */
export const confirmDestroy = admin(async ({ em, req, reply, t }) => {
  const mailbox = await load(em, idParam(req));
  await reply.render('shared/confirm-deletion', {
    title: t('ticketPage.confirmDeletion.title', { name: mailbox.address }), heading: t('ticketPage.confirmDeletion.title', { name: mailbox.address }),
    warning: t('emailSettings.mailboxes.form.deleteHint'), action: `/admin/mailboxes/${mailbox.id}/deletion`,
    submit: t('ticketPage.confirmDeletion.submit', { name: mailbox.address }), cancel: `/admin/mailboxes/${mailbox.id}`,
  });
});

export const destroy = admin(async (ctx) => {
  const mailbox = await load(ctx.em, idParam(ctx.req));
  await deleteMailbox(ctx.em, ctx.tenant, mailbox);
  ctx.reply.flash(ctx.t('emailSettings.mailboxes.flash.deleted', { address: mailbox.address }));
  ctx.reply.redirect('/admin/email-settings#support-addresses');
});

/**
 * The form's connection settings, checked as a save would check them (no plain IMAP
 * beyond this machine), with the stored password when the field is left empty and
 * the host and username are the saved ones.
 */
async function runTest(ctx: TechnicianCtx, mailbox: Mailbox | null) {
  const { check, values, password } = mailboxValues(ctx.body, false);
  const errors: FieldErrors = Object.fromEntries(Object.entries(check.errors).filter(([field]) => ['host', 'port', 'tls', 'username', 'folder'].includes(field)));
  // The stored password goes only to the server and account it was saved for.
  const sameAccount = mailbox && values.host === mailbox.host && values.username === mailbox.username && values.port === mailbox.port && values.tls === mailbox.tls && values.authMethod === mailbox.authMethod;
  // An OAuth mailbox tests with its grant: a connected one, for the account it was given for.
  const oauth = values.authMethod !== 'password';
  if (oauth && !(sameAccount && mailbox.oauthStatus === 'connected')) errors.password = 'oauthMail.errors.testConnectFirst';
  const secret = oauth ? '' : password || (sameAccount ? await mailboxPassword(ctx.em, mailbox) : '');
  if (!oauth && !secret) errors.password = mailbox ? 'emailSettings.mailboxes.errors.testPasswordElsewhere' : 'emailSettings.mailboxes.errors.testPassword';
  if (!Object.keys(errors).length) {
    const wait = await connectionTestLimiter().consume(ctx.tenant.id);
    if (wait) errors.host = { key: 'emailSettings.mailboxes.errors.tooManyTests', params: { count: Math.ceil(wait / 60) } };
  }
  if (Object.keys(errors).length) {
    await ctx.reply.render('admin/mailboxes/_connection-test', { errors: shownErrors(ctx.t, errors), report: null }, 200, true);
    return;
  }
  // After the commit (still before the answer is sent): a slow server holds no database connection.
  afterCommit(async () => {
    const token = oauth ? await accessTokenFor(ctx.tenant.id, mailbox!.id) : undefined;
    const report = token && !token.ok
      ? { ok: false, steps: [{ step: 'login' as const, state: 'failed' as const, problem: token.problem }], problem: token.problem }
      : await testConnection({ host: values.host, port: values.port, tls: values.tls, username: values.username, password: secret, accessToken: token?.ok ? token.token : undefined, folder: values.folder });
    await ctx.reply.render('admin/mailboxes/_connection-test', {
      errors: {}, report, settings: { host: values.host, port: values.port, folder: values.folder }, problemWords: IMAP_PROBLEM_WORDS,
    }, 200, true);
  });
}

export const testNew = admin((ctx) => runTest(ctx, null));

export const testSaved = admin(async (ctx) => runTest(ctx, await load(ctx.em, idParam(ctx.req))));
