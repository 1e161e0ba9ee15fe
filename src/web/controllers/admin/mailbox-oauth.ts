// Connect Microsoft 365 / Connect Google for a support address (issue 17). The button
// keeps, in the admin's session, the `state`, the PKCE verifier and the mailbox, and
// sends the admin to the provider's consent screen. The provider comes back to the one
// redirect URL every app registers, on the root host (`relay`), which hands the answer
// to the workspace the `state` names; there the session's `state` must match — once:
// it is taken out of the session as it is read, so a replayed or foreign `state` (or
// one of another workspace) is refused and nothing is exchanged. Also the workspace's
// own app registration, a provider.
import type { Request, Response } from 'express';
import { afterCommit } from '../../../db/unit-of-work.js';
import { Mailbox } from '../../../domain/mailbox/mailbox.js';
import { oauthAppFor, oauthRedirectUrl, removeWorkspaceApp, saveWorkspaceApp, workspaceApp } from '../../../domain/mailbox/oauth-apps.js';
import { beginConnect, checkPending, workspaceOfState, type PendingConnect } from '../../../domain/mailbox/oauth-grant.js';
import { isOauthProvider, PROVIDER_WORDS, PROVIDERS, type OauthProvider } from '../../../domain/mailbox/oauth-providers.js';
import { connectGrant } from '../../../domain/mailbox/oauth-tokens.js';
import { log } from '../../../lib/logger.js';
import { NotFoundError } from '../../../lib/validation.js';
import { tenantUrl } from '../../../lib/urls.js';
import { admin, idParam, type TechnicianCtx } from '../../action.js';
import { renderPage } from '../../reply.js';

declare module 'express-session' {
  interface SessionData {
    /** The consent under way: one at a time (a new Connect replaces it). */
    mailboxOauth?: PendingConnect;
  }
}

const LIST = '/admin/email-settings#support-addresses';

const CONNECT_FAILURES = {
  mailbox_gone: 'oauthMail.flash.failed.mailboxGone',
  no_app: 'oauthMail.flash.failed.noApp',
  refused: 'oauthMail.flash.failed.refused',
  unreachable: 'oauthMail.flash.failed.unreachable',
  no_refresh_token: 'oauthMail.flash.failed.noRefreshToken',
} as const;

export const connect = admin(async (ctx) => {
  const mailbox = await ctx.em.findOneOrFail(Mailbox, { id: idParam(ctx.req) });
  const provider: string = mailbox.authMethod;
  if (!isOauthProvider(provider)) throw new NotFoundError();
  const app = await oauthAppFor(ctx.em, ctx.tenant.id, provider);
  if (!app) {
    ctx.reply.flash(ctx.t('oauthMail.flash.noApp', { provider: ctx.t(PROVIDER_WORDS[provider]) }));
    ctx.reply.redirect(`/admin/mailboxes/${mailbox.id}`);
    return;
  }
  const { url, pending } = beginConnect(app, { slug: ctx.tenant.slug, tenantId: ctx.tenant.id, mailboxId: mailbox.id, loginHint: mailbox.username });
  ctx.req.session.mailboxOauth = pending;
  ctx.reply.redirect(url);
});

const query = (req: Request, name: string) => (typeof req.query[name] === 'string' ? String(req.query[name]).slice(0, 2000) : '');

export const callback = admin(async (ctx) => {
  const pending = ctx.req.session.mailboxOauth;
  delete ctx.req.session.mailboxOauth;
  const check = checkPending(pending, ctx.req.query.state, ctx.tenant.id);
  if (check !== 'ok') {
    log.warn({ tenantId: ctx.tenant.id, check }, 'an OAuth callback with a state this session did not start was refused');
    ctx.reply.flash(ctx.t(check === 'expired' ? 'oauthMail.flash.expired' : 'oauthMail.flash.badState'));
    ctx.reply.redirect(LIST);
    return;
  }
  const back = `/admin/mailboxes/${pending!.mailboxId}`;
  const provider = ctx.t(PROVIDER_WORDS[pending!.provider]);
  const error = query(ctx.req, 'error');
  const code = query(ctx.req, 'code');
  if (error || !code) {
    ctx.reply.flash(ctx.t('oauthMail.flash.denied', { provider, reason: query(ctx.req, 'error_description') || error || '—' }));
    ctx.reply.redirect(back);
    return;
  }
  // After the commit (still before the answer is sent): a slow provider holds no database connection.
  afterCommit(async () => {
    const outcome = await connectGrant(pending!, code);
    if (outcome.ok) ctx.reply.flash(ctx.t('oauthMail.flash.connected', { address: outcome.mailbox.address, provider }));
    else ctx.reply.flash(ctx.t(CONNECT_FAILURES[outcome.reason], { provider, reason: outcome.description ?? '' }));
    ctx.reply.redirect(outcome.ok || outcome.reason !== 'mailbox_gone' ? back : LIST);
  });
});

/** The root host's redirect URL: the answer goes on to the workspace the `state` names (nothing else is read here). */
export async function relay(req: Request, res: Response): Promise<void> {
  const slug = workspaceOfState(req.query.state);
  if (!slug) {
    const { t } = req.speaker!;
    await renderPage(req, res, 'layouts/public', 'errors/server', { title: t('errors.title'), message: t('oauthMail.relay.invalid') }, 400);
    return;
  }
  const forward = new URLSearchParams();
  for (const name of ['code', 'state', 'error', 'error_description']) {
    const value = query(req, name);
    if (value) forward.set(name, value);
  }
  res.redirect(303, tenantUrl(slug, `/admin/mailboxes/oauth/callback?${forward}`));
}

// The workspace's own app registration a provider.
function providerParam(ctx: TechnicianCtx): OauthProvider {
  const provider = ctx.req.params.provider;
  if (!isOauthProvider(provider)) throw new NotFoundError();
  return provider;
}

async function appForm(ctx: TechnicianCtx, provider: OauthProvider, values: Record<string, unknown>, errors: Record<string, string> = {}, status = 200) {
  const saved = await workspaceApp(ctx.em, provider);
  await ctx.reply.render('admin/mailboxes/oauth-app', {
    title: ctx.t('oauthMail.app.title', { provider: ctx.t(PROVIDER_WORDS[provider]) }),
    provider, saved, values, errors, redirectUrl: oauthRedirectUrl(), defaults: { authorizeUrl: PROVIDERS[provider].authorizeUrl(null), tokenUrl: PROVIDERS[provider].tokenUrl(null) },
  }, status);
}

export const editApp = admin(async (ctx) => {
  const provider = providerParam(ctx);
  const saved = await workspaceApp(ctx.em, provider);
  await appForm(ctx, provider, { ...(saved ?? {}) });
});

export const updateApp = admin(async (ctx) => {
  const provider = providerParam(ctx);
  await ctx.form(async (em) => {
    await saveWorkspaceApp(em, ctx.tenant, provider, ctx.body);
    ctx.reply.flash(ctx.t('oauthMail.app.saved', { provider: ctx.t(PROVIDER_WORDS[provider]) }));
    ctx.reply.redirect(LIST);
  }, async (errors) => {
    const { clientSecret: _secret, _csrf, ...typed } = ctx.body;
    await appForm(ctx, provider, typed, errors, 422);
  });
});

export const destroyApp = admin(async (ctx) => {
  const provider = providerParam(ctx);
  await removeWorkspaceApp(ctx.em, ctx.tenant, provider);
  ctx.reply.flash(ctx.t('oauthMail.app.removed', { provider: ctx.t(PROVIDER_WORDS[provider]) }));
  ctx.reply.redirect(LIST);
});
