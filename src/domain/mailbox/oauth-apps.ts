// The OAuth application a workspace's mailboxes connect through, a provider: the
// workspace's own app registration when it brought one (Admin > Email Settings >
// Support addresses), else the operator's (OAUTH_* in the environment, README). The
// client secret of a workspace's app is sealed like the IMAP passwords. The
// authorization and token URLs are settings (national clouds, tests); unset, they are
// the provider's public ones. The redirect URL every app registers is one, on the
// root host: /oauth/mailbox/callback.
import { isIP } from 'node:net';
import { lookup } from 'node:dns/promises';
import type { Em } from '../../db/orm.js';
import { config } from '../../config.js';
import { isPrivateAddress } from '../../lib/private-address.js';
import { rootUrl } from '../../lib/urls.js';
import { Checker, text } from '../../lib/validation.js';
import { appSecretBox } from '../../secret-box.js';
import { audit } from '../audit/audit-event.js';
import type { Tenant } from '../tenant/tenant.js';
import { PROVIDERS, type OauthProvider } from './oauth-providers.js';

export interface OauthApp {
  provider: OauthProvider;
  source: 'workspace' | 'operator';
  clientId: string;
  clientSecret: string;
  directory: string | null;
  authorizeUrl: string;
  tokenUrl: string;
}

/** A workspace's own app as its form shows it: never the secret. */
export interface WorkspaceAppShown { provider: OauthProvider; clientId: string; directory: string | null; authorizeUrl: string | null; tokenUrl: string | null }

export const OAUTH_REDIRECT_PATH = '/oauth/mailbox/callback';
export const oauthRedirectUrl = () => rootUrl(OAUTH_REDIRECT_PATH);

const sealContext = (tenantId: number, provider: OauthProvider) => `mailbox_oauth_apps:${tenantId}:${provider}:client_secret`;

interface AppRow { client_id: string; client_secret_sealed: string; key_version: number; directory: string | null; authorize_url: string | null; token_url: string | null }

async function workspaceRow(em: Em, provider: OauthProvider): Promise<AppRow | undefined> {
  const rows = await em.execute<AppRow[]>('select client_id, client_secret_sealed, key_version, directory, authorize_url, token_url from mailbox_oauth_apps where provider = ?', [provider]);
  return rows[0];
}

/** The app to connect with, or null when neither the workspace nor the operator set one up. */
export async function oauthAppFor(em: Em, tenantId: number, provider: OauthProvider): Promise<OauthApp | null> {
  const facts = PROVIDERS[provider];
  const own = await workspaceRow(em, provider);
  if (own) {
    const directory = own.directory ?? facts.defaultDirectory;
    return {
      provider, source: 'workspace', clientId: own.client_id,
      clientSecret: appSecretBox().open({ version: own.key_version, ciphertext: own.client_secret_sealed }, sealContext(tenantId, provider)),
      directory, authorizeUrl: own.authorize_url ?? facts.authorizeUrl(directory), tokenUrl: own.token_url ?? facts.tokenUrl(directory),
    };
  }
  const operator = config().oauth[provider];
  if (!operator) return null;
  const directory = operator.directory ?? facts.defaultDirectory;
  return {
    provider, source: 'operator', clientId: operator.clientId, clientSecret: operator.clientSecret, directory,
    authorizeUrl: operator.authorizeUrl ?? facts.authorizeUrl(directory), tokenUrl: operator.tokenUrl ?? facts.tokenUrl(directory),
  };
}

/** Which providers can be connected here (the list shows a Connect button for each). */
export async function connectableProviders(em: Em): Promise<Record<OauthProvider, 'workspace' | 'operator' | null>> {
  const rows = await em.execute<Array<{ provider: OauthProvider }>>('select provider from mailbox_oauth_apps');
  const own = new Set(rows.map((r) => r.provider));
  const source = (p: OauthProvider) => (own.has(p) ? 'workspace' : config().oauth[p] ? 'operator' : null);
  return { microsoft: source('microsoft'), google: source('google') };
}

export async function workspaceApp(em: Em, provider: OauthProvider): Promise<WorkspaceAppShown | null> {
  const row = await workspaceRow(em, provider);
  return row ? { provider, clientId: row.client_id, directory: row.directory, authorizeUrl: row.authorize_url, tokenUrl: row.token_url } : null;
}

/**
 * An endpoint Sportello may call: https, or plain http to this machine where private
 * hosts are allowed (tests, development). A private address is refused in production
 * like an IMAP host (src/inbound/imap-address.ts): a workspace cannot make Sportello
 * post to its own network.
 */
export function endpointAllowed(value: string): boolean {
  let url: URL;
  try { url = new URL(value); } catch { return false; }
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const privateOk = config().imapPrivateHosts;
  if (url.username || url.password) return false;
  if (url.protocol === 'http:') return privateOk && (host === 'localhost' || host === '::1' || /^127\./.test(host));
  if (url.protocol !== 'https:') return false;
  if (!privateOk && (host === 'localhost' || (isIP(host) && isPrivateAddress(host)))) return false;
  return true;
}

/** At the moment of the call: the host must not have turned private since it was saved. */
export async function endpointStillAllowed(value: string): Promise<boolean> {
  if (!endpointAllowed(value)) return false;
  if (config().imapPrivateHosts) return true;
  const host = new URL(value).hostname.replace(/^\[|\]$/g, '');
  const addresses = isIP(host) ? [host] : (await lookup(host, { all: true }).catch(() => [])).map((a) => a.address);
  return addresses.length > 0 && addresses.every((a) => !isPrivateAddress(a));
}

export interface WorkspaceAppInput { clientId?: unknown; clientSecret?: unknown; directory?: unknown; authorizeUrl?: unknown; tokenUrl?: unknown }

export async function saveWorkspaceApp(em: Em, tenant: Tenant, provider: OauthProvider, input: WorkspaceAppInput): Promise<void> {
  const existing = await workspaceRow(em, provider);
  const clientId = text(input.clientId);
  const clientSecret = typeof input.clientSecret === 'string' ? input.clientSecret.trim() : '';
  const directory = provider === 'microsoft' ? text(input.directory) || null : null;
  const authorizeUrl = text(input.authorizeUrl) || null;
  const tokenUrl = text(input.tokenUrl) || null;
  const check = new Checker().require('clientId', clientId, 'oauthMail.app.clientId', 200);
  if (!existing) check.require('clientSecret', clientSecret, 'oauthMail.app.clientSecret', 1000);
  else if (clientSecret.length > 1000) check.add('clientSecret', { key: 'validation.tooLong', params: { label: { key: 'oauthMail.app.clientSecret' }, max: 1000 } });
  if (directory && !/^[A-Za-z0-9.-]{1,100}$/.test(directory)) check.add('directory', 'oauthMail.app.errors.directory');
  for (const [field, url] of [['authorizeUrl', authorizeUrl], ['tokenUrl', tokenUrl]] as const) {
    if (url && (url.length > 500 || !endpointAllowed(url))) check.add(field, 'oauthMail.app.errors.url');
  }
  check.throwIfAny();
  const sealed = clientSecret ? appSecretBox().seal(clientSecret, sealContext(tenant.id, provider)) : null;
  await em.execute(
    `insert into mailbox_oauth_apps (tenant_id, provider, client_id, client_secret_sealed, key_version, directory, authorize_url, token_url)
     values (?, ?, ?, ?, ?, ?, ?, ?)
     on conflict (tenant_id, provider) do update set client_id = excluded.client_id,
       client_secret_sealed = case when ? then excluded.client_secret_sealed else mailbox_oauth_apps.client_secret_sealed end,
       key_version = case when ? then excluded.key_version else mailbox_oauth_apps.key_version end,
       directory = excluded.directory, authorize_url = excluded.authorize_url, token_url = excluded.token_url, updated_at = now()`,
    [tenant.id, provider, clientId, sealed?.ciphertext ?? '', sealed?.version ?? 0, directory, authorizeUrl, tokenUrl, Boolean(sealed), Boolean(sealed)]);
  audit(em, tenant, 'mailbox_oauth_app.saved', { type: 'mailbox_oauth_app', id: 0 }, { provider, clientId, secretChanged: Boolean(sealed) });
}

export async function removeWorkspaceApp(em: Em, tenant: Tenant, provider: OauthProvider): Promise<void> {
  await em.execute('delete from mailbox_oauth_apps where provider = ?', [provider]);
  audit(em, tenant, 'mailbox_oauth_app.removed', { type: 'mailbox_oauth_app', id: 0 }, { provider });
}
