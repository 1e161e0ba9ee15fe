// One message from a mailbox, in its own unit of work for the tenant: logged once
// by its key (Message-ID, or a digest of its bytes), classified, threaded or made a
// ticket, and recorded in the ingest log with its outcome. A message that fails is
// rolled back whole, recorded with its error, and retried at the next polls; after
// MAX_ATTEMPTS it is parked as failed, its raw bytes kept for an admin to retry.
import { createHash } from 'node:crypto';
import { config } from '../config.js';
import { inTenantWork, type TenantWork } from '../db/unit-of-work.js';
import { InboundMessage, type Outcome } from '../domain/mailbox/inbound-message.js';
import type { EmailSettings } from '../domain/email/email-settings.js';
import { Tenant } from '../domain/tenant/tenant.js';
import { loggableMessage } from '../lib/loggable-error.js';
import { log } from '../lib/logger.js';
import { classify, isAutomatic, type MailClass } from './classify.js';
import { parseMail, type InboundMail } from './parse.js';
import { readFacts, type Facts } from './facts.js';
import { identifySender } from './sender.js';
import { findThread } from './threading.js';
import { addToThread, noteBounce, openFromMail } from './tickets.js';

/** The settings the pipeline reads, as plain values. */
export type IngestSettings = Pick<EmailSettings, 'autoCreateContacts' | 'ticketsFromAutomatedMail' | 'reopenClosedOnReply'>;

export const MAX_ATTEMPTS = 5;
export const FLOOD_LIMIT = 20;
/** Contacts made from one mailbox's mail in an hour, at most. */
export const NEW_CONTACTS_PER_HOUR = 50;
const FLOOD_WINDOW_MINUTES = 10;

export interface IngestSource {
  tenantId: number;
  mailbox: { id: number; address: string } | null;
  raw: Buffer;
  uid?: string | null;
  uidValidity?: string | null;
}

export interface IngestResult { outcome: Outcome; reason: string; ticketId?: number | null; contactId?: number | null }

const SYSTEM = { kind: 'system' as const, name: 'incoming mail' };

export async function ingestMessage(source: IngestSource): Promise<IngestResult> {
  let mail: InboundMail | undefined;
  try {
    mail = await parseMail(source.raw);
    const parsed = mail;
    return await inTenantWork(source.tenantId, (work) => new MessageIngester(work, source, parsed).run(), SYSTEM);
  } catch (error) {
    return recordFailure(source, mail, error);
  }
}

class MessageIngester {
  constructor(private readonly work: TenantWork, private readonly source: IngestSource, private readonly mail: InboundMail) {}

  async run(): Promise<IngestResult> {
    const facts = await readFacts(this.work, this.mail, this.source.mailbox?.id ?? null, FLOOD_WINDOW_MINUTES);
    // Taken before (a crash between the commit and the \Seen flag, a rescan): never a second ticket.
    if (facts.existingId && facts.existingOutcome !== 'retrying') return { outcome: 'ignored_duplicate', reason: 'already_ingested', ticketId: facts.existingTicket };
    // A message waiting for a retry is taken by one poll (or an admin's Retry) at a time.
    if (facts.existingId && !(await this.claimRetry(facts.existingId))) return { outcome: 'ignored_duplicate', reason: 'already_ingested' };
    const result = await this.decide(facts);
    // The log row is written once, with its outcome (a retried message updates its own).
    await writeLogRow(this.work, facts.existingId, this.source, this.mail, result);
    return result;
  }

  /** Locks a row waiting for a retry; false when someone else has handled it meanwhile. */
  private async claimRetry(id: number): Promise<boolean> {
    const [row] = await this.work.sql.query<{ outcome: string }>('select outcome from inbound_messages where id = $1 and tenant_id = $2 for update', [id, this.work.tenantId]);
    return row?.outcome === 'retrying';
  }

  private async decide(facts: Facts): Promise<IngestResult> {
    const { mail, work } = this;
    const ws = facts.workspace;
    if (!mail.from) return { outcome: 'rejected_unknown_sender', reason: 'no_sender' };
    // More than FLOOD_LIMIT messages from this sender to this mailbox in the window: the rest are ignored.
    if (facts.recent >= FLOOD_LIMIT) return { outcome: 'ignored_flood', reason: 'flood' };
    const kind = classify(mail, { ownAddresses: new Set([config().mailFrom.toLowerCase(), ...facts.own]) });
    if (kind.kind === 'loop') return { outcome: 'ignored_loop', reason: kind.reason };
    if (kind.kind === 'bounce') return { outcome: 'ignored_bounce', reason: 'bounce', ticketId: await noteBounce(work.em, ws, kind) };
    const thread = await findThread(work, facts, mail);
    if (kind.kind === 'auto-reply') {
      if (!thread) return { outcome: 'ignored_auto_reply', reason: kind.reason };
      await addToThread(work, ws, thread, mail, facts, true);
      return { outcome: 'message_added', reason: 'auto_reply', ticketId: thread.ticket.id };
    }
    if (kind.kind === 'automated' && !facts.ticketsFromAutomatedMail) return { outcome: 'ignored_automated', reason: kind.reason };
    const automatic = isAutomatic(kind);
    if (thread) {
      await addToThread(work, ws, thread, mail, facts, automatic);
      return { outcome: 'message_added', reason: reasonOf(kind), ticketId: thread.ticket.id };
    }
    // A cap on contacts made from one mailbox's mail in an hour: forged senders cannot make
    // Sportello mail welcome after welcome to addresses of their choosing.
    const sender = await identifySender(work, facts, mail, automatic, facts.newContacts < NEW_CONTACTS_PER_HOUR);
    if (sender.kind === 'rejected') return { outcome: sender.outcome, reason: sender.reason, contactId: sender.contact?.id };
    const ticket = await openFromMail(work, ws, sender.contact, mail, this.source.mailbox?.address ?? null, automatic);
    return { outcome: 'ticket_created', reason: sender.created ? `${reasonOf(kind)}_new_contact` : reasonOf(kind), ticketId: ticket.id, contactId: sender.contact.id };
  }
}

/**
 * A message up to this size goes in the statement that writes its log row; a larger one
 * this much at a time (each append rewrites the value so far on the server: larger
 * pieces cost the server less, smaller ones the worker's memory).
 */
const RAW_CHUNK = 4 * 1024 * 1024;

/**
 * The message's log row, with its outcome — and, for a new row, the message's bytes,
 * kept for an admin (download, retry) and pruned with the row's age — in one statement
 * (bytes as a binary parameter, never in the ORM's change sets). A retried message
 * updates its own row, whose bytes were kept when it first failed.
 */
async function writeLogRow(work: TenantWork, existingId: number | null, source: IngestSource, mail: InboundMail, result: IngestResult): Promise<void> {
  const at = new Date();
  const values = [
    source.uid ?? null, source.uidValidity ?? null, mail.from?.address.slice(0, 254) ?? null, mail.from?.name.slice(0, 200) ?? null,
    mail.subject.slice(0, 500), mail.size, at, result.outcome, result.reason, result.ticketId ?? null, result.contactId ?? null,
  ];
  if (existingId) {
    await work.sql.query(`update inbound_messages set uid = $3, uid_validity = $4, from_address = $5, from_name = $6, subject = $7, size = $8, updated_at = $9,
        outcome = $10, reason = $11, ticket_id = $12, contact_id = $13, last_error = null
      where tenant_id = $1 and id = $2`, [work.tenantId, existingId, ...values]);
    return;
  }
  const inline = source.raw.length <= RAW_CHUNK;
  const [row] = await work.sql.query<{ id: number }>(`insert into inbound_messages (tenant_id, mailbox_id, message_key, uid, uid_validity, from_address, from_name, subject, size,
      created_at, updated_at, outcome, reason, ticket_id, contact_id, attempts, last_error, raw)
    values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10, $11, $12, $13, $14, 0, null, $15::bytea) returning id`,
  [work.tenantId, source.mailbox?.id ?? null, mail.key, ...values, inline ? source.raw : source.raw.subarray(0, RAW_CHUNK)]);
  if (!inline) await appendRaw(work, row.id, source.raw, RAW_CHUNK);
}

/**
 * The rest of a large message's bytes, RAW_CHUNK at a time on the unit's own connection,
 * so a 25 MB message is never copied whole into a statement on its way to the server.
 */
async function appendRaw(work: TenantWork, id: number, raw: Buffer, from: number): Promise<void> {
  for (let at = from; at < raw.length; at += RAW_CHUNK) {
    await work.sql.query('update inbound_messages set raw = raw || $1 where id = $2 and tenant_id = $3', [raw.subarray(at, at + RAW_CHUNK), id, work.tenantId]);
  }
}

/** A failed message's bytes, written on its new row. */
async function storeRaw(work: TenantWork, id: number, raw: Buffer): Promise<void> {
  await work.sql.query('update inbound_messages set raw = $1 where id = $2 and tenant_id = $3', [raw.subarray(0, RAW_CHUNK), id, work.tenantId]);
  await appendRaw(work, id, raw, RAW_CHUNK);
}

const reasonOf = (kind: MailClass): string => (kind.kind === 'automated' ? 'automated' : 'email');

/** Records a failed attempt in a unit of work of its own (the message's was rolled back). */
async function recordFailure(source: IngestSource, mail: InboundMail | undefined, error: unknown): Promise<IngestResult> {
  const message = loggableMessage(error).slice(0, 2000);
  const key = mail?.key ?? `sha256:${createHash('sha256').update(source.raw).digest('hex')}`;
  try {
    return await inTenantWork(source.tenantId, async (work) => {
      const { em } = work;
      const tenant = em.getReference(Tenant, source.tenantId);
      const row = await em.findOne(InboundMessage, { messageKey: key })
        ?? em.create(InboundMessage, { tenant, mailboxId: source.mailbox?.id ?? null, messageKey: key, outcome: 'retrying' });
      if (row.outcome !== 'retrying') return { outcome: 'ignored_duplicate', reason: 'already_ingested' } as IngestResult;
      row.attempts += 1;
      row.lastError = message;
      row.outcome = row.attempts >= MAX_ATTEMPTS ? 'failed' : 'retrying';
      row.reason = 'error';
      Object.assign(row, {
        uid: source.uid ?? null, uidValidity: source.uidValidity ?? null, size: source.raw.length, updatedAt: new Date(),
        fromAddress: mail?.from?.address.slice(0, 254) ?? row.fromAddress ?? null, subject: (mail?.subject ?? row.subject ?? '').slice(0, 500),
      });
      const first = !row.id;
      await em.flush();
      if (first) await storeRaw(work, row.id, source.raw);
      log.warn({ err: error, tenantId: source.tenantId, mailboxId: source.mailbox?.id, attempts: row.attempts, parked: row.outcome === 'failed' }, 'incoming message failed');
      return { outcome: row.outcome, reason: 'error' } as IngestResult;
    }, SYSTEM);
  } catch (second) {
    log.error({ err: second, first: message, tenantId: source.tenantId }, 'incoming message failed, and so did recording it');
    return { outcome: 'retrying', reason: 'error' };
  }
}
