// The verbs of support addresses. A mailbox and its poll schedule (mailbox_polls,
// read by the worker without a tenant) change in the same transaction, so a
// rollback leaves no job behind; the IMAP password is sealed and never shown again.
import type { Em } from '../../db/orm.js';
import { isIP } from 'node:net';
import { appSecretBox } from '../../secret-box.js';
import { config } from '../../config.js';
import { isPrivateAddress } from '../../lib/private-address.js';
import { Checker, normaliseEmail, text, type Message } from '../../lib/validation.js';
import { audit } from '../audit/audit-event.js';
import { checkPlanLimit } from '../tenant/plan-limits.js';
import type { Tenant } from '../tenant/tenant.js';
import { AUTH_METHODS, Mailbox, TLS_MODES, type AuthMethod, type TlsMode } from './mailbox.js';
import { PROVIDERS } from './oauth-providers.js';

export interface MailboxInput {
  address?: unknown; host?: unknown; port?: unknown; tls?: unknown; username?: unknown; password?: unknown;
  folder?: unknown; processedFolder?: unknown; pollMinutes?: unknown; enabled?: unknown;
  /** password (the default), microsoft or google: an OAuth mailbox has no password, it is connected (oauth-tokens.ts). */
  authMethod?: unknown;
}

const HOST = /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/i;

/** Plain IMAP (no TLS) only to this machine: a password must never cross a network in clear. */
export function isLoopback(host: string): boolean {
  return host === 'localhost' || /^127\.\d+\.\d+\.\d+$/.test(host) || host === '::1' || host === '[::1]';
}

/** A field's "at most N characters", as the Checker says it. */
const tooLong = (label: string, max: number): Message => ({ key: 'validation.tooLong', params: { label: { key: label }, max } });

const sealContext = (tenantId: number, mailboxId: number) => `mailboxes:${tenantId}:${mailboxId}:password`;

/** A number typed in a form, or given as one (the list's Enable button passes the mailbox's own). */
function numberFrom(value: unknown, fallback: number): number {
  if (typeof value === 'number') return value;
  const typed = text(value);
  return typed ? Number(typed) : fallback;
}

function clean(input: MailboxInput, creating: boolean) {
  const address = normaliseEmail(input.address);
  const authMethod = (text(input.authMethod) || 'password') as AuthMethod;
  const provider = authMethod !== 'password' ? PROVIDERS[authMethod]?.imap : undefined;
  // A Microsoft 365 or Google mailbox left without a host is on the provider's IMAP server.
  const host = text(input.host).toLowerCase() || provider?.host || '';
  const tls = (text(input.tls) || 'tls') as TlsMode;
  const port = numberFrom(input.port, tls === 'tls' ? 993 : 143);
  const username = text(input.username);
  const password = typeof input.password === 'string' ? input.password : '';
  const folder = text(input.folder) || 'INBOX';
  const processedFolder = text(input.processedFolder) || null;
  const pollMinutes = numberFrom(input.pollMinutes, 1);
  const check = new Checker().email('address', address).require('host', host, 'emailSettings.mailboxes.form.host', 253).require('username', username, 'emailSettings.mailboxes.form.username', 254);
  if (host && !HOST.test(host) && !isIP(host)) check.add('host', 'emailSettings.mailboxes.errors.hostInvalid');
  if (!Number.isInteger(port) || port < 1 || port > 65535) check.add('port', 'emailSettings.mailboxes.errors.portInvalid');
  if (host && (isIP(host.replace(/^\[|\]$/g, '')) || host === 'localhost') && !config().imapPrivateHosts && (host === 'localhost' || isPrivateAddress(host.replace(/^\[|\]$/g, '')))) {
    check.add('host', 'emailSettings.mailboxes.errors.privateHost');
  }
  if (!TLS_MODES.includes(tls)) check.add('tls', 'emailSettings.mailboxes.errors.tlsInvalid');
  else if (tls === 'none' && host && !(isLoopback(host) && config().imapPrivateHosts)) check.add('tls', 'emailSettings.mailboxes.errors.tlsNone');
  if (!AUTH_METHODS.includes(authMethod)) check.add('authMethod', 'oauthMail.errors.authMethod');
  if (creating && authMethod === 'password') check.require('password', password, 'emailSettings.mailboxes.form.password', 1000);
  else if (password.length > 1000) check.add('password', tooLong('emailSettings.mailboxes.form.password', 1000));
  if (folder.length > 200) check.add('folder', tooLong('emailSettings.mailboxes.form.folder', 200));
  if (processedFolder && processedFolder.length > 200) check.add('processedFolder', tooLong('emailSettings.mailboxes.form.folder', 200));
  if (processedFolder && processedFolder === folder) check.add('processedFolder', 'emailSettings.mailboxes.errors.processedSameFolder');
  if (!Number.isInteger(pollMinutes) || pollMinutes < 1 || pollMinutes > 1440) check.add('pollMinutes', 'emailSettings.mailboxes.errors.pollMinutes');
  const enabled = input.enabled === undefined ? true : input.enabled === true || input.enabled === 'on' || input.enabled === '1' || input.enabled === 'true';
  return { check, values: { address, host, port, tls, username, folder, processedFolder, pollMinutes, enabled, authMethod }, password: authMethod === 'password' ? password : '' };
}

/** The form's values checked (the connection test uses them before anything is saved). */
export const mailboxValues = clean;

/** Polled when enabled — and, signing in with OAuth, once its grant works (a refused one waits for Reconnect). */
export async function scheduleMailbox(em: Em, mailbox: Mailbox): Promise<void> {
  if (!mailbox.enabled || (mailbox.authMethod !== 'password' && mailbox.oauthStatus !== 'connected')) {
    await em.execute('delete from mailbox_polls where tenant_id = ? and mailbox_id = ?', [mailbox.tenant.id, mailbox.id]);
    return;
  }
  await em.execute(
    `insert into mailbox_polls (mailbox_id, tenant_id, every_minutes, next_poll_at) values (?, ?, ?, now())
     on conflict (tenant_id, mailbox_id) do update set every_minutes = excluded.every_minutes, next_poll_at = least(mailbox_polls.next_poll_at, now() + make_interval(mins => excluded.every_minutes))`,
    [mailbox.id, mailbox.tenant.id, mailbox.pollMinutes]);
}

export async function createMailbox(em: Em, tenant: Tenant, input: MailboxInput): Promise<Mailbox> {
  const { check, values, password } = clean(input, true);
  // Counted under the workspace's lock: two additions at once cannot both pass the limit.
  const overLimit = await checkPlanLimit(em, tenant, 'mailboxes');
  if (overLimit) check.add('address', overLimit);
  if (!check.errors.address && await em.count(Mailbox, { address: values.address })) check.add('address', 'emailSettings.mailboxes.errors.taken');
  check.throwIfAny();
  const mailbox = em.create(Mailbox, { tenant, ...values, passwordSealed: '', passwordKeyVersion: 0, oauthStatus: values.authMethod === 'password' ? null : 'pending' });
  await em.flush();
  if (values.authMethod === 'password') seal(mailbox, password);
  await em.flush();
  await scheduleMailbox(em, mailbox);
  audit(em, tenant, 'mailbox.created', { type: 'mailbox', id: mailbox.id }, { address: mailbox.address, host: mailbox.host });
  return mailbox;
}

/**
 * An empty password field keeps the password — unless the host or the username
 * changes: the stored password is never sent to another server or account.
 */
export async function updateMailbox(em: Em, tenant: Tenant, mailbox: Mailbox, input: MailboxInput): Promise<Mailbox> {
  const { check, values, password } = clean(input, false);
  const elsewhere = values.host !== mailbox.host || values.username !== mailbox.username || values.port !== mailbox.port || values.tls !== mailbox.tls;
  const switched = values.authMethod !== mailbox.authMethod;
  if (values.authMethod === 'password' && (elsewhere || switched) && !password) check.add('password', 'emailSettings.mailboxes.errors.passwordAgain');
  if (!check.errors.address && await em.count(Mailbox, { address: values.address, id: { $ne: mailbox.id } })) check.add('address', 'emailSettings.mailboxes.errors.taken');
  check.throwIfAny();
  // Pointed at another server, account or folder, it starts afresh there (its unread mail).
  if (elsewhere || values.folder !== mailbox.folder) Object.assign(mailbox, { uidValidity: null, lastUid: '0' });
  Object.assign(mailbox, values, { updatedAt: new Date() });
  if (password) seal(mailbox, password);
  // An OAuth grant is for one account on one server: another account, server or method needs a new consent.
  if (values.authMethod === 'password') Object.assign(mailbox, { oauthStatus: null, oauthRefreshSealed: null, oauthAccessSealed: null, oauthAccessExpiresAt: null, oauthProblem: null });
  else if (elsewhere || switched) Object.assign(mailbox, { oauthStatus: 'pending', oauthRefreshSealed: null, oauthAccessSealed: null, oauthAccessExpiresAt: null, oauthProblem: null, oauthNotifiedAt: null });
  if (switched && values.authMethod !== 'password') Object.assign(mailbox, { passwordSealed: '', passwordKeyVersion: 0 });
  await em.flush();
  await scheduleMailbox(em, mailbox);
  audit(em, tenant, 'mailbox.updated', { type: 'mailbox', id: mailbox.id }, { address: mailbox.address, passwordChanged: Boolean(password) });
  return mailbox;
}

export async function deleteMailbox(em: Em, tenant: Tenant, mailbox: Mailbox): Promise<void> {
  audit(em, tenant, 'mailbox.deleted', { type: 'mailbox', id: mailbox.id }, { address: mailbox.address });
  em.remove(mailbox);
  await em.flush();
}

function seal(mailbox: Mailbox, password: string): void {
  const sealed = appSecretBox().seal(password, sealContext(mailbox.tenant.id, mailbox.id));
  mailbox.passwordSealed = sealed.ciphertext;
  mailbox.passwordKeyVersion = sealed.version;
}

/** The IMAP password, for the poller and the connection test only. */
export async function mailboxPassword(em: Em, mailbox: Mailbox): Promise<string> {
  await em.populate(mailbox, ['passwordSealed']);
  return appSecretBox().open({ version: mailbox.passwordKeyVersion, ciphertext: mailbox.passwordSealed }, sealContext(mailbox.tenant.id, mailbox.id));
}
