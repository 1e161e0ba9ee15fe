// Polls one mailbox over IMAP: new messages by UID (UIDVALIDITY checked: a change
// rescans the folder, and the ingest log's keys keep that from making duplicates),
// plus those that failed before and wait for a retry. Each message is ingested in
// its own unit of work; only after its commit is it flagged \Seen (and moved to the
// Processed folder when one is set), so a crash in between costs a duplicate check,
// never a second ticket. A message over MAX_MESSAGE_BYTES is refused from its size
// alone, never downloaded. A lease in mailbox_polls keeps two workers from polling
// the same mailbox at once.
import { randomUUID } from 'node:crypto';
import { isIP } from 'node:net';
import { ImapFlow } from 'imapflow';
import { downloadRaw } from './download.js';
import { imapAddress } from './imap-address.js';
import { inTenant, globalEm } from '../db/unit-of-work.js';
import { InboundMessage } from '../domain/mailbox/inbound-message.js';
import { Mailbox, type TlsMode } from '../domain/mailbox/mailbox.js';
import { mailboxPassword } from '../domain/mailbox/mailboxes.js';
import { accessTokenFor, forgetAccessToken } from '../domain/mailbox/oauth-tokens.js';
import { Tenant } from '../domain/tenant/tenant.js';
import { log } from '../lib/logger.js';
import { imapProblem, type ImapProblem } from './imap-errors.js';
import { ingestTurn, MAX_ATTEMPTS, type IngestResult } from './ingest.js';
import { ingestInTurn, READ_AHEAD_BYTES, type Turn } from './in-turn.js';
import { loggableMessage } from '../lib/loggable-error.js';

export const MAX_MESSAGE_BYTES = 25 * 1024 * 1024;
const LEASE_MINUTES = 5;

/** How to sign in: a password, or (Microsoft 365, Google) an OAuth access token sent with XOAUTH2. */
export interface ImapSettings { host: string; port: number; tls: TlsMode; username: string; password: string; accessToken?: string; folder: string }

export interface PollReport { polled: boolean; taken: number; results: IngestResult[]; problem?: ImapProblem }

/** A client for the mailbox, to the address its host resolved to (refused when private: imap-address.ts). */
export async function imapClient(s: ImapSettings, socketTimeout = 120_000): Promise<ImapFlow> {
  const address = await imapAddress(s.host);
  return new ImapFlow({
    host: address, port: s.port, secure: s.tls === 'tls', doSTARTTLS: s.tls === 'starttls' ? true : false,
    auth: s.accessToken ? { user: s.username, accessToken: s.accessToken } : { user: s.username, pass: s.password }, logger: false,
    connectionTimeout: 15_000, greetingTimeout: 15_000, socketTimeout,
    tls: { rejectUnauthorized: true, ...(isIP(s.host) ? {} : { servername: s.host }) },
  });
}

/** The poll's hold on its mailbox: taken only when free (and due, for the scheduled poll), renewed as it goes, released by its holder. */
class Lease {
  private constructor(readonly tenantId: number, readonly mailboxId: number, private readonly token: string) {}

  static async take(tenantId: number, mailboxId: number, onlyIfDue: boolean): Promise<Lease | null> {
    const token = randomUUID();
    const rows = await globalEm().getConnection().execute<Array<{ mailbox_id: number }>>(
      `update mailbox_polls set lease_until = now() + interval '${LEASE_MINUTES} minutes', lease_token = ?
        where tenant_id = ? and mailbox_id = ? and (lease_until is null or lease_until < now())${onlyIfDue ? ' and next_poll_at <= now()' : ''} returning mailbox_id`, [token, tenantId, mailboxId]);
    return rows.length ? new Lease(tenantId, mailboxId, token) : null;
  }

  async renew(): Promise<void> {
    await globalEm().getConnection().execute(
      `update mailbox_polls set lease_until = now() + interval '${LEASE_MINUTES} minutes' where tenant_id = ? and mailbox_id = ? and lease_token = ?`, [this.tenantId, this.mailboxId, this.token]);
  }

  /**
   * The next poll after the interval — or, after a failed one, later and later (doubling,
   * at most an hour): a wrong password tried every minute could get the account locked.
   */
  async release(failed = false): Promise<void> {
    await globalEm().getConnection().execute(
      `update mailbox_polls set lease_until = null, lease_token = null,
         failures = case when ? then failures + 1 else 0 end,
         next_poll_at = now() + make_interval(mins => case when ? then least(60, every_minutes * power(2, least(failures, 6))::int) else every_minutes end)
       where tenant_id = ? and mailbox_id = ? and lease_token = ?`,
      [failed, failed, this.tenantId, this.mailboxId, this.token]);
  }
}

interface Loaded { mailbox: Mailbox; settings: ImapSettings; retryUids: bigint[] }

async function load(tenantId: number, mailboxId: number): Promise<Loaded | null> {
  return inTenant(tenantId, async (em) => {
    const mailbox = await em.findOne(Mailbox, { id: mailboxId });
    if (!mailbox || !mailbox.enabled) return null;
    const retrying = mailbox.uidValidity
      ? await em.find(InboundMessage, { mailboxId, outcome: 'retrying', uidValidity: mailbox.uidValidity, uid: { $ne: null } }, { fields: ['uid'] })
      : [];
    let password = '';
    try {
      if (mailbox.authMethod === 'password') password = await mailboxPassword(em, mailbox);
    } catch (error) {
      // Sealed under another APP_SECRET: said on the mailbox, not left silent.
      log.error({ err: error, tenantId, mailboxId }, 'the mailbox password cannot be opened');
      Object.assign(mailbox, { lastError: 'password_unreadable', lastErrorAt: new Date(), lastPollAt: new Date() });
      return null;
    }
    return {
      mailbox,
      settings: { host: mailbox.host, port: mailbox.port, tls: mailbox.tls, username: mailbox.username, password, folder: mailbox.folder },
      retryUids: retrying.map((r) => BigInt(r.uid!)),
    };
  });
}

/** Polls the mailbox now (the scheduled job passes `onlyIfDue`: a poll queued twice runs once). */
export async function pollMailbox(tenantId: number, mailboxId: number, options: { onlyIfDue?: boolean } = {}): Promise<PollReport> {
  const lease = await Lease.take(tenantId, mailboxId, options.onlyIfDue ?? false);
  if (!lease) return { polled: false, taken: 0, results: [] };
  let report: PollReport = { polled: false, taken: 0, results: [] };
  try {
    const loaded = await load(tenantId, mailboxId);
    if (loaded && loaded.mailbox.authMethod !== 'password') {
      // Signing in with OAuth: a fresh access token first (a refused refresh stops this mailbox's polling).
      const token = await accessTokenFor(tenantId, mailboxId);
      if (!token.ok) {
        if (token.problem === 'oauth_unreachable') await recordPoll(tenantId, mailboxId, { uidValidity: loaded.mailbox.uidValidity ?? null, lastUid: BigInt(loaded.mailbox.lastUid), taken: 0, problem: token.problem });
        report = { polled: false, taken: 0, results: [], problem: token.problem };
        return report;
      }
      loaded.settings.accessToken = token.token;
    }
    if (loaded) report = await pollLoaded(tenantId, loaded, lease);
    if (loaded?.settings.accessToken && report.problem === 'login_failed') await forgetAccessToken(tenantId, mailboxId);
    return report;
  } finally {
    await lease.release(Boolean(report.problem));
  }
}

const byUid = (a: bigint, b: bigint) => (a < b ? -1 : a > b ? 1 : 0);

async function pollLoaded(tenantId: number, { mailbox, settings, retryUids }: Loaded, lease: Lease): Promise<PollReport> {
  const results: IngestResult[] = [];
  // As text: the ORM hands the bigint column over as a bigint, and one never equals the server's string (every poll rescanned the folder).
  let uidValidity: string | null = mailbox.uidValidity == null ? null : String(mailbox.uidValidity);
  let lastUid = BigInt(mailbox.lastUid);
  let problem: ImapProblem | undefined;
  let client: ImapFlow | undefined;
  try {
    client = await imapClient(settings);
    client.on('error', (error) => log.warn({ err: error, mailboxId: mailbox.id }, 'IMAP connection error'));
    await client.connect();
    const lock = await client.getMailboxLock(settings.folder);
    try {
      const validity = String((client.mailbox as { uidValidity: bigint }).uidValidity);
      let uids: bigint[];
      if (uidValidity === null) {
        // A new mailbox (or one pointed elsewhere): its unread mail, not the folder's whole history.
        uids = ((await client.search({ seen: false }, { uid: true })) || []).map(BigInt);
      } else if (validity !== uidValidity) {
        log.warn({ mailboxId: mailbox.id, was: uidValidity, now: validity }, 'UIDVALIDITY changed: the folder is scanned again');
        uids = ((await client.search({ all: true }, { uid: true })) || []).map(BigInt);
      } else {
        const found = ((await client.search({ uid: `${lastUid + 1n}:*` }, { uid: true })) || []).map(BigInt).filter((u) => u > lastUid);
        uids = [...retryUids, ...found];
      }
      if (validity !== uidValidity) lastUid = 0n;
      uidValidity = validity;
      // In order, each message's unit of work after the one before has committed; the next is fetched and read meanwhile (in-turn.ts).
      const imap = client;
      await ingestInTurn([...new Set(uids)].sort(byUid), (uid) => readOneSafely(imap, tenantId, mailbox, uid, validity), async (uid, result) => {
        if (result) {
          results.push(result);
          if (result.outcome !== 'retrying') {
            await imap.messageFlagsAdd(String(uid), ['\\Seen'], { uid: true });
            if (mailbox.processedFolder && !(await imap.messageMove(String(uid), mailbox.processedFolder, { uid: true }))) {
              log.warn({ mailboxId: mailbox.id, folder: mailbox.processedFolder }, 'the Processed folder could not take the message (does it exist?)');
            }
          }
        }
        if (uid > lastUid) lastUid = uid;
        await lease.renew();
      });
    } finally {
      lock.release();
    }
    await client.logout();
  } catch (error) {
    problem = imapProblem(error);
    log.warn({ err: error, tenantId, mailboxId: mailbox.id, problem }, 'mailbox poll failed');
    client?.close();
  }
  await recordPoll(tenantId, mailbox.id, { uidValidity, lastUid, taken: results.filter((r) => r.outcome !== 'ignored_duplicate').length, problem });
  return { polled: true, taken: results.length, results, problem };
}

/**
 * One message fetched and its reading begun, never blocking the ones behind it: a message
 * the server will not hand over is recorded (in its turn) for a retry at the next polls,
 * and parked after MAX_ATTEMPTS; only a connection that broke ends the poll.
 */
async function readOneSafely(client: ImapFlow, tenantId: number, mailbox: Mailbox, uid: bigint, uidValidity: string, inItsTurn = false): Promise<Turn<IngestResult | undefined> | undefined> {
  try {
    return await readOne(client, tenantId, mailbox, uid, uidValidity, inItsTurn);
  } catch (error) {
    if (!client.usable) throw error;
    log.warn({ err: error, tenantId, mailboxId: mailbox.id, uid: String(uid) }, 'a message could not be fetched');
    return { size: 0, ingest: () => recordFetchFailure(tenantId, mailbox.id, uid, uidValidity, error) };
  }
}

async function recordFetchFailure(tenantId: number, mailboxId: number, uid: bigint, uidValidity: string, error: unknown): Promise<IngestResult> {
  return inTenant(tenantId, async (em) => {
    const key = `imap:${uidValidity}:${uid}`;
    const row = await em.findOne(InboundMessage, { messageKey: key })
      ?? em.create(InboundMessage, { tenant: em.getReference(Tenant, tenantId), mailboxId, messageKey: key, uid: String(uid), uidValidity, outcome: 'retrying' });
    row.attempts += 1;
    row.outcome = row.attempts >= MAX_ATTEMPTS ? 'failed' : 'retrying';
    row.reason = 'fetch_failed';
    row.lastError = loggableMessage(error).slice(0, 2000);
    row.updatedAt = new Date();
    return { outcome: row.outcome, reason: row.reason };
  }, { kind: 'system', name: 'incoming mail' });
}

/**
 * Fetches one message and begins reading it; a message too large is logged (in its turn)
 * from its size alone. A large one is downloaded in its own turn only, never while the one
 * before commits: the poller holds one large message at a time.
 */
async function readOne(client: ImapFlow, tenantId: number, mailbox: Mailbox, uid: bigint, uidValidity: string, inItsTurn: boolean): Promise<Turn<IngestResult | undefined> | undefined> {
  const head = await client.fetchOne(String(uid), { uid: true, size: true, envelope: true }, { uid: true });
  if (!head) return undefined;
  const source = { tenantId, mailbox: { id: mailbox.id, address: mailbox.address }, uid: String(uid), uidValidity };
  const size = head.size ?? 0;
  if (size > MAX_MESSAGE_BYTES) return { size, ingest: () => refuseTooLarge(source, size, head.envelope) };
  if (size > READ_AHEAD_BYTES && !inItsTurn) return { size, ingest: async (written) => (await readOneSafely(client, tenantId, mailbox, uid, uidValidity, true))?.ingest(written) };
  const raw = await downloadRaw(client, String(uid), size, MAX_MESSAGE_BYTES);
  if (!raw) return undefined;
  return ingestTurn({ ...source, raw });
}

async function refuseTooLarge(source: { tenantId: number; mailbox: { id: number }; uid: string; uidValidity: string }, size: number, envelope?: { messageId?: string; subject?: string; from?: Array<{ address?: string; name?: string }> }): Promise<IngestResult> {
  return inTenant(source.tenantId, async (em) => {
    const key = (envelope?.messageId?.trim() || `imap:${source.uidValidity}:${source.uid}`).slice(0, 300);
    const existing = await em.findOne(InboundMessage, { messageKey: key });
    if (existing) return { outcome: 'ignored_duplicate' as const, reason: 'already_ingested' };
    em.create(InboundMessage, {
      tenant: em.getReference(Tenant, source.tenantId), mailboxId: source.mailbox.id, messageKey: key, uid: source.uid, uidValidity: source.uidValidity,
      fromAddress: envelope?.from?.[0]?.address?.toLowerCase().slice(0, 254) ?? null, fromName: envelope?.from?.[0]?.name?.slice(0, 200) ?? null,
      subject: (envelope?.subject ?? '').slice(0, 500), size, outcome: 'rejected_too_large', reason: 'too_large',
    });
    await em.flush();
    return { outcome: 'rejected_too_large' as const, reason: 'too_large' };
  }, { kind: 'system', name: 'incoming mail' });
}

async function recordPoll(tenantId: number, mailboxId: number, r: { uidValidity: string | null; lastUid: bigint; taken: number; problem?: ImapProblem }): Promise<void> {
  await inTenant(tenantId, async (em) => {
    const mailbox = await em.findOne(Mailbox, { id: mailboxId });
    if (!mailbox) return;
    mailbox.lastPollAt = new Date();
    // What was taken counts even when the poll broke off: the next one goes on from there.
    mailbox.uidValidity = r.uidValidity;
    mailbox.lastUid = String(r.lastUid);
    mailbox.lastPollCount = r.taken;
    mailbox.totalCount += r.taken;
    if (r.problem) {
      mailbox.lastError = r.problem;
      mailbox.lastErrorAt = new Date();
    } else {
      mailbox.lastError = null;
    }
  });
}
