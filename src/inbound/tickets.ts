// What an incoming message does to tickets: opens one, adds to one, or notes a bounce.
// Opening and adding act as the message's sender (history, audit and the domain events
// name them); automatic mail (an auto-reply, an alert) says so in its events.
import EmailReplyParser from 'email-reply-parser';
import type { Em } from '../db/orm.js';
import type { TenantWork } from '../db/unit-of-work.js';
import type { Contact } from '../domain/contact/contact.js';
import type { IngestSettings } from './ingest.js';
import { Technician } from '../domain/technician/technician.js';
import type { Tenant } from '../domain/tenant/tenant.js';
import { addAttachments, fileFromBytes, MAX_FILE_BYTES, type NewFile } from '../domain/ticket/attachments.js';
import { actingAs, actorOf } from '../domain/actor.js';
import { raiseStatusChange } from '../domain/ticket/events.js';
import { recordEvent } from '../domain/ticket/history.js';
import { DESCRIPTION_MAX, openTicket, TITLE_MAX } from '../domain/ticket/open-ticket.js';
import { addReply, BODY_MAX, raiseResponded } from '../domain/ticket/replies.js';
import { Ticket, TicketMessage } from '../domain/ticket/ticket.js';
import { readMessageId } from '../outbound/message-ids.js';
import { OutboundEmail } from '../outbound/outbound-email.js';
import type { MailClass } from './classify.js';
import { safeEmailHtml } from './html.js';
import type { InboundMail } from './parse.js';
import type { Thread } from './threading.js';
import { speakerFor, type Speaker } from '../i18n/translate.js';
import { locales } from '../i18n/languages.js';
import { formatterFor, type Formatter } from '../lib/format.js';

/** What ingest writes on a ticket (a title for a subject-less mail, system notes) is stored in the workspace's language: its technicians read it. */
const workspaceSpeaker = (tenant: Tenant): Speaker => speakerFor(tenant.language, tenant.edition);
const fmtOf = (tenant: Tenant): Formatter => formatterFor(locales[workspaceSpeaker(tenant).lang], tenant.timeZone);

/** At most this many files are taken from one message; the rest are noted. */
const MAX_MAIL_FILES = 20;

/** The new text of a reply and the quoted history below it (kept, shown on request). */
export function splitQuoted(text: string): { visible: string; quoted: string } {
  const email = new EmailReplyParser().read(text);
  const visible = email.getVisibleText().trim();
  return visible ? { visible, quoted: email.getQuotedText().trim() } : { visible: text.trim(), quoted: '' };
}

/** The files to store, and a note naming those that could not be (too large, too many). */
function filesOf(tenant: Tenant, mail: InboundMail): { files: NewFile[]; left: string[] } {
  const { t } = workspaceSpeaker(tenant);
  const files: NewFile[] = [];
  const left: string[] = [];
  for (const a of mail.attachments) {
    if (a.bytes.length > MAX_FILE_BYTES) left.push(t('inbound.notes.fileTooLarge', { name: a.name, size: fmtOf(tenant).size(a.bytes.length), limit: fmtOf(tenant).size(MAX_FILE_BYTES) }));
    else if (files.length >= MAX_MAIL_FILES) left.push(t('inbound.notes.tooManyFiles', { name: a.name, count: MAX_MAIL_FILES }));
    else files.push(fileFromBytes(a.name, a.type, a.bytes));
  }
  return { files, left };
}

function systemNote(em: Em, tenant: Tenant, ticket: Ticket, body: string): TicketMessage {
  const note = em.create(TicketMessage, { tenant, ticket, authorKind: 'system', body, internal: true, automatic: true, createdAt: new Date() });
  em.persist(note);
  return note;
}

function noteLeftFiles(em: Em, tenant: Tenant, ticket: Ticket, left: string[]): void {
  if (left.length) systemNote(em, tenant, ticket, `${workspaceSpeaker(tenant).t('inbound.notes.filesNotStored')}\n${left.map((l) => `- ${l}`).join('\n')}`);
}

export function openFromMail(work: TenantWork, tenant: Tenant, contact: Contact, mail: InboundMail, supportAddress: string | null, automatic: boolean): Promise<Ticket> {
  return actingAs(actorOf(contact), () => openAsSender(work, tenant, contact, mail, supportAddress, automatic));
}

async function openAsSender(work: TenantWork, tenant: Tenant, contact: Contact, mail: InboundMail, supportAddress: string | null, automatic: boolean): Promise<Ticket> {
  const { em } = work;
  const ticket = await openTicket(em, tenant, {
    contact, title: (mail.subject || workspaceSpeaker(tenant).t('inbound.noSubject')).slice(0, TITLE_MAX), description: mail.text.slice(0, DESCRIPTION_MAX), source: 'email', automatic,
  });
  ticket.supportAddress = supportAddress;
  ticket.emailMessageId = mail.messageId;
  ticket.descriptionHtml = safeEmailHtml(mail.html, workspaceSpeaker(tenant).t);
  ticket.automatic = automatic;
  const { files, left } = filesOf(tenant, mail);
  if (files.length) await addAttachments(em, tenant, ticket, files);
  noteLeftFiles(em, tenant, ticket, left);
  if (automatic) systemNote(em, tenant, ticket, workspaceSpeaker(tenant).t('inbound.notes.automatic'));
  await em.flush();
  return ticket;
}

export function addToThread(work: TenantWork, tenant: Tenant, thread: Thread, mail: InboundMail, settings: IngestSettings, automatic: boolean): Promise<TicketMessage> {
  return actingAs(actorOf(thread.author), () => addAsSender(work, tenant, thread, mail, settings, automatic));
}

async function addAsSender(work: TenantWork, tenant: Tenant, thread: Thread, mail: InboundMail, settings: IngestSettings, automatic: boolean): Promise<TicketMessage> {
  const { em } = work;
  const { ticket, author } = thread;
  const { visible, quoted } = splitQuoted(mail.text);
  const body = (visible || workspaceSpeaker(tenant).t('inbound.noText')).slice(0, BODY_MAX);
  const { files, left } = filesOf(tenant, mail);
  let message: TicketMessage;
  if (automatic || author instanceof Technician) {
    // An auto-reply or an alert: on the ticket, but it reopens nothing and is emailed to no one.
    // A technician's email is an internal note: anyone can write a technician's address in From,
    // so an email never speaks to the requester in a technician's name (nor resolves snippets).
    const byTechnician = author instanceof Technician;
    message = em.create(TicketMessage, {
      tenant, ticket, body, internal: byTechnician, automatic, createdAt: new Date(),
      authorKind: byTechnician ? 'technician' : 'contact',
      authorTechnician: byTechnician ? author : null, authorContact: byTechnician ? null : author,
    });
    em.persist(message);
    await em.flush();
    raiseResponded(ticket, message, automatic);
    if (files.length) await addAttachments(em, tenant, ticket, files, message);
  } else {
    const wasClosed = ticket.status === 'closed';
    message = await addReply(em, tenant, ticket, { body, author, attachments: files });
    if (wasClosed && settings.reopenClosedOnReply) {
      recordEvent(em, tenant, ticket, 'status', 'closed', 'open');
      ticket.status = 'open';
      raiseStatusChange(ticket.id, 'closed', 'open');
    }
  }
  message.emailMessageId = mail.messageId;
  message.quotedText = quoted || null;
  message.bodyHtml = safeEmailHtml(mail.html, workspaceSpeaker(tenant).t);
  noteLeftFiles(em, tenant, ticket, left);
  await em.flush();
  return message;
}

/**
 * A bounce: a note on the ticket whose email bounced (found through the returned
 * Message-ID, which must be one we signed), and its recipient held as undeliverable
 * for a day — the outbox keeps mail to it meanwhile. Never a contact, never an
 * answer. Returns the ticket's id.
 */
export async function noteBounce(em: Em, tenant: Tenant, bounce: Extract<MailClass, { kind: 'bounce' }>): Promise<number | null> {
  // Only a bounce of a message we sent, from this workspace, counts: anyone can write a
  // "bounce" naming any address, and holding mail to it would silence that person.
  const read = readMessageId(bounce.originalMessageId);
  if (read.kind !== 'ours' || read.tenantId !== tenant.id) return null;
  const original = await em.findOne(OutboundEmail, { messageId: bounce.originalMessageId! });
  if (!original) return null;
  if (bounce.recipient && bounce.recipient !== original.toAddress.toLowerCase()) return null;
  const recipient = original.toAddress;
  await em.execute(
    `insert into undeliverable_addresses (tenant_id, address, until, reason) values (?, ?, now() + interval '24 hours', ?)
     on conflict (tenant_id, lower(address)) do update set until = excluded.until, reason = excluded.reason`,
    [tenant.id, recipient.slice(0, 254), `bounced: ${original.subject}`.slice(0, 500)]);
  if (!original.ticketId) return null;
  const ticket = await em.findOne(Ticket, { id: original.ticketId });
  if (!ticket) return null;
  systemNote(em, tenant, ticket, workspaceSpeaker(tenant).t('inbound.notes.bounced', { subject: original.subject, recipient }));
  await em.flush();
  return ticket.id;
}
