// What an incoming message does to tickets: opens one, adds to one, or notes a bounce.
// Opening and adding act as the message's sender (history, audit and the domain events
// name them); automatic mail (an auto-reply, an alert) says so in its events.
//
// Opening and adding write what the ticket verbs write (open-ticket.ts, replies.ts,
// history.ts, attachments.ts, the audit log) and raise the same domain events, in a
// statement or two of plain SQL rather than through the ORM's flushes: a mailbox
// takes mail in bulk, and one message cost about ten round trips and as much again
// in ORM bookkeeping (bench/ingest). test/inbound/ingest-writes.test.ts holds the
// rows written here to the rows the verbs write.
import EmailReplyParser from 'email-reply-parser';
import type { Em } from '../db/orm.js';
import type { TenantWork } from '../db/unit-of-work.js';
import { fullName } from '../domain/contact/contact.js';
import { actingAs, type Actor } from '../domain/actor.js';
import { MAX_FILE_BYTES, safeContentType, safeFileName } from '../domain/ticket/attachments.js';
import { raiseTicketEvent, type TicketDomainEvent } from '../domain/ticket/events.js';
import { queuedWithItsChange, queueRows, queuesForRules, ruleEventRow, wakeAfterCommit } from '../domain/rule/subscriber.js';
import {
  knowNotificationFacts, notificationFactsOf, notificationsOfOpening, notificationsOnAhead, notifiedWithItsChange, NOTIFIED_TICKET_COLUMNS, openingQueueParts,
} from '../domain/notification/subscriber.js';
import { subscribersSettleInStatement } from '../db/unit-of-work.js';
import { dispatchAfterCommit } from '../outbound/outbox.js';
import { current, currentActor, type RaisedEvent } from '../current.js';
import { DESCRIPTION_MAX, TITLE_MAX } from '../domain/ticket/open-ticket.js';
import { BODY_MAX } from '../domain/ticket/replies.js';
import { Ticket, TicketMessage } from '../domain/ticket/ticket.js';
import { Tenant } from '../domain/tenant/tenant.js';
import { readMessageId } from '../outbound/message-ids.js';
import { OutboundEmail } from '../outbound/outbound-email.js';
import type { MailClass } from './classify.js';
import type { OpeningFacts, SenderContact, WorkspaceFacts } from './facts.js';
import { safeEmailHtml } from './html.js';
import type { IngestSettings } from './ingest.js';
import type { InboundMail } from './parse.js';
import { finishLogRow, logRowPart, RAW_CHUNK, type LogRow } from './log-row.js';
import { Statement } from './statement.js';
import type { Thread } from './threading.js';
import { speakerFor, type Speaker } from '../i18n/translate.js';
import { locales } from '../i18n/languages.js';
import { formatterFor, type Formatter } from '../lib/format.js';

/** What ingest writes on a ticket (a title for a subject-less mail, system notes) is stored in the workspace's language: its technicians read it. */
const workspaceSpeaker = (ws: WorkspaceFacts): Speaker => speakerFor(ws.language, ws.edition);
const fmtOf = (ws: WorkspaceFacts): Formatter => formatterFor(locales[workspaceSpeaker(ws).lang], ws.timeZone);

/** The workspace's facts from its entity (the admin's door, review.ts). */
export const workspaceOf = (tenant: Tenant): WorkspaceFacts => ({ id: tenant.id, language: tenant.language, edition: tenant.edition, timeZone: tenant.timeZone });

/** At most this many files are taken from one message; the rest are noted. */
const MAX_MAIL_FILES = 20;

/** The new text of a reply and the quoted history below it (kept, shown on request). */
export function splitQuoted(text: string): { visible: string; quoted: string } {
  const email = new EmailReplyParser().read(text);
  const visible = email.getVisibleText().trim();
  return visible ? { visible, quoted: email.getQuotedText().trim() } : { visible: text.trim(), quoted: '' };
}

export interface MailFile { name: string; type: string; bytes: Buffer }

/** The files to store (names and types made safe, as addAttachments does), and notes naming those that could not be (too large, too many). */
function filesOf(ws: WorkspaceFacts, mail: InboundMail): { files: MailFile[]; left: string[] } {
  const { t } = workspaceSpeaker(ws);
  const files: MailFile[] = [];
  const left: string[] = [];
  for (const a of mail.attachments) {
    if (a.size > MAX_FILE_BYTES) left.push(t('inbound.notes.fileTooLarge', { name: a.name, size: fmtOf(ws).size(a.size), limit: fmtOf(ws).size(MAX_FILE_BYTES) }));
    else if (files.length >= MAX_MAIL_FILES) left.push(t('inbound.notes.tooManyFiles', { name: a.name, count: MAX_MAIL_FILES }));
    else files.push({ name: safeFileName(a.name), type: safeContentType(a.type), bytes: a.bytes });
  }
  return { files, left };
}

/** The system notes a message leaves on its ticket: files not stored, then "automatic mail". */
function notesFor(ws: WorkspaceFacts, left: string[], automatic: boolean): string[] {
  const { t } = workspaceSpeaker(ws);
  const notes = left.length ? [`${t('inbound.notes.filesNotStored')}\n${left.map((l) => `- ${l}`).join('\n')}`] : [];
  if (automatic) notes.push(t('inbound.notes.automatic'));
  return notes;
}

/** The files too large to go inline, each in a statement of its own. */
async function storeRest(work: TenantWork, files: MailFile[], ticketId: number, messageId: number | null, at: Date): Promise<void> {
  for (const f of files) {
    await work.sql.query(`insert into attachments (tenant_id, ticket_id, message_id, file_name, content_type, size, data, created_at)
      values ($1, $2, $3, $4, $5, $6, $7::bytea, $8)`, [work.tenantId, ticketId, messageId, f.name, f.type, f.bytes.length, f.bytes, at]);
  }
}

/**
 * The rules' queue as a part of the statement that makes the change (rule/subscriber.ts
 * queueRows: the rows of a trigger some active rule has), so no statement of its own
 * follows: `events` are the ticket events the statement's change raises, in order, with
 * the values it makes (the ticket's or message's id, the number) as SQL of its first
 * part `t` in `sql`. The events raised afterwards (raiseQueued) are left alone by the
 * rules' subscriber. Returns the part, or null when no event goes to the rules.
 */
function ruleQueuePart(s: Statement, events: PlannedEvent[]): string | null {
  const origin = { ...currentActor() };
  const rows = events.filter((e) => queuesForRules({ ...e.event, origin } as RaisedEvent)).map(({ event, sql }) => {
    let row = `${s.p(JSON.stringify(ruleEventRow({ ...event, origin } as TicketDomainEvent)))}::jsonb`;
    for (const [field, value] of Object.entries(sql)) row = `jsonb_set(${row}, '{${field === 'ticketId' ? 'ticket_id' : `payload,${field}`}}', to_jsonb(${value}))`;
    return row;
  });
  return rows.length ? `q as (${queueRows(`jsonb_build_array(${rows.join(', ')})`, 't, ')})` : null;
}

/** A ticket event the statement's change raises: its values, and those the statement makes as SQL. */
interface PlannedEvent { event: Distribute<TicketDomainEvent>; sql: Record<string, string> }
type Distribute<E> = E extends unknown ? Omit<E, 'origin'> : never;

/** Raises `events` (with the values the statement made), telling the rules' subscriber those it queued; wakes the rules when it queued any. */
function raiseQueued(work: TenantWork, events: Array<Distribute<TicketDomainEvent>>, queued: number, notified?: (event: RaisedEvent) => void): void {
  const raised = current()!.events!;
  const from = raised.length;
  for (const event of events) raiseTicketEvent(event);
  for (const event of raised.slice(from)) {
    if (queuesForRules(event)) queuedWithItsChange(event);
    notified?.(event);
  }
  if (queued) wakeAfterCommit(work.tenantId);
}

const contactActor = (c: SenderContact): Actor => ({ kind: 'contact', id: c.id, name: fullName(c) });

/**
 * How a new ticket's statement may also queue its notifications and take the commit with
 * it (the unit's last round trip): what they need, read with the message's facts, and
 * `sent`, called once the statement and the commit are sent (the next message is read meanwhile).
 */
export interface OpeningInStatement { facts: OpeningFacts; sent: () => void }

/**
 * A new ticket from the message, opened as its sender would through openTicket:
 * numbered under the workspace row's lock, its history's "created" row, its audit
 * event, its files and notes — one statement — and ticket.created raised.
 * With `inStatement`, when nothing else is left to write, the statement queues the
 * notifications too, rendered beforehand for the number it takes only if it is still the
 * workspace's next, and takes the commit with it. Null when that number was taken
 * meanwhile: the statement wrote nothing and committed an empty unit (the caller runs the
 * message again, without `inStatement`).
 */
export function openFromMail(work: TenantWork, ws: WorkspaceFacts, contact: SenderContact, mail: InboundMail, supportAddress: string | null, automatic: boolean, log?: LogRow): Promise<{ id: number; number: number }>;
export function openFromMail(work: TenantWork, ws: WorkspaceFacts, contact: SenderContact, mail: InboundMail, supportAddress: string | null, automatic: boolean, log: LogRow | undefined, inStatement: OpeningInStatement | undefined): Promise<{ id: number; number: number } | null>;
export function openFromMail(work: TenantWork, ws: WorkspaceFacts, contact: SenderContact, mail: InboundMail, supportAddress: string | null, automatic: boolean, log?: LogRow, inStatement?: OpeningInStatement): Promise<{ id: number; number: number } | null> {
  const actor = contactActor(contact);
  return actingAs(actor, async () => {
    const { t } = workspaceSpeaker(ws);
    // As openTicket takes them: the title trimmed (never empty), the description trimmed with LF line ends.
    const title = (mail.subject || t('inbound.noSubject')).slice(0, TITLE_MAX).trim();
    const description = mail.text.slice(0, DESCRIPTION_MAX).trim().replace(/\r\n/g, '\n');
    const { files, left } = filesOf(ws, mail);
    const at = new Date();
    const s = new Statement(work.tenantId);
    const when = s.p(at);
    const first = `insert into tickets (tenant_id, number, title, description, status, priority, type, source, customer_id, contact_id, assignee_id,
        support_address, email_message_id, description_html, automatic, created_at, updated_at)
      select $1, number, ${s.p(title)}, ${s.p(description)}, 'open', 'medium', 'question', 'email', ${s.p(contact.customerId)}, ${s.p(contact.id)}, null,
        ${s.p(supportAddress)}, ${s.p(mail.messageId)}, ${s.p(safeEmailHtml(mail.html, t))}, ${s.p(automatic)}, ${when}, ${when}
      from n
      returning ${NOTIFIED_TICKET_COLUMNS}`;
    // Only its files and log row (each small enough for it), and its ticket.created event, follow the statement; no ORM was used (nothing to flush).
    const alone = inStatement && log && !work.usesOrm && !current()!.events!.length && subscribersSettleInStatement()
      && s.filesFit(files) && (log.existingId !== null || log.source.raw.length <= RAW_CHUNK);
    const predicted = alone ? inStatement.facts.nextNumber : null;
    // The number, taken by incrementing the workspace row (takeTicketNumber): its lock serialises openings, a rollback gives it back.
    const numbering = `n as (update tenants set next_ticket_number = next_ticket_number + 1 where id = $1${predicted === null ? '' : ` and next_ticket_number = ${s.p(predicted)}`} returning next_ticket_number - 1 as number),\n`;
    const kind = s.p(actor.kind);
    const name = s.p(actor.name);
    s.parts.push(`h as (insert into ticket_events (tenant_id, ticket_id, actor_kind, actor_name, field, from_value, to_value, created_at)
      select $1, t.id, ${kind}, ${name}, 'created', null, '#' || t.number, ${when} from t)`);
    s.parts.push(`a as (insert into audit_events (tenant_id, actor_kind, actor_id, actor_name, action, subject_type, subject_id, details, created_at)
      select $1, ${kind}, ${s.p(actor.id)}, ${name}, 'ticket.opened', 'ticket', t.id, jsonb_build_object('number', t.number, 'source', 'email'), ${when} from t)`);
    const rest = s.files(files, 't.id', 'null', when);
    s.notes(notesFor(ws, left, automatic), 't.id', when);
    if (log) s.parts.push(`l as (${logRowPart(s, { ...log, ticket: 't.id' }, true)})`);
    const created = (id: number, number: number) => ({ type: 'ticket.created' as const, ticketId: id, number, source: 'email' as const, automatic });
    const queue = ruleQueuePart(s, [{ event: created(0, 0), sql: { ticketId: 't.id', number: 't.number' } }]);
    if (queue) s.parts.push(queue);
    if (alone) {
      // The notifications, rendered now for the ticket as the statement writes it (its id is the statement's), queued by it.
      const { facts } = inStatement;
      const emails = await notificationsOfOpening(facts.settings, facts.context, {
        id: 0, number: predicted!, title, description, status: 'open', priority: 'medium', automatic, supportAddress: supportAddress ?? facts.firstSupportAddress,
        customer: { name: facts.customerName },
        contact: { id: contact.id, email: contact.email, firstName: contact.firstName, lastName: contact.lastName, language: facts.contactLanguage, customer: { name: facts.customerName } },
        assignee: null,
      }, { ...created(0, predicted!), origin: currentActor() });
      if (emails.length) s.parts.push(...openingQueueParts((v) => s.p(v), emails));
      const sent = work.sql.last(work.sql.query<{ id: number; number: number; queued: number; emails: number[] }>(
        s.text(first, `select id, number, ${queue ? '(select count(*) from q)::int' : '0'} as queued,
          ${emails.length ? "(select coalesce(array_agg(id order by id), '{}') from queued)" : "'{}'::int[]"} as emails from t`, numbering), s.params));
      inStatement.sent();
      const [ticket] = await sent;
      if (!ticket) return null;
      dispatchAfterCommit(work.tenantId, ticket.emails);
      raiseQueued(work, [created(ticket.id, ticket.number)], ticket.queued, (event) => notifiedWithItsChange(event));
      return { id: ticket.id, number: ticket.number };
    }
    // What the notifications that are on send for the new ticket, read here for their subscriber: one statement less.
    const notify = notificationsOnAhead(work) ? notificationFactsOf('t') : 'null';
    const [ticket] = await work.sql.query<{ id: number; number: number; log_id: number | null; queued: number; notifications: unknown }>(
      s.text(first, `select id, number, ${log ? '(select id from l)' : 'null'} as log_id, ${queue ? '(select count(*) from q)::int' : '0'} as queued,
        ${notify} as notifications from t`, numbering), s.params);
    knowNotificationFacts(work, ticket.notifications);
    await storeRest(work, rest, ticket.id, null, at);
    if (log) await finishLogRow(work, log, ticket.log_id!);
    raiseQueued(work, [created(ticket.id, ticket.number)], ticket.queued);
    return { id: ticket.id, number: ticket.number };
  });
}

/**
 * The message added to the ticket it answers, as its sender. A person's reply is what
 * addReply writes (and reopens a resolved ticket, or a closed one when the workspace
 * says so); an auto-reply or an alert is on the ticket but reopens nothing and is
 * emailed to no one; a technician's email is an internal note (anyone can write a
 * technician's address in From, so an email never speaks to the requester in their name).
 */
export function addToThread(work: TenantWork, ws: WorkspaceFacts, thread: Thread, mail: InboundMail, settings: IngestSettings, automatic: boolean, log?: LogRow): Promise<number> {
  const { ticket, author } = thread;
  const byTechnician = author.kind === 'technician';
  const actor: Actor = author.kind === 'technician' ? { kind: 'technician', id: author.id, name: author.name } : contactActor(author.contact);
  return actingAs(actor, async () => {
    const { t } = workspaceSpeaker(ws);
    const { visible, quoted } = splitQuoted(mail.text);
    const body = (visible || t('inbound.noText')).slice(0, BODY_MAX);
    const { files, left } = filesOf(ws, mail);
    const at = new Date();
    const asReply = !automatic && !byTechnician;
    // The status changes a person's reply makes, in the order addReply and the reopening make them.
    const changes: Array<[from: 'resolved' | 'closed', to: 'open']> = [];
    if (asReply && ticket.status === 'resolved') changes.push(['resolved', 'open']);
    if (asReply && ticket.status === 'closed' && settings.reopenClosedOnReply) changes.push(['closed', 'open']);
    const s = new Statement(work.tenantId);
    const when = s.p(at);
    const ticketId = s.p(ticket.id);
    const first = `insert into ticket_messages (tenant_id, ticket_id, author_kind, author_contact_id, author_technician_id, body, internal, email_message_id, quoted_text, body_html, automatic, created_at)
      values ($1, ${ticketId}, ${s.p(byTechnician ? 'technician' : 'contact')}, ${s.p(author.kind === 'contact' ? author.contact.id : null)}, ${s.p(author.kind === 'technician' ? author.id : null)},
        ${s.p(asReply ? body.replace(/\r\n/g, '\n').trim() : body)}, ${s.p(byTechnician)}, ${s.p(mail.messageId)}, ${s.p(quoted || null)}, ${s.p(safeEmailHtml(mail.html, t))}, ${s.p(automatic)}, ${when})
      returning id`;
    if (asReply) {
      s.parts.push(`u as (update tickets set updated_at = ${when}${changes.length ? `, status = 'open'` : ''} where tenant_id = $1 and id = ${ticketId})`);
      if (changes.length) {
        s.parts.push(`h as (insert into ticket_events (tenant_id, ticket_id, actor_kind, actor_name, field, from_value, to_value, created_at)
          select $1, ${ticketId}, ${s.p(actor.kind)}, ${s.p(actor.name ?? '')}, 'status', c.from_value, c.to_value, ${when}
          from unnest(${s.p(changes.map((c) => c[0]))}::text[], ${s.p(changes.map((c) => c[1]))}::text[]) with ordinality c(from_value, to_value, ord) order by c.ord)`);
      }
    }
    const rest = s.files(files, ticketId, 't.id', when);
    s.notes(notesFor(ws, left, false), ticketId, when);
    if (log) s.parts.push(`l as (${logRowPart(s, { ...log, ticket: ticketId }, true)})`);
    // The events, in the order addReply and the reopening raise them (raiseStatusChange: to open, a status change alone).
    const eventsOf = (messageId: number): Array<Distribute<TicketDomainEvent>> => [
      ...(changes[0]?.[0] === 'resolved' ? [{ type: 'ticket.status_changed' as const, ticketId: ticket.id, from: 'resolved' as const, to: 'open' as const }] : []),
      byTechnician
        ? { type: 'ticket.technician_responded' as const, ticketId: ticket.id, messageId, internal: true, automatic }
        : { type: 'ticket.contact_responded' as const, ticketId: ticket.id, messageId, automatic },
      ...(changes.some((c) => c[0] === 'closed') ? [{ type: 'ticket.status_changed' as const, ticketId: ticket.id, from: 'closed' as const, to: 'open' as const }] : []),
    ];
    const queue = ruleQueuePart(s, eventsOf(0).map((event): PlannedEvent => ({ event, sql: 'messageId' in event ? { messageId: 't.id' } : {} })));
    if (queue) s.parts.push(queue);
    const [message] = await work.sql.query<{ id: number; log_id: number | null; queued: number }>(
      s.text(first, `select id, ${log ? '(select id from l)' : 'null'} as log_id, ${queue ? '(select count(*) from q)::int' : '0'} as queued from t`), s.params);
    await storeRest(work, rest, ticket.id, message.id, at);
    if (log) await finishLogRow(work, log, message.log_id!);
    raiseQueued(work, eventsOf(message.id), message.queued);
    return message.id;
  });
}

/**
 * A bounce: a note on the ticket whose email bounced (found through the returned
 * Message-ID, which must be one we signed), and its recipient held as undeliverable
 * for a day — the outbox keeps mail to it meanwhile. Never a contact, never an
 * answer. Returns the ticket's id.
 */
export async function noteBounce(em: Em, ws: WorkspaceFacts, bounce: Extract<MailClass, { kind: 'bounce' }>): Promise<number | null> {
  // Only a bounce of a message we sent, from this workspace, counts: anyone can write a
  // "bounce" naming any address, and holding mail to it would silence that person.
  const read = readMessageId(bounce.originalMessageId);
  if (read.kind !== 'ours' || read.tenantId !== ws.id) return null;
  const original = await em.findOne(OutboundEmail, { messageId: bounce.originalMessageId! });
  if (!original) return null;
  if (bounce.recipient && bounce.recipient !== original.toAddress.toLowerCase()) return null;
  const recipient = original.toAddress;
  await em.execute(
    `insert into undeliverable_addresses (tenant_id, address, until, reason) values (?, ?, now() + interval '24 hours', ?)
     on conflict (tenant_id, lower(address)) do update set until = excluded.until, reason = excluded.reason`,
    [ws.id, recipient.slice(0, 254), `bounced: ${original.subject}`.slice(0, 500)]);
  if (!original.ticketId) return null;
  const ticket = await em.findOne(Ticket, { id: original.ticketId });
  if (!ticket) return null;
  const note = em.create(TicketMessage, {
    tenant: em.getReference(Tenant, ws.id), ticket, authorKind: 'system', internal: true, automatic: true, createdAt: new Date(),
    body: workspaceSpeaker(ws).t('inbound.notes.bounced', { subject: original.subject, recipient }),
  });
  em.persist(note);
  await em.flush();
  return ticket.id;
}
