// A connected mailbox's tokens: stored on the callback, handed to the poller (refreshed
// when the access token has less than REFRESH_MARGIN_MS left, so it never expires in
// the middle of a poll), and — when the provider refuses the refresh (a revoked or
// expired grant) — the mailbox shows "Reconnect" with the provider's reason, its
// polling stops (only its own), and the workspace's admins are emailed once. Both tokens
// are sealed (src/secret-box.ts) with contexts of their own; the HTTP calls to the
// provider happen outside any transaction.
import { inTenant } from '../../db/unit-of-work.js';
import type { Em } from '../../db/orm.js';
import { log } from '../../lib/logger.js';
import { queueEmail } from '../../outbound/outbox.js';
import { recipientSpeaker } from '../../outbound/mail/render.js';
import { tenantUrl } from '../../lib/urls.js';
import { appSecretBox } from '../../secret-box.js';
import { audit } from '../audit/audit-event.js';
import { Technician } from '../technician/technician.js';
import { Tenant } from '../tenant/tenant.js';
import { Mailbox } from './mailbox.js';
import { scheduleMailbox } from './mailboxes.js';
import { oauthAppFor, type OauthApp } from './oauth-apps.js';
import { tokenRequest, type PendingConnect } from './oauth-grant.js';
import { isOauthProvider, PROVIDER_WORDS, type OauthProvider } from './oauth-providers.js';

export const REFRESH_MARGIN_MS = 5 * 60 * 1000;

/** Refusals that are Sportello's own, not the provider's: said in the reader's words (else the provider's reason is shown as it gave it). */
export const OWN_REFUSALS: Record<string, string> = { no_app: 'oauthMail.status.appMissing', tokens_unreadable: 'oauthMail.status.tokensUnreadable' };
const SYSTEM = { kind: 'system' as const, name: 'incoming mail' };

const context = (m: Mailbox, which: 'refresh' | 'access') => `mailboxes:${m.tenant.id}:${m.id}:oauth_${which}`;

function storeTokens(mailbox: Mailbox, tokens: { accessToken: string; refreshToken: string; expiresIn: number }): void {
  const box = appSecretBox();
  const refresh = box.seal(tokens.refreshToken, context(mailbox, 'refresh'));
  const access = box.seal(tokens.accessToken, context(mailbox, 'access'));
  Object.assign(mailbox, {
    oauthRefreshSealed: refresh.ciphertext, oauthAccessSealed: access.ciphertext, oauthKeyVersion: refresh.version,
    oauthAccessExpiresAt: new Date(Date.now() + tokens.expiresIn * 1000),
  });
}

function openToken(mailbox: Mailbox, which: 'refresh' | 'access'): string {
  const ciphertext = which === 'refresh' ? mailbox.oauthRefreshSealed : mailbox.oauthAccessSealed;
  return appSecretBox().open({ version: mailbox.oauthKeyVersion ?? 0, ciphertext: ciphertext ?? '' }, context(mailbox, which));
}

export type ConnectOutcome = { ok: true; mailbox: Mailbox } | { ok: false; reason: 'mailbox_gone' | 'no_app' | 'refused' | 'unreachable' | 'no_refresh_token'; description?: string };

/** The callback's second half: the code exchanged (with the session's PKCE verifier) and the grant stored. */
export async function connectGrant(pending: PendingConnect, code: string): Promise<ConnectOutcome> {
  const app = await inTenant(pending.tenantId, async (em) => {
    const mailbox = await em.findOne(Mailbox, { id: pending.mailboxId });
    if (!mailbox || mailbox.authMethod !== pending.provider) return 'mailbox_gone' as const;
    return (await oauthAppFor(em, pending.tenantId, pending.provider)) ?? ('no_app' as const);
  });
  if (typeof app === 'string') return { ok: false, reason: app };
  const outcome = await tokenRequest(app, { code, verifier: pending.verifier });
  if (outcome.kind === 'refused') return { ok: false, reason: 'refused', description: outcome.description || outcome.error };
  if (outcome.kind === 'unreachable') return { ok: false, reason: 'unreachable' };
  if (!outcome.refreshToken) return { ok: false, reason: 'no_refresh_token' };
  return inTenant(pending.tenantId, async (em) => {
    const mailbox = await em.findOne(Mailbox, { id: pending.mailboxId });
    if (!mailbox || mailbox.authMethod !== pending.provider) return { ok: false as const, reason: 'mailbox_gone' as const };
    storeTokens(mailbox, { accessToken: outcome.accessToken, refreshToken: outcome.refreshToken!, expiresIn: outcome.expiresIn });
    Object.assign(mailbox, { oauthStatus: 'connected', oauthProblem: null, oauthNotifiedAt: null, oauthConnectedAt: new Date(), lastError: null, updatedAt: new Date() });
    await em.flush();
    await scheduleMailbox(em, mailbox);
    audit(em, mailbox.tenant, 'mailbox.oauth_connected', { type: 'mailbox', id: mailbox.id }, { address: mailbox.address, provider: pending.provider, app: app.source });
    return { ok: true as const, mailbox };
  });
}

export type AccessToken = { ok: true; token: string } | { ok: false; problem: 'oauth_reconnect' | 'oauth_unreachable' };

/** The access token to poll with, refreshed first when it is about to expire. */
export async function accessTokenFor(tenantId: number, mailboxId: number, now = Date.now()): Promise<AccessToken> {
  type Read = { done: AccessToken } | { app: OauthApp; refreshToken: string; provider: OauthProvider };
  const read = await inTenant(tenantId, async (em): Promise<Read> => {
    const mailbox = await em.findOne(Mailbox, { id: mailboxId }, { populate: ['oauthRefreshSealed', 'oauthAccessSealed'] });
    if (!mailbox || !isOauthProvider(mailbox.authMethod) || mailbox.oauthStatus !== 'connected') return { done: { ok: false, problem: 'oauth_reconnect' } };
    try {
      if (mailbox.oauthAccessSealed && mailbox.oauthAccessExpiresAt && mailbox.oauthAccessExpiresAt.getTime() - now > REFRESH_MARGIN_MS) {
        return { done: { ok: true, token: openToken(mailbox, 'access') } };
      }
      const app = await oauthAppFor(em, tenantId, mailbox.authMethod);
      if (!app) {
        await refuse(em, mailbox, 'no_app');
        return { done: { ok: false, problem: 'oauth_reconnect' } };
      }
      return { app, refreshToken: openToken(mailbox, 'refresh'), provider: mailbox.authMethod };
    } catch (error) {
      // Sealed under another APP_SECRET: only a new consent mends it.
      log.error({ err: error, tenantId, mailboxId }, 'the mailbox OAuth tokens cannot be opened');
      await refuse(em, mailbox, 'tokens_unreadable');
      return { done: { ok: false, problem: 'oauth_reconnect' } };
    }
  }, SYSTEM);
  if ('done' in read) return read.done;
  const outcome = await tokenRequest(read.app, { refreshToken: read.refreshToken });
  if (outcome.kind === 'unreachable') return { ok: false, problem: 'oauth_unreachable' };
  return inTenant(tenantId, async (em): Promise<AccessToken> => {
    const mailbox = await em.findOne(Mailbox, { id: mailboxId });
    if (!mailbox || mailbox.authMethod !== read.provider) return { ok: false, problem: 'oauth_reconnect' };
    if (outcome.kind === 'refused') {
      log.warn({ tenantId, mailboxId, error: outcome.error }, 'the provider refused to refresh the mailbox grant');
      await refuse(em, mailbox, outcome.description ? `${outcome.error}: ${outcome.description}` : outcome.error);
      return { ok: false, problem: 'oauth_reconnect' };
    }
    // A provider may hand out a new refresh token with each refresh (Microsoft does): the newest is kept.
    storeTokens(mailbox, { accessToken: outcome.accessToken, refreshToken: outcome.refreshToken ?? read.refreshToken, expiresIn: outcome.expiresIn });
    return { ok: true, token: outcome.accessToken };
  }, SYSTEM);
}

/** The server refused the token at login: the next poll refreshes it rather than trying it again. */
export async function forgetAccessToken(tenantId: number, mailboxId: number): Promise<void> {
  await inTenant(tenantId, async (em) => {
    await em.nativeUpdate(Mailbox, { id: mailboxId }, { oauthAccessSealed: null, oauthAccessExpiresAt: null });
  }, SYSTEM);
}

/** The grant no longer works: Reconnect with the reason, polling stopped for this mailbox, the admins told once. */
async function refuse(em: Em, mailbox: Mailbox, reason: string): Promise<void> {
  Object.assign(mailbox, {
    oauthStatus: 'reconnect', oauthProblem: reason.slice(0, 1000), oauthAccessSealed: null, oauthAccessExpiresAt: null,
    lastError: 'oauth_reconnect', lastErrorAt: new Date(), updatedAt: new Date(),
  });
  await em.execute('delete from mailbox_polls where mailbox_id = ?', [mailbox.id]);
  audit(em, mailbox.tenant, 'mailbox.oauth_refused', { type: 'mailbox', id: mailbox.id }, { address: mailbox.address, reason: mailbox.oauthProblem });
  await em.flush();
  // Once: a conditional update decides among refusals racing (two refreshes at once) the one that tells.
  const first = await em.execute<Array<{ id: number }>>('update mailboxes set oauth_notified_at = now() where id = ? and oauth_notified_at is null returning id', [mailbox.id]);
  if (first.length) await tellAdmins(em, mailbox, mailbox.authMethod as OauthProvider, mailbox.oauthProblem!);
}

async function tellAdmins(em: Em, mailbox: Mailbox, provider: OauthProvider, reason: string): Promise<void> {
  const tenant = await em.findOneOrFail(Tenant, { id: mailbox.tenant.id });
  const admins = await em.find(Technician, { role: 'admin', active: true }, { orderBy: { id: 'asc' } });
  const link = tenantUrl(tenant.slug, `/admin/mailboxes/${mailbox.id}`);
  for (const admin of admins) {
    const { t } = recipientSpeaker(tenant, admin.language);
    const words = { address: mailbox.address, provider: t(PROVIDER_WORDS[provider]), reason: OWN_REFUSALS[reason] ? t(OWN_REFUSALS[reason]) : reason, link, company: tenant.name };
    queueEmail(em, tenant, {
      kind: 'mailbox_oauth_reconnect',
      to: { address: admin.email, name: admin.name },
      subject: t('oauthMail.notice.subject', words),
      text: `${t('oauthMail.notice.greeting', { name: admin.name })}\n\n${t('oauthMail.notice.body', words)}\n\n${t('oauthMail.notice.reason', words)}\n\n${t('oauthMail.notice.action', words)}\n${link}\n`,
      autoSubmitted: true,
    });
  }
}
