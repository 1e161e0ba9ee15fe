// One message from a mailbox, in its own unit of work for the tenant: logged once
// by its key (Message-ID, or a digest of its bytes), classified, threaded or made a
// ticket, and recorded in the ingest log with its outcome. A message that fails is
// rolled back whole, recorded with its error, and retried at the next polls; after
// MAX_ATTEMPTS it is parked as failed, its raw bytes kept for an admin to retry.
import { createHash } from 'node:crypto';
import { config } from '../config.js';
import { inTenantWork, type TenantWork } from '../db/unit-of-work.js';
import { InboundMessage, type Outcome } from '../domain/mailbox/inbound-message.js';
import { Mailbox } from '../domain/mailbox/mailbox.js';
import { emailSettingsOf } from '../domain/email/defaults.js';
import type { EmailSettings } from '../domain/email/email-settings.js';
import { Tenant } from '../domain/tenant/tenant.js';
import { log } from '../lib/logger.js';
import { classify, isAutomatic, type MailClass } from './classify.js';
import { parseMail, type InboundMail } from './parse.js';
import { identifySender } from './sender.js';
import { findThread } from './threading.js';
import { addToThread, noteBounce, openFromMail } from './tickets.js';

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
  private row!: InboundMessage;

  constructor(private readonly work: TenantWork, private readonly source: IngestSource, private readonly mail: InboundMail) {}

  async run(): Promise<IngestResult> {
    const { em } = this.work;
    const existing = await em.findOne(InboundMessage, { mailboxId: this.source.mailbox?.id ?? null, messageKey: this.mail.key });
    // Taken before (a crash between the commit and the \Seen flag, a rescan): never a second ticket.
    if (existing && existing.outcome !== 'retrying') return { outcome: 'ignored_duplicate', reason: 'already_ingested', ticketId: existing.ticketId };
    const tenant = await em.findOneOrFail(Tenant, { id: this.source.tenantId });
    this.row = existing ?? em.create(InboundMessage, {
      tenant, mailboxId: this.source.mailbox?.id ?? null, messageKey: this.mail.key, outcome: 'retrying',
    });
    Object.assign(this.row, {
      uid: this.source.uid ?? null, uidValidity: this.source.uidValidity ?? null,
      fromAddress: this.mail.from?.address.slice(0, 254) ?? null, fromName: this.mail.from?.name.slice(0, 200) ?? null,
      subject: this.mail.subject.slice(0, 500), size: this.mail.size, updatedAt: new Date(),
    });
    const settings = await emailSettingsOf(em, tenant);
    const result = await this.decide(tenant, settings);
    Object.assign(this.row, { outcome: result.outcome, reason: result.reason, ticketId: result.ticketId ?? null, contactId: result.contactId ?? null, lastError: null });
    await em.flush();
    if (!existing) await storeRaw(this.work, this.row.id, this.source.raw);
    return result;
  }

  private async decide(tenant: Tenant, settings: EmailSettings): Promise<IngestResult> {
    const { mail, work } = this;
    if (!mail.from) return { outcome: 'rejected_unknown_sender', reason: 'no_sender' };
    if (await this.flooding()) return { outcome: 'ignored_flood', reason: 'flood' };
    const kind = classify(mail, { ownAddresses: await this.ownAddresses() });
    if (kind.kind === 'loop') return { outcome: 'ignored_loop', reason: kind.reason };
    if (kind.kind === 'bounce') return { outcome: 'ignored_bounce', reason: 'bounce', ticketId: await noteBounce(work.em, tenant, kind) };
    const thread = await findThread(work.em, tenant.id, mail);
    if (kind.kind === 'auto-reply') {
      if (!thread) return { outcome: 'ignored_auto_reply', reason: kind.reason };
      await addToThread(work, tenant, thread, mail, settings, true);
      return { outcome: 'message_added', reason: 'auto_reply', ticketId: thread.ticket.id };
    }
    if (kind.kind === 'automated' && !settings.ticketsFromAutomatedMail) return { outcome: 'ignored_automated', reason: kind.reason };
    const automatic = isAutomatic(kind);
    if (thread) {
      await addToThread(work, tenant, thread, mail, settings, automatic);
      return { outcome: 'message_added', reason: reasonOf(kind), ticketId: thread.ticket.id };
    }
    const sender = await identifySender(work, tenant, mail, settings, automatic);
    if (sender.kind === 'rejected') return { outcome: sender.outcome, reason: sender.reason, contactId: sender.contact?.id };
    const ticket = await openFromMail(work, tenant, sender.contact, mail, this.source.mailbox?.address ?? null, automatic);
    return { outcome: 'ticket_created', reason: sender.created ? `${reasonOf(kind)}_new_contact` : reasonOf(kind), ticketId: ticket.id, contactId: sender.contact.id };
  }

  /** More than FLOOD_LIMIT messages from this sender to this mailbox in the window: the rest are ignored. */
  private async flooding(): Promise<boolean> {
    const [row] = await this.work.sql.query<{ n: number }>(
      `select count(*)::int as n from inbound_messages where tenant_id = $1 and mailbox_id is not distinct from $2 and lower(from_address) = $3
        and created_at > now() - interval '${FLOOD_WINDOW_MINUTES} minutes' and id is distinct from $4`,
      [this.work.tenantId, this.source.mailbox?.id ?? null, this.mail.from!.address, this.row.id ?? null]);
    return row.n >= FLOOD_LIMIT;
  }

  private async ownAddresses(): Promise<Set<string>> {
    const boxes = await this.work.em.find(Mailbox, {}, { fields: ['address'] });
    return new Set([config().mailFrom.toLowerCase(), ...boxes.map((b) => b.address.toLowerCase())]);
  }
}

const RAW_CHUNK = 1024 * 1024;

/**
 * The message's bytes, kept for an admin (download, retry) and pruned with the row's
 * age: written 1 MB at a time on the unit's own connection (binary parameters), so a
 * 25 MB message never exists as one 50 MB hex string, nor in the ORM's change sets.
 */
async function storeRaw(work: TenantWork, id: number, raw: Buffer): Promise<void> {
  await work.sql.query("update inbound_messages set raw = ''::bytea where id = $1 and tenant_id = $2", [id, work.tenantId]);
  for (let at = 0; at < raw.length; at += RAW_CHUNK) {
    await work.sql.query('update inbound_messages set raw = raw || $1 where id = $2 and tenant_id = $3', [raw.subarray(at, at + RAW_CHUNK), id, work.tenantId]);
  }
}

const reasonOf = (kind: MailClass): string => (kind.kind === 'automated' ? 'automated' : 'email');

/** Records a failed attempt in a unit of work of its own (the message's was rolled back). */
async function recordFailure(source: IngestSource, mail: InboundMail | undefined, error: unknown): Promise<IngestResult> {
  const message = String((error as Error)?.message ?? error).slice(0, 2000);
  const key = mail?.key ?? `sha256:${createHash('sha256').update(source.raw).digest('hex')}`;
  try {
    return await inTenantWork(source.tenantId, async (work) => {
      const { em } = work;
      const tenant = em.getReference(Tenant, source.tenantId);
      const row = await em.findOne(InboundMessage, { mailboxId: source.mailbox?.id ?? null, messageKey: key })
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
