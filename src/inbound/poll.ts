// Polls one mailbox over IMAP: new messages by UID (UIDVALIDITY checked: a change
// rescans the folder, and the ingest log's keys keep that from making duplicates),
// plus those that failed before and wait for a retry. Each message is ingested in
// its own unit of work; only after its commit is it flagged \Seen (and moved to the
// Processed folder when one is set), so a crash in between costs a duplicate check,
// never a second ticket. A message over MAX_MESSAGE_BYTES is refused from its size
// alone, never downloaded. A lease in mailbox_polls keeps two workers from polling
// the same mailbox at once.
import { ImapFlow } from 'imapflow';
import { inTenant, globalEm } from '../db/unit-of-work.js';
import { InboundMessage } from '../domain/mailbox/inbound-message.js';
import { Mailbox, type TlsMode } from '../domain/mailbox/mailbox.js';
import { mailboxPassword } from '../domain/mailbox/mailboxes.js';
import { Tenant } from '../domain/tenant/tenant.js';
import { log } from '../lib/logger.js';
import { imapProblem, type ImapProblem } from './imap-errors.js';
import { ingestMessage, type IngestResult } from './ingest.js';

export const MAX_MESSAGE_BYTES = 25 * 1024 * 1024;
const LEASE_MINUTES = 10;

export interface ImapSettings { host: string; port: number; tls: TlsMode; username: string; password: string; folder: string }

export interface PollReport { polled: boolean; taken: number; results: IngestResult[]; problem?: ImapProblem }

export function imapClient(s: ImapSettings): ImapFlow {
  return new ImapFlow({
    host: s.host, port: s.port, secure: s.tls === 'tls', doSTARTTLS: s.tls === 'starttls' ? true : false,
    auth: { user: s.username, pass: s.password }, logger: false,
    connectionTimeout: 15_000, greetingTimeout: 15_000, socketTimeout: 120_000,
    tls: { rejectUnauthorized: true, servername: s.host },
  });
}

async function takeLease(mailboxId: number): Promise<boolean> {
  const rows = await globalEm().getConnection().execute<Array<{ mailbox_id: number }>>(
    `update mailbox_polls set lease_until = now() + interval '${LEASE_MINUTES} minutes'
      where mailbox_id = ? and (lease_until is null or lease_until < now()) returning mailbox_id`, [mailboxId]);
  return rows.length > 0;
}

async function releaseLease(mailboxId: number): Promise<void> {
  await globalEm().getConnection().execute(
    'update mailbox_polls set lease_until = null, next_poll_at = now() + make_interval(mins => every_minutes) where mailbox_id = ?', [mailboxId]);
}

interface Loaded { mailbox: Mailbox; settings: ImapSettings; retryUids: bigint[] }

async function load(tenantId: number, mailboxId: number): Promise<Loaded | null> {
  return inTenant(tenantId, async (em) => {
    const mailbox = await em.findOne(Mailbox, { id: mailboxId });
    if (!mailbox || !mailbox.enabled) return null;
    const retrying = mailbox.uidValidity
      ? await em.find(InboundMessage, { mailboxId, outcome: 'retrying', uidValidity: mailbox.uidValidity, uid: { $ne: null } }, { fields: ['uid'] })
      : [];
    return {
      mailbox,
      settings: { host: mailbox.host, port: mailbox.port, tls: mailbox.tls, username: mailbox.username, password: await mailboxPassword(em, mailbox), folder: mailbox.folder },
      retryUids: retrying.map((r) => BigInt(r.uid!)),
    };
  });
}

export async function pollMailbox(tenantId: number, mailboxId: number): Promise<PollReport> {
  if (!(await takeLease(mailboxId))) return { polled: false, taken: 0, results: [] };
  try {
    const loaded = await load(tenantId, mailboxId);
    if (!loaded) return { polled: false, taken: 0, results: [] };
    return await pollLoaded(tenantId, loaded);
  } finally {
    await releaseLease(mailboxId);
  }
}

async function pollLoaded(tenantId: number, { mailbox, settings, retryUids }: Loaded): Promise<PollReport> {
  const results: IngestResult[] = [];
  let uidValidity: string | null = mailbox.uidValidity ?? null;
  let lastUid = BigInt(mailbox.lastUid);
  let problem: ImapProblem | undefined;
  const client = imapClient(settings);
  client.on('error', (error) => log.warn({ err: error, mailboxId: mailbox.id }, 'IMAP connection error'));
  try {
    await client.connect();
    const lock = await client.getMailboxLock(settings.folder);
    try {
      const validity = String((client.mailbox as { uidValidity: bigint }).uidValidity);
      if (validity !== uidValidity) {
        if (uidValidity) log.warn({ mailboxId: mailbox.id, was: uidValidity, now: validity }, 'UIDVALIDITY changed: the folder is scanned again');
        uidValidity = validity;
        lastUid = 0n;
        retryUids = [];
      }
      const found = ((await client.search({ uid: `${lastUid + 1n}:*` }, { uid: true })) || []).map(BigInt).filter((u) => u > lastUid);
      const uids = [...new Set([...retryUids, ...found])].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
      for (const uid of uids) {
        const result = await takeOne(client, tenantId, mailbox, uid, validity);
        if (result) {
          results.push(result);
          if (result.outcome !== 'retrying') {
            await client.messageFlagsAdd(String(uid), ['\\Seen'], { uid: true });
            if (mailbox.processedFolder) await client.messageMove(String(uid), mailbox.processedFolder, { uid: true });
          }
        }
        if (uid > lastUid) lastUid = uid;
      }
    } finally {
      lock.release();
    }
    await client.logout();
  } catch (error) {
    problem = imapProblem(error);
    log.warn({ err: error, tenantId, mailboxId: mailbox.id, problem }, 'mailbox poll failed');
    client.close();
  }
  await recordPoll(tenantId, mailbox.id, { uidValidity, lastUid, taken: results.filter((r) => r.outcome !== 'ignored_duplicate').length, problem });
  return { polled: true, taken: results.length, results, problem };
}

/** Fetches and ingests one message; a message too large is logged from its size alone. */
async function takeOne(client: ImapFlow, tenantId: number, mailbox: Mailbox, uid: bigint, uidValidity: string): Promise<IngestResult | undefined> {
  const head = await client.fetchOne(String(uid), { uid: true, size: true, envelope: true }, { uid: true });
  if (!head) return undefined;
  const source = { tenantId, mailbox: { id: mailbox.id, address: mailbox.address }, uid: String(uid), uidValidity };
  if ((head.size ?? 0) > MAX_MESSAGE_BYTES) return refuseTooLarge(source, head.size ?? 0, head.envelope);
  const full = await client.fetchOne(String(uid), { uid: true, source: true }, { uid: true });
  if (!full || !full.source) return undefined;
  return ingestMessage({ ...source, raw: full.source });
}

async function refuseTooLarge(source: { tenantId: number; mailbox: { id: number }; uid: string; uidValidity: string }, size: number, envelope?: { messageId?: string; subject?: string; from?: Array<{ address?: string; name?: string }> }): Promise<IngestResult> {
  return inTenant(source.tenantId, async (em) => {
    const key = envelope?.messageId?.trim() || `imap:${source.uidValidity}:${source.uid}`;
    const existing = await em.findOne(InboundMessage, { mailboxId: source.mailbox.id, messageKey: key });
    if (existing) return { outcome: 'ignored_duplicate' as const, reason: 'already_ingested' };
    em.create(InboundMessage, {
      tenant: em.getReference(Tenant, source.tenantId), mailboxId: source.mailbox.id, messageKey: key.slice(0, 300), uid: source.uid, uidValidity: source.uidValidity,
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
    if (r.problem) {
      mailbox.lastError = r.problem;
      mailbox.lastErrorAt = new Date();
      return;
    }
    mailbox.uidValidity = r.uidValidity;
    mailbox.lastUid = String(r.lastUid);
    mailbox.lastPollCount = r.taken;
    mailbox.totalCount += r.taken;
    mailbox.lastError = null;
  });
}
