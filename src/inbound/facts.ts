// Everything the pipeline needs to know about a message besides the message itself,
// read in one round trip at the start of its unit of work: its log row (taken
// before?), the flood count, the workspace's own addresses, its
// settings and language, who the sender is (a contact, a technician), the
// tickets the message names (by an email of the thread, by [#number]), and the
// notifications that are on (read for their subscriber, which then need not ask). The steps
// then decide without asking the database again; only the ticket they add to is
// read once more, under its lock.
import type { TenantWork } from '../db/unit-of-work.js';
import type { Language } from '../i18n/languages.js';
import type { Outcome } from '../domain/mailbox/inbound-message.js';
import type { Edition } from '../domain/tenant/terms.js';
import { ENABLED_SETTINGS_JSON, knowEnabledSettings, NOTIFICATION_CONTEXT, type EnabledRow, type ReadRow } from '../domain/notification/subscriber.js';
import { readMessageId } from '../outbound/message-ids.js';
import type { IngestSettings } from './ingest.js';
import type { MailHead } from './parse.js';

/** The workspace as ingest speaks for it (notes and titles in its language). */
export interface WorkspaceFacts { id: number; language: Language; edition: Edition; timeZone: string }

/** The sender as a contact of the workspace. */
export interface SenderContact { id: number; customerId: number; email: string; firstName: string; lastName: string; isMain: boolean; noAutoTickets: boolean }

export interface Facts extends IngestSettings {
  existingId: number | null;
  existingOutcome: Outcome | null;
  existingTicket: number | null;
  recent: number;
  own: string[];
  workspace: WorkspaceFacts;
  contact: SenderContact | null;
  /** The sender as an active technician of the workspace, or null. */
  technician: { id: number; name: string } | null;
  /** The tickets the message names, best first (see referencedIds). */
  candidates: number[];
  /** Read when the message names no ticket, comes from a contact and was never taken (a new ticket, most likely): what its notifications need before it is written. */
  opening: OpeningFacts | null;
}

/** What a new ticket's notifications need besides the ticket (tickets.ts renders them before writing it). */
export interface OpeningFacts {
  /** The workspace's next ticket number as read (its row not locked: the ticket's statement takes it only if it is still this). */
  nextNumber: number;
  settings: EnabledRow[];
  context: ReadRow;
  /** The workspace's first enabled support address (where answers go when the message came to none). */
  firstSupportAddress: string | null;
  /** The sender's contact's language and customer's name. */
  contactLanguage: Language | null;
  customerName: string;
}

/**
 * The tickets a message names, as the database is asked for them, best first: our
 * signed Message-IDs in In-Reply-To and References (the latest first), then foreign
 * ids that may be emails already on a ticket, then [#n] in the subject — a subject
 * is easy to write, a signed id is not.
 */
export function referencedIds(tenantId: number, mail: MailHead): { signed: number[]; known: string[]; numbers: number[] } {
  const signed: number[] = [];
  const known: string[] = [];
  for (const id of [...mail.inReplyTo, ...mail.references.slice().reverse()]) {
    const read = readMessageId(id);
    if (read.kind === 'ours' && read.tenantId === tenantId && read.ticketId) signed.push(read.ticketId);
    else if (read.kind === 'foreign') known.push(id);
  }
  const numbers = [...mail.subject.matchAll(/\[#(\d{1,9})\]/g)].map((m) => Number(m[1])).slice(0, 5);
  return { signed, known: known.slice(0, 20), numbers };
}

/**
 * The statement, for a mailbox or for none ($2 null): each compares the mailbox in a way
 * its index (inbound_messages_flood) serves; `is not distinct from` would read every
 * row of the workspace's log, once per message.
 */
const factsFor = (mailbox: 'r.mailbox_id = $2' | 'r.mailbox_id is null and $2::int is null', opening: boolean) => `
  select m.id as existing_id, m.outcome as existing_outcome, m.ticket_id as existing_ticket,
    (select count(*)::int from inbound_messages r where r.tenant_id = $1 and ${mailbox} and lower(r.from_address) = $4
       and r.created_at > now() - make_interval(mins => $5) and r.id is distinct from m.id) as recent,
    (select coalesce(array_agg(lower(b.address)), '{}') from mailboxes b where b.tenant_id = $1) as own,
    s.auto_create_contacts, s.tickets_from_automated_mail, s.reopen_closed_on_reply,
    w.language, w.edition, w.time_zone,
    c.id as contact_id, c.customer_id, c.email as contact_email, c.first_name, c.last_name, c.is_main, c.no_auto_tickets,
    h.id as technician_id, h.name as technician_name,
    (select coalesce(array_agg(x.ticket_id order by x.ord), '{}') from (
       select k.ord, coalesce(
         (select tm.ticket_id from ticket_messages tm where tm.tenant_id = $1 and tm.email_message_id = k.id limit 1),
         (select t.id from tickets t where t.tenant_id = $1 and t.email_message_id = k.id limit 1),
         (select o.ticket_id from outbound_emails o where o.tenant_id = $1 and o.message_id = k.id and o.ticket_id is not null limit 1)) as ticket_id
       from unnest($6::text[]) with ordinality k(id, ord)) x where x.ticket_id is not null) as by_email,
    (select coalesce(array_agg(t.id order by n.ord), '{}') from unnest($7::int[]) with ordinality n(number, ord)
       join tickets t on t.tenant_id = $1 and t.number = n.number) as by_subject,
    ${ENABLED_SETTINGS_JSON} as notifications${opening ? `,
    w.next_ticket_number, c.language as contact_language, cc.name as customer_name,
    case when c.id is not null and m.id is null then ${NOTIFICATION_CONTEXT} end as notification_context,
    (select b.address from mailboxes b where b.tenant_id = $1 and b.enabled order by b.id limit 1) as first_support_address` : ''}
  from email_settings s
  join tenants w on w.id = s.tenant_id
  left join inbound_messages m on m.tenant_id = s.tenant_id and m.message_key = $3
  left join contacts c on c.tenant_id = s.tenant_id and c.email = $4
  left join technicians h on h.tenant_id = s.tenant_id and h.email_key = $4 and h.active${opening ? `
  left join customers cc on cc.tenant_id = s.tenant_id and cc.id = c.customer_id` : ''}
  where s.tenant_id = $1`;
const FACTS = {
  mailbox: { reply: factsFor('r.mailbox_id = $2', false), opening: factsFor('r.mailbox_id = $2', true) },
  none: { reply: factsFor('r.mailbox_id is null and $2::int is null', false), opening: factsFor('r.mailbox_id is null and $2::int is null', true) },
};

interface FactsRow {
  existing_id: number | null; existing_outcome: Outcome | null; existing_ticket: number | null; recent: number; own: string[];
  auto_create_contacts: boolean; tickets_from_automated_mail: boolean; reopen_closed_on_reply: boolean;
  language: Language; edition: Edition; time_zone: string;
  contact_id: number | null; customer_id: number; contact_email: string; first_name: string; last_name: string; is_main: boolean; no_auto_tickets: boolean;
  technician_id: number | null; technician_name: string; by_email: number[]; by_subject: number[];
  notifications: Parameters<typeof knowEnabledSettings>[1];
  next_ticket_number?: number; contact_language?: Language | null; customer_name?: string | null; notification_context?: ReadRow; first_support_address?: string | null;
}

/** The contacts made from the mailbox's mail in the last hour (read only when a sender is new). */
export async function newContactsLastHour(work: TenantWork, mailboxId: number | null): Promise<number> {
  const row = await work.sql.one<{ n: number }>(`select count(*)::int as n from inbound_messages r
    where r.tenant_id = $1 and ${mailboxId === null ? 'r.mailbox_id is null and $2::int is null' : 'r.mailbox_id = $2'}
      and r.created_at > now() - interval '1 hour' and r.reason like '%new_contact'`, [work.tenantId, mailboxId]);
  return row?.n ?? 0;
}

export async function readFacts(work: TenantWork, mail: MailHead, mailboxId: number | null, floodWindowMinutes: number): Promise<Facts> {
  const { signed, known, numbers } = referencedIds(work.tenantId, mail);
  // A message that names no ticket will most likely open one: its notifications' needs are read now (a reply's are read by their subscriber).
  const opening = !signed.length && !known.length && !numbers.length;
  const texts = mailboxId === null ? FACTS.none : FACTS.mailbox;
  const row = await work.sql.one<FactsRow>(opening ? texts.opening : texts.reply, [work.tenantId, mailboxId, mail.key, mail.from?.address ?? '', floodWindowMinutes, known, numbers]);
  if (!row) throw new Error('The workspace has no email settings row');
  // The notifications the message's ticket events would send, for their subscriber: one round trip less.
  knowEnabledSettings(work, row.notifications);
  return {
    existingId: row.existing_id, existingOutcome: row.existing_outcome, existingTicket: row.existing_ticket,
    recent: row.recent, own: row.own,
    autoCreateContacts: row.auto_create_contacts, ticketsFromAutomatedMail: row.tickets_from_automated_mail, reopenClosedOnReply: row.reopen_closed_on_reply,
    workspace: { id: work.tenantId, language: row.language, edition: row.edition, timeZone: row.time_zone },
    contact: row.contact_id === null ? null : {
      id: row.contact_id, customerId: row.customer_id, email: row.contact_email, firstName: row.first_name, lastName: row.last_name, isMain: row.is_main, noAutoTickets: row.no_auto_tickets,
    },
    technician: row.technician_id === null ? null : { id: row.technician_id, name: row.technician_name },
    candidates: [...new Set([...signed, ...row.by_email, ...row.by_subject])],
    opening: opening && row.notifications && row.notification_context && row.contact_id !== null ? {
      nextNumber: row.next_ticket_number!, settings: row.notifications, context: row.notification_context, firstSupportAddress: row.first_support_address ?? null,
      contactLanguage: row.contact_language ?? null, customerName: row.customer_name ?? '',
    } : null,
  };
}
