// The OAuth 2.0 authorization-code grant with PKCE, as a support mailbox uses it
// (RFC 6749 §4.1 and §6, RFC 7636; the providers' documents in oauth-providers.ts).
// `beginConnect` makes the consent URL and what the admin's session must keep: the
// `state` (a workspace prefix for the root callback's relay, then 32 random bytes), the
// PKCE verifier (S256) and the mailbox it is for. `tokenRequest` speaks to the token
// endpoint (client_secret_post) and sorts its answer into tokens, a refusal with the
// provider's reason (RFC 6749 §5.2: error, error_description), or an endpoint that
// could not be reached — the last is no reason to ask an admin to reconnect.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { log } from '../../lib/logger.js';
import { endpointStillAllowed, oauthRedirectUrl, type OauthApp } from './oauth-apps.js';
import { PROVIDERS, type OauthProvider } from './oauth-providers.js';

/** What the admin's session keeps between the Connect button and the callback. */
export interface PendingConnect { state: string; verifier: string; tenantId: number; mailboxId: number; provider: OauthProvider; startedAt: number }

/** A consent not answered in this time is refused at the callback (the admin starts again). */
export const CONNECT_TTL_MS = 15 * 60 * 1000;

const base64url = (b: Buffer) => b.toString('base64url');

export function beginConnect(app: OauthApp, at: { slug: string; tenantId: number; mailboxId: number; loginHint?: string }): { url: string; pending: PendingConnect } {
  const state = `${at.slug}.${base64url(randomBytes(32))}`;
  // RFC 7636 §4.1: 32 random octets, base64url → a 43-character verifier; §4.2: S256.
  const verifier = base64url(randomBytes(32));
  const challenge = base64url(createHash('sha256').update(verifier).digest());
  const url = new URL(app.authorizeUrl);
  const params: Record<string, string> = {
    client_id: app.clientId, response_type: 'code', redirect_uri: oauthRedirectUrl(), scope: PROVIDERS[app.provider].scope,
    state, code_challenge: challenge, code_challenge_method: 'S256', ...PROVIDERS[app.provider].consentParams,
  };
  if (at.loginHint) params.login_hint = at.loginHint;
  for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
  return { url: url.toString(), pending: { state, verifier, tenantId: at.tenantId, mailboxId: at.mailboxId, provider: app.provider, startedAt: Date.now() } };
}

/** The workspace a callback's `state` names (the root host relays it there); undefined when it is not of our shape. */
export function workspaceOfState(state: unknown): string | undefined {
  if (typeof state !== 'string' || state.length > 200) return undefined;
  const match = /^([a-z0-9-]{1,63})\.[A-Za-z0-9_-]{43}$/.exec(state);
  return match?.[1];
}

export type PendingCheck = 'ok' | 'none' | 'mismatch' | 'expired' | 'other_workspace';

/** Whether the callback's `state` is the one this session started, for this workspace, in time. */
export function checkPending(pending: PendingConnect | undefined, state: unknown, tenantId: number, now = Date.now()): PendingCheck {
  if (!pending) return 'none';
  const given = Buffer.from(typeof state === 'string' ? state : '');
  const kept = Buffer.from(pending.state);
  if (given.length !== kept.length || !timingSafeEqual(given, kept)) return 'mismatch';
  if (pending.tenantId !== tenantId) return 'other_workspace';
  if (now - pending.startedAt > CONNECT_TTL_MS) return 'expired';
  return 'ok';
}

export type TokenOutcome =
  | { kind: 'tokens'; accessToken: string; refreshToken: string | null; expiresIn: number }
  | { kind: 'refused'; error: string; description: string }
  | { kind: 'unreachable'; detail: string };

/** The errors that mean the grant (or the app) no longer works: only an admin can mend them. */
const GRANT_REFUSALS = new Set(['invalid_grant', 'invalid_client', 'unauthorized_client', 'invalid_scope', 'access_denied', 'consent_required', 'interaction_required']);
export const isGrantRefusal = (error: string) => GRANT_REFUSALS.has(error);

export async function tokenRequest(app: OauthApp, grant: { code: string; verifier: string } | { refreshToken: string }): Promise<TokenOutcome> {
  if (!(await endpointStillAllowed(app.tokenUrl))) return { kind: 'unreachable', detail: 'token endpoint not allowed' };
  const body = new URLSearchParams({ client_id: app.clientId, client_secret: app.clientSecret });
  if ('code' in grant) {
    body.set('grant_type', 'authorization_code');
    body.set('code', grant.code);
    body.set('redirect_uri', oauthRedirectUrl());
    body.set('code_verifier', grant.verifier);
  } else {
    body.set('grant_type', 'refresh_token');
    body.set('refresh_token', grant.refreshToken);
    // Microsoft asks for the scope again on a refresh; Google takes the grant's own.
    if (app.provider === 'microsoft') body.set('scope', PROVIDERS.microsoft.scope);
  }
  let res: Response;
  try {
    res = await fetch(app.tokenUrl, {
      method: 'POST', body, redirect: 'error', signal: AbortSignal.timeout(15_000),
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
    });
  } catch (error) {
    log.warn({ err: error, provider: app.provider }, 'the OAuth token endpoint could not be reached');
    return { kind: 'unreachable', detail: 'unreachable' };
  }
  const json = await res.json().catch(() => null) as Record<string, unknown> | null;
  if (res.ok && json && typeof json.access_token === 'string' && json.access_token) {
    const expiresIn = Number(json.expires_in);
    return {
      kind: 'tokens', accessToken: json.access_token,
      refreshToken: typeof json.refresh_token === 'string' && json.refresh_token ? json.refresh_token : null,
      expiresIn: Number.isFinite(expiresIn) && expiresIn > 0 ? expiresIn : 3600,
    };
  }
  if (json && typeof json.error === 'string' && res.status >= 400 && res.status < 500) {
    const description = typeof json.error_description === 'string' ? json.error_description : '';
    return { kind: 'refused', error: json.error.slice(0, 100), description: description.slice(0, 1000) };
  }
  log.warn({ provider: app.provider, status: res.status }, 'the OAuth token endpoint gave no token');
  return { kind: 'unreachable', detail: `status ${res.status}` };
}
