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
import { identifySender } from './sender.js';
import { findThread } from './threading.js';
import { addToThread, noteBounce, openFromMail } from './tickets.js';

/** The settings the pipeline reads, as plain values. */
export type IngestSettings = Pick<EmailSettings, 'autoCreateContacts' | 'ticketsFromAutomatedMail' | 'reopenClosedOnReply'>;

export const MAX_ATTEMPTS = 5;
export const FLOOD_LIMIT = 20;
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
    const { em } = this.work;
    const facts = await this.facts();
    // Taken before (a crash between the commit and the \Seen flag, a rescan): never a second ticket.
    if (facts.existing_id && facts.existing_outcome !== 'retrying') return { outcome: 'ignored_duplicate', reason: 'already_ingested', ticketId: facts.existing_ticket };
    // A message waiting for a retry is taken by one poll (or an admin's Retry) at a time.
    if (facts.existing_id && !(await this.claimRetry(facts.existing_id))) return { outcome: 'ignored_duplicate', reason: 'already_ingested' };
    const tenant = await em.findOneOrFail(Tenant, { id: this.source.tenantId });
    const result = await this.decide(tenant, facts);
    // The log row is written once, with its outcome (a retried message updates its own).
    const row = facts.existing_id
      ? await em.findOneOrFail(InboundMessage, { id: facts.existing_id })
      : em.create(InboundMessage, { tenant, mailboxId: this.source.mailbox?.id ?? null, messageKey: this.mail.key, outcome: result.outcome });
    Object.assign(row, {
      uid: this.source.uid ?? null, uidValidity: this.source.uidValidity ?? null,
      fromAddress: this.mail.from?.address.slice(0, 254) ?? null, fromName: this.mail.from?.name.slice(0, 200) ?? null,
      subject: this.mail.subject.slice(0, 500), size: this.mail.size, updatedAt: new Date(),
      outcome: result.outcome, reason: result.reason, ticketId: result.ticketId ?? null, contactId: result.contactId ?? null, lastError: null,
    });
    await em.flush();
    if (!facts.existing_id) await storeRaw(this.work, row.id, this.source.raw);
    return result;
  }

  /** Locks a row waiting for a retry; false when someone else has handled it meanwhile. */
  private async claimRetry(id: number): Promise<boolean> {
    const [row] = await this.work.sql.query<{ outcome: string }>('select outcome from inbound_messages where id = $1 and tenant_id = $2 for update', [id, this.work.tenantId]);
    return row?.outcome === 'retrying';
  }

  /** What the decision needs to know besides the message, in one round trip. */
  private async facts(): Promise<Facts> {
    const [facts] = await this.work.sql.query<Facts>(
      `select m.id as existing_id, m.outcome as existing_outcome, m.ticket_id as existing_ticket,
         (select count(*)::int from inbound_messages r where r.tenant_id = $1 and r.mailbox_id is not distinct from $2 and lower(r.from_address) = $4
            and r.created_at > now() - make_interval(mins => $5) and r.id is distinct from m.id) as recent,
         (select coalesce(array_agg(lower(b.address)), '{}') from mailboxes b where b.tenant_id = $1) as own,
         s.auto_create_contacts as "autoCreateContacts", s.tickets_from_automated_mail as "ticketsFromAutomatedMail", s.reopen_closed_on_reply as "reopenClosedOnReply"
       from email_settings s
       left join inbound_messages m on m.tenant_id = s.tenant_id and m.message_key = $3
       where s.tenant_id = $1`,
      [this.work.tenantId, this.source.mailbox?.id ?? null, this.mail.key, this.mail.from?.address ?? '', FLOOD_WINDOW_MINUTES]);
    if (!facts) throw new Error('The workspace has no email settings row');
    return facts;
  }

  private async decide(tenant: Tenant, facts: Facts): Promise<IngestResult> {
    const { mail, work } = this;
    if (!mail.from) return { outcome: 'rejected_unknown_sender', reason: 'no_sender' };
    // More than FLOOD_LIMIT messages from this sender to this mailbox in the window: the rest are ignored.
    if (facts.recent >= FLOOD_LIMIT) return { outcome: 'ignored_flood', reason: 'flood' };
    const kind = classify(mail, { ownAddresses: new Set([config().mailFrom.toLowerCase(), ...facts.own]) });
    if (kind.kind === 'loop') return { outcome: 'ignored_loop', reason: kind.reason };
    if (kind.kind === 'bounce') return { outcome: 'ignored_bounce', reason: 'bounce', ticketId: await noteBounce(work.em, tenant, kind) };
    const thread = await findThread(work.em, tenant.id, mail);
    if (kind.kind === 'auto-reply') {
      if (!thread) return { outcome: 'ignored_auto_reply', reason: kind.reason };
      await addToThread(work, tenant, thread, mail, facts, true);
      return { outcome: 'message_added', reason: 'auto_reply', ticketId: thread.ticket.id };
    }
    if (kind.kind === 'automated' && !facts.ticketsFromAutomatedMail) return { outcome: 'ignored_automated', reason: kind.reason };
    const automatic = isAutomatic(kind);
    if (thread) {
      await addToThread(work, tenant, thread, mail, facts, automatic);
      return { outcome: 'message_added', reason: reasonOf(kind), ticketId: thread.ticket.id };
    }
    const sender = await identifySender(work, tenant, mail, facts, automatic);
    if (sender.kind === 'rejected') return { outcome: sender.outcome, reason: sender.reason, contactId: sender.contact?.id };
    const ticket = await openFromMail(work, tenant, sender.contact, mail, this.source.mailbox?.address ?? null, automatic);
    return { outcome: 'ticket_created', reason: sender.created ? `${reasonOf(kind)}_new_contact` : reasonOf(kind), ticketId: ticket.id, contactId: sender.contact.id };
  }
}

interface Facts extends IngestSettings {
  existing_id: number | null;
  existing_outcome: Outcome | null;
  existing_ticket: number | null;
  recent: number;
  own: string[];
}

const RAW_CHUNK = 1024 * 1024;

/**
 * The message's bytes, kept for an admin (download, retry) and pruned with the row's
 * age: written 1 MB at a time on the unit's own connection (binary parameters), so a
 * 25 MB message never exists as one 50 MB hex string, nor in the ORM's change sets.
 */
async function storeRaw(work: TenantWork, id: number, raw: Buffer): Promise<void> {
  await work.sql.query('update inbound_messages set raw = $1 where id = $2 and tenant_id = $3', [raw.subarray(0, RAW_CHUNK), id, work.tenantId]);
  for (let at = RAW_CHUNK; at < raw.length; at += RAW_CHUNK) {
    await work.sql.query('update inbound_messages set raw = raw || $1 where id = $2 and tenant_id = $3', [raw.subarray(at, at + RAW_CHUNK), id, work.tenantId]);
  }
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
