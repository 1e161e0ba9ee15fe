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
import { readMail, type InboundMail, type MailHead } from './parse.js';
import { newContactsLastHour, readFacts, type Facts } from './facts.js';
import { storeRaw, writeLogRow, type LogRow } from './log-row.js';
import type { Turn } from './in-turn.js';
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

export function ingestMessage(source: IngestSource): Promise<IngestResult> {
  return ingestRead(startReading(source));
}

/** A message whose reading (mailparser) has begun; nothing of it has reached the database. */
export interface ReadingMessage { source: IngestSource; reading: ReturnType<typeof readMail> }

/** Begins reading the message: mailparser goes on in the background until its unit of work awaits it (in-turn.ts reads one ahead). */
export function startReading(source: IngestSource): ReadingMessage {
  const reading = readMail(source.raw);
  // Awaited in the unit of work; this keeps a failure before that (or a message never ingested, its poll broken off) from going unhandled.
  reading.head.catch(() => undefined);
  reading.whole.catch(() => undefined);
  return { source, reading };
}

/** The message as a turn of ingestInTurn (poll.ts, bench/ingest): its reading begun now, its unit of work in its turn. */
export function ingestTurn(source: IngestSource): Turn<IngestResult> {
  const reading = startReading(source);
  return { size: source.raw.length, ingest: (written) => ingestRead(reading, written) };
}

/**
 * The message's unit of work. `written` is called once the message's own work is done and
 * only the before-commit subscribers and the commit remain: the next message can be read then.
 */
export async function ingestRead({ source, reading }: ReadingMessage, written?: () => void): Promise<IngestResult> {
  let head: MailHead | undefined;
  try {
    // The unit of work begins, and the message's facts are asked for, once its headers are
    // read: its body is read meanwhile, while the database answers.
    head = await reading.head;
    const read = head;
    const unit = (inStatement: boolean) => inTenantWork(source.tenantId, async (work) => {
      const ingester = new MessageIngester(work, source, read, reading.whole, inStatement ? () => written?.() : undefined);
      const result = await ingester.run();
      written?.();
      return ingester.again ? null : result;
    }, SYSTEM);
    // Run again the usual way when the new ticket's number was taken meanwhile (the first unit wrote nothing: tickets.ts openFromMail).
    return await unit(true) ?? await unit(false) as IngestResult;
  } catch (error) {
    return recordFailure(source, head, error);
  }
}

class MessageIngester {
  /** Whether the log row went with the ticket's statement. */
  private logged = false;
  private mail!: InboundMail;
  /** Set when the new ticket's statement found its number taken and wrote nothing: the message is to be run again. */
  again = false;

  /** `sent`: a new ticket's statement may queue its notifications and take the commit (tickets.ts OpeningInStatement), calling it once sent. */
  constructor(private readonly work: TenantWork, private readonly source: IngestSource, private readonly head: MailHead, private readonly whole: Promise<InboundMail>,
    private readonly sent?: () => void) {}

  async run(): Promise<IngestResult> {
    const facts = await readFacts(this.work, this.head, this.source.mailbox?.id ?? null, FLOOD_WINDOW_MINUTES);
    // The whole message, whatever the facts say: a duplicate's body is not left being read after its unit of work.
    this.mail = await this.whole;
    // Taken before (a crash between the commit and the \Seen flag, a rescan): never a second ticket.
    if (facts.existingId && facts.existingOutcome !== 'retrying') return { outcome: 'ignored_duplicate', reason: 'already_ingested', ticketId: facts.existingTicket };
    // A message waiting for a retry is taken by one poll (or an admin's Retry) at a time.
    if (facts.existingId && !(await this.claimRetry(facts.existingId))) return { outcome: 'ignored_duplicate', reason: 'already_ingested' };
    const result = await this.decide(facts);
    // The log row is written once, with its outcome (a retried message updates its own).
    if (!this.logged) await writeLogRow(this.work, this.logRow(facts, result));
    return result;
  }

  /** Locks a row waiting for a retry; false when someone else has handled it meanwhile. */
  private async claimRetry(id: number): Promise<boolean> {
    const [row] = await this.work.sql.query<{ outcome: string }>('select outcome from inbound_messages where id = $1 and tenant_id = $2 for update', [id, this.work.tenantId]);
    return row?.outcome === 'retrying';
  }

  /** The message's log row with `result`, for the statement that writes the ticket when there is one. */
  private logRow(facts: Facts, result: IngestResult): LogRow {
    this.logged = true;
    return { existingId: facts.existingId, source: this.source, mail: this.mail, result, ticket: result.ticketId ?? null };
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
      const result: IngestResult = { outcome: 'message_added', reason: 'auto_reply', ticketId: thread.ticket.id };
      await addToThread(work, ws, thread, mail, facts, true, this.logRow(facts, result));
      return result;
    }
    if (kind.kind === 'automated' && !facts.ticketsFromAutomatedMail) return { outcome: 'ignored_automated', reason: kind.reason };
    const automatic = isAutomatic(kind);
    if (thread) {
      const result: IngestResult = { outcome: 'message_added', reason: reasonOf(kind), ticketId: thread.ticket.id };
      await addToThread(work, ws, thread, mail, facts, automatic, this.logRow(facts, result));
      return result;
    }
    // A cap on contacts made from one mailbox's mail in an hour: forged senders cannot make
    // Sportello mail welcome after welcome to addresses of their choosing.
    const sender = await identifySender(work, facts, mail, automatic, async () => (await newContactsLastHour(work, this.source.mailbox?.id ?? null)) < NEW_CONTACTS_PER_HOUR);
    if (sender.kind === 'rejected') return { outcome: sender.outcome, reason: sender.reason, contactId: sender.contact?.id };
    const result: IngestResult = { outcome: 'ticket_created', reason: sender.created ? `${reasonOf(kind)}_new_contact` : reasonOf(kind), contactId: sender.contact.id };
    const inStatement = this.sent && facts.opening ? { facts: facts.opening, sent: this.sent } : undefined;
    const ticket = await openFromMail(work, ws, sender.contact, mail, this.source.mailbox?.address ?? null, automatic, this.logRow(facts, result), inStatement);
    if (!ticket) {
      this.again = true;
      return result;
    }
    return { ...result, ticketId: ticket.id };
  }
}

const reasonOf = (kind: MailClass): string => (kind.kind === 'automated' ? 'automated' : 'email');

/** Records a failed attempt in a unit of work of its own (the message's was rolled back). */
async function recordFailure(source: IngestSource, mail: MailHead | undefined, error: unknown): Promise<IngestResult> {
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
