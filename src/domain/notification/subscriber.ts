// The notifications, as a subscriber of the ticket events: in the transaction that raised
// them (like the rules' queue, rule/subscriber.ts), each event a notification is on for
// queues its emails in the outbox, so they go only if the change commits. Any verb that
// raises the events notifies — a reply, a reply that also sets the status, a bulk change,
// the mail ingest, a rule's own actions.
//   - Never for automatic mail: an event the ingest classified as automatic (an
//     auto-reply, an alert — inbound/classify.ts) notifies nobody, and a ticket opened by
//     automatic mail never emails its requester.
//   - Never to the person who caused it: the event's origin is left out (a technician is
//     not told of their own assignment or note; a requester who resolves their own ticket
//     is not told it is resolved). The one exception is *Ticket received*: it acknowledges
//     the requester's own request, so it goes to them when they opened it.
//   - Never twice for one event: notification_sends holds (kind, event key, recipient)
//     once; the key is the ticket for a new ticket, the message for a reply or a note, the
//     history row for an assignment or a resolution.
// What the unit's events need is read in one statement of plain SQL (READ: the tickets with
// their people, the active technicians with their own choices, the templates, the messages),
// the emails are rendered in memory (renderLoaded: the recipient's language while a template
// is shipped, credential markers for the requester only), and one more statement (QUEUE)
// claims each send in notification_sends and writes to the outbox only the emails whose
// claim it took; the outbox job is woken for them after commit. No entity is loaded.
// *Technician replied* is not sent here: it is the reply email itself (reply.ts), queued
// by the reply with the credentials its requester is to receive. A reply that resolves the
// ticket says so itself, and claims *Ticket resolved* for that resolution: one email.
// A rule that sends an email is another feature: a rule and a notification may both
// email the same event; a notification never sends twice.
import type { RaisedEvent } from '../../current.js';
import type { CommitSubscriber, TenantWork } from '../../db/unit-of-work.js';
import type { Em } from '../../db/orm.js';
import type { Language } from '../../i18n/languages.js';
import { credentialMarkersIn, masked } from '../../outbound/credentials.js';
import type { CredentialTarget } from '../../outbound/outbound-email.js';
import { dispatchAfterCommit } from '../../outbound/outbox.js';
import { fullName, type Contact } from '../contact/contact.js';
import type { EmailTemplate } from '../email/email-template.js';
import { renderLoaded } from '../email/send.js';
import type { Technician } from '../technician/technician.js';
import type { Tenant } from '../tenant/tenant.js';
import type { Edition } from '../tenant/terms.js';
import { isTicketEvent, type TicketDomainEvent } from '../ticket/events.js';
import type { Ticket, TicketPriority, TicketStatus } from '../ticket/ticket.js';
import { MAIL_KIND, NOTIFICATION_KINDS, type NotificationKind } from './kinds.js';
import { mentionedIn } from './mentions.js';
import { lastHistoryId, resolutionKey } from './sends.js';
import { notificationSettings, type NotificationSetting } from './settings.js';

/** A person a notification names or goes to: a technician (the entity fits too). */
interface Person { id: number; name: string; email: string; language?: Language | null }
/** An active technician, with the technician notifications they turned off (/profile/notifications). */
type NotifiedTechnician = Person & { optedOut?: readonly string[] };

/** The ticket as the notifications read it (READ), its contact and customer with it. */
export interface NotifiedTicket {
  id: number; number: number; title: string; description: string | null; status: TicketStatus; priority: TicketPriority; automatic: boolean;
  /** Where answers go: the address the ticket came to, else the workspace's first enabled support address (as reply.ts supportAddressOf). */
  supportAddress: string | null;
  customer: { name: string };
  contact: { id: number; email: string; firstName: string; lastName: string; language: Language | null; customer: { name: string } };
  assignee: Person | null;
}

type Recipient = { kind: 'requester' } | { kind: 'technician'; technician: NotifiedTechnician };
interface Send {
  notification: NotificationKind;
  key: string;
  to: Recipient[];
  author?: Person | null;
  /** What a technician's notification quotes ({[Message Text]}): the ticket's description, the requester's reply, the note. */
  quote?: string;
}

/** The longest quote a technician's notification carries; the message is on the ticket page. */
export const QUOTE_MAX = 1500;

/** A message as a notification quotes it: plain text, trimmed, blank runs shortened, at most QUOTE_MAX characters. */
export function quoteOf(body: string): string {
  const text = body.replace(/\r\n?/g, '\n').replace(/[ \t]+\n/g, '\n').replace(/\n{3,}/g, '\n\n').trim();
  return text.length <= QUOTE_MAX ? text : `${text.slice(0, QUOTE_MAX - 1).trimEnd()}…`;
}

const WATCHED = new Set(['ticket.created', 'ticket.assignment_changed', 'ticket.resolved', 'ticket.contact_responded', 'ticket.technician_responded']);

/** The workspace as snippets name it. */
interface TenantFacts { id: number; slug: string; name: string; language: Language; edition: Edition }
interface TemplateFacts { id: number; subject: string; body: string; shipped: string | null }
interface MessageFacts { id: number; body: string; authorTechnician: { id: number } | null }

/** What the unit's watched events need, read in one statement (READ). */
interface Context {
  readonly em: Em;
  tenant: TenantFacts;
  settings: Map<NotificationKind, NotificationSetting>;
  technicians: NotifiedTechnician[];
  templates: Map<number, TemplateFacts>;
  messages: Map<number, MessageFacts>;
  tickets: Map<number, NotifiedTicket>;
}

const byOthers = (event: TicketDomainEvent, people: NotifiedTechnician[]) =>
  people.filter((t) => !(event.origin.kind === 'technician' && event.origin.id === t.id));
const asRecipients = (people: NotifiedTechnician[]): Recipient[] => people.map((technician) => ({ kind: 'technician', technician }));

/** What `event` would send, before the technicians' own choices and the sends already made. */
async function sendsFor(ctx: Context, event: TicketDomainEvent, ticket: NotifiedTicket): Promise<Send[]> {
  const on = (kind: NotificationKind) => ctx.settings.get(kind);
  const requesterCaused = event.origin.kind === 'contact' && event.origin.id === ticket.contact.id;
  const sends: Send[] = [];
  switch (event.type) {
    case 'ticket.created': {
      if (event.automatic || ticket.automatic) return [];
      const key = `ticket:${ticket.id}`;
      if (on('ticket_received')) sends.push({ notification: 'ticket_received', key, to: [{ kind: 'requester' }] });
      const newTicket = on('new_ticket');
      if (newTicket && !(newTicket.recipients === 'unassigned' && ticket.assignee)) {
        sends.push({ notification: 'new_ticket', key, to: asRecipients(byOthers(event, ctx.technicians)), quote: quoteOf(ticket.description ?? '') });
      }
      return sends;
    }
    case 'ticket.assignment_changed': {
      if (!on('ticket_assigned') || event.to === null) return [];
      const assignee = ctx.technicians.find((t) => t.id === event.to);
      if (!assignee) return [];
      return [{ notification: 'ticket_assigned', key: `assigned:${ticket.id}:${await lastHistoryId(ctx.em, ticket.id, 'assignee')}`, to: asRecipients(byOthers(event, [assignee])) }];
    }
    case 'ticket.resolved': {
      if (!on('ticket_resolved') || ticket.automatic || requesterCaused) return [];
      // A reply that resolved the ticket (Send and set to Resolved) claimed this key already: its email said so.
      return [{ notification: 'ticket_resolved', key: await resolutionKey(ctx.em, ticket.id), to: [{ kind: 'requester' }] }];
    }
    case 'ticket.contact_responded': {
      const setting = on('requester_replied');
      if (!setting || event.automatic) return [];
      const everyone = ctx.technicians;
      const assignee = ticket.assignee && everyone.find((t) => t.id === ticket.assignee!.id);
      const to = setting.recipients === 'assignee_else_all' && assignee ? [assignee] : everyone;
      const message = ctx.messages.get(event.messageId);
      return [{ notification: 'requester_replied', key: `message:${event.messageId}`, to: asRecipients(to), quote: quoteOf(message?.body ?? '') }];
    }
    case 'ticket.technician_responded': {
      // A public reply is emailed by the reply itself (reply.ts): *Technician replied* is that email.
      if (event.automatic || !event.internal || !on('note_mention')) return [];
      const message = ctx.messages.get(event.messageId);
      if (!message) return [];
      const mentioned = mentionedIn(message.body, ctx.technicians);
      const people = ctx.technicians.filter((t) => mentioned.some((m) => m.id === t.id) && t.id !== message.authorTechnician?.id);
      return [{ notification: 'note_mention', key: `message:${message.id}`, to: asRecipients(byOthers(event, people)), quote: quoteOf(message.body) }];
    }
    default:
      return [];
  }
}

/** An outbox row the notifications write (QUEUE), once its (kind, event key, recipient) is claimed. */
export interface Queued {
  n: number; kind: NotificationKind; event_key: string; recipient: string;
  to_address: string; to_name: string | null; subject: string; text_body: string; html_body: string;
  credential_target: CredentialTarget | null; reply_to: string | null; ticket_id: number; contact_id: number | null;
}

/** The snippets' view of the ticket, its contact and the workspace, as READ read them (renderLoaded's entities). */
const asContact = (ticket: NotifiedTicket) => {
  const { contact } = ticket;
  return { ...contact, fullName: fullName(contact) } as unknown as Contact;
};

/** The emails of `send`: rendered in memory, a row each for QUEUE (never twice, never to a technician who turned it off). */
function deliver(ctx: Context, send: Send, ticket: NotifiedTicket, out: Queued[]): void {
  const setting = ctx.settings.get(send.notification)!;
  const template = ctx.templates.get(setting.templateId!);
  if (!template) return;
  const tenant = ctx.tenant as unknown as Tenant;
  const contact = asContact(ticket);
  const asTicket = ticket as unknown as Ticket;
  const row = (recipient: string) => ({ n: out.length, kind: send.notification, event_key: send.key.slice(0, 100), recipient: recipient.toLowerCase().slice(0, 320) });
  for (const recipient of send.to) {
    if (recipient.kind === 'requester') {
      if (!contact.email) continue;
      const { subject, text, html } = renderLoaded(tenant, template as Pick<EmailTemplate, 'subject' | 'body' | 'shipped'>, {
        contact, ticket: asTicket, technician: (send.author ?? ticket.assignee ?? null) as Technician | null,
      });
      const credentials = credentialMarkersIn(text).length > 0;
      out.push({
        ...row(contact.email), to_address: contact.email, to_name: contact.fullName.slice(0, 200), subject: subject.slice(0, 500), text_body: text, html_body: html,
        credential_target: credentials ? { contactId: contact.id, purpose: 'invite' } : null, reply_to: ticket.supportAddress, ticket_id: ticket.id, contact_id: contact.id,
      });
    } else {
      const { technician } = recipient;
      if (technician.optedOut?.includes(send.notification)) continue;
      const { subject, text, html } = renderLoaded(tenant, template as Pick<EmailTemplate, 'subject' | 'body' | 'shipped'>, {
        contact, ticket: asTicket, technician: technician as Technician, language: technician.language ?? ctx.tenant.language, message: send.quote,
      });
      // Never a contact's credentials in a technician's mailbox.
      out.push({
        ...row(technician.email), to_address: technician.email, to_name: technician.name.slice(0, 200),
        subject: masked(subject).slice(0, 500), text_body: masked(text), html_body: masked(html), credential_target: null, reply_to: null, ticket_id: ticket.id, contact_id: null,
      });
    }
  }
}

/**
 * Everything the unit's events may need, in one statement ($1 the workspace, $2 the tickets,
 * $3 the messages, $4 whether the technicians are needed): the notifications on (as
 * ENABLED_SETTINGS_JSON), the workspace, each ticket with its contact, customers, assignee
 * and the support address its answers go to, the active technicians with the notifications
 * each turned off, the templates of the notifications on, and the messages' bodies.
 */
const READ = (settings: string, tickets = 'tickets t', which = 't.id = any($2::int[])', messages = '$3::int[]', technicians = '$4') => `select ${settings} as settings,
  (select json_build_object('id', w.id, 'slug', w.slug, 'name', w.name, 'language', w.language, 'edition', w.edition) from tenants w where w.id = $1) as tenant,
  (select coalesce(json_agg(json_build_object(
      'id', t.id, 'number', t.number, 'title', t.title, 'description', t.description, 'status', t.status, 'priority', t.priority, 'automatic', t.automatic,
      'supportAddress', coalesce(t.support_address, (select b.address from mailboxes b where b.tenant_id = $1 and b.enabled order by b.id limit 1)),
      'customer', json_build_object('name', cu.name),
      'contact', json_build_object('id', c.id, 'email', c.email, 'firstName', c.first_name, 'lastName', c.last_name, 'language', c.language, 'customer', json_build_object('name', cc.name)),
      'assignee', case when a.id is not null then json_build_object('id', a.id, 'name', a.name, 'email', a.email, 'language', a.language) end)), '[]')
     from ${tickets}
     join customers cu on cu.tenant_id = t.tenant_id and cu.id = t.customer_id
     join contacts c on c.tenant_id = t.tenant_id and c.id = t.contact_id
     join customers cc on cc.tenant_id = c.tenant_id and cc.id = c.customer_id
     left join technicians a on a.tenant_id = t.tenant_id and a.id = t.assignee_id
    where t.tenant_id = $1 and ${which}) as tickets,
  case when ${technicians} then (select coalesce(json_agg(json_build_object('id', x.id, 'name', x.name, 'email', x.email, 'language', x.language,
      'optedOut', (select coalesce(json_agg(o.kind), '[]') from technician_notification_choices o where o.tenant_id = $1 and o.technician_id = x.id)) order by x.id), '[]')
     from technicians x where x.tenant_id = $1 and x.active) end as technicians,
  (select coalesce(json_agg(json_build_object('id', e.id, 'subject', e.subject, 'body', e.body, 'shipped', e.shipped)), '[]')
     from email_templates e where e.tenant_id = $1 and e.id in (select ns.template_id from notification_settings ns where ns.tenant_id = $1 and ns.enabled)) as templates,
  (select coalesce(json_agg(json_build_object('id', m.id, 'body', m.body, 'authorTechnician', case when m.author_technician_id is not null then json_build_object('id', m.author_technician_id) end)), '[]')
     from ticket_messages m where m.tenant_id = $1 and m.id = any(${messages})) as messages`;

/**
 * READ as a value (json) of another statement, $1 the workspace, for the ticket that
 * statement writes: `written` names its part returning the ticket's row (tenant_id, id,
 * number, title, description, status, priority, automatic, support_address, customer_id,
 * contact_id, assignee_id). The mail ingest asks it in the statement that opens a ticket
 * (inbound/tickets.ts) and hands it over with knowNotificationFacts: no READ of its own.
 */
export const notificationFactsOf = (written: string): string =>
  `(select row_to_json(nf) from (${READ(ENABLED_SETTINGS_JSON, `${written} t`, 'true', "'{}'::int[]", 'true')}) nf)`;

/** The columns a ticket's part returns for notificationFactsOf. */
export const NOTIFIED_TICKET_COLUMNS = 'tenant_id, id, number, title, description, status, priority, automatic, support_address, customer_id, contact_id, assignee_id';

/** What notificationFactsOf read in `work`'s statement: the unit's notifications read nothing more for that ticket. */
const handedOver = new WeakMap<TenantWork, ReadRow>();

/** Whether a statement of `work` should ask notificationFactsOf: some notification is on (as read ahead). */
export const notificationsOnAhead = (work: TenantWork): boolean => (readAhead.get(work)?.length ?? 0) > 0;

export function knowNotificationFacts(work: TenantWork, facts: unknown): void {
  if (facts) handedOver.set(work, facts as ReadRow);
}

export interface ReadRow {
  settings: EnabledRow[] | null; tenant: TenantFacts; tickets: NotifiedTicket[]; technicians: NotifiedTechnician[] | null;
  templates: TemplateFacts[]; messages: MessageFacts[];
}

/**
 * The claims and the emails in one statement ($1 the workspace, $2 the rows, $3 the outbox
 * kind): notification_sends takes each (kind, event key, recipient) once, and only a row
 * whose claim it took now becomes an email, queued with Auto-Submitted, in order.
 */
/**
 * The parts (CTEs) that claim each wanted send and queue each claimed one as an email, in
 * order: `wanted` a CTE of Queued's columns, `from` what the rows are read from (`w` the
 * wanted one), `key` and `ticket` their event key and ticket as SQL over it, `kind` the
 * outbox kind as SQL; `$1` the workspace. Only a claimed send is queued (one event never
 * notifies one person twice); the part `queued` returns the emails' ids.
 */
function claimAndQueueParts(wanted: string, from: string, key: string, ticket: string, kind: string): string[] {
  return [
    `wanted as (select * from jsonb_to_recordset(${wanted}::jsonb) as x(n int, kind text, event_key text, recipient text, to_address text, to_name text, subject text,
      text_body text, html_body text, credential_target jsonb, reply_to text, ticket_id int, contact_id int))`,
    `claimed as (insert into notification_sends (tenant_id, kind, event_key, recipient)
      select $1, w.kind, ${key}, w.recipient from ${from} order by w.n
      on conflict do nothing
      returning kind, event_key, recipient)`,
    `queued as (insert into outbound_emails (tenant_id, kind, to_address, to_name, subject, text_body, html_body, credential_target, reply_to, in_reply_to,
                               auto_submitted, ticket_id, contact_id, status, attempts, next_attempt_at, created_at)
      select $1, ${kind}, w.to_address, w.to_name, w.subject, w.text_body, w.html_body, w.credential_target, w.reply_to, null,
             true, ${ticket}, w.contact_id, 'queued', 0, clock_timestamp(), clock_timestamp()
        from ${from} join claimed c on c.kind = w.kind and c.event_key = ${key} and c.recipient = w.recipient
       order by w.n
      returning id)`,
  ];
}

/** The emails of a unit's events ($2 the Queued rows, $3 the outbox kind): claimed, then queued. */
const QUEUE = `with ${claimAndQueueParts('$2', 'wanted w', 'w.event_key', 'w.ticket_id', '$3').join(',\n  ')}
  select id from queued`;

export type EnabledRow = { kind: NotificationKind; template_id: number | null; recipients: string };

/**
 * The notifications on, as a jsonb array of {kind, template_id, recipients}, for a statement
 * of the unit that reads it ahead ($1 the workspace): the mail ingest, whose first statement
 * reads the message's facts (inbound/facts.ts), then hands it over with knowEnabledSettings.
 * Null while the workspace's rows are not all made yet (an older workspace before its first
 * event): then notificationSettings makes them, on, as it does for every other unit.
 */
export const ENABLED_SETTINGS_JSON = `(select case when count(*) < ${NOTIFICATION_KINDS.length} or bool_or(ns.template_id is null) then null
    else coalesce(jsonb_agg(jsonb_build_object('kind', ns.kind, 'template_id', ns.template_id, 'recipients', ns.recipients)) filter (where ns.enabled), '[]') end
  from notification_settings ns where ns.tenant_id = $1)`;

/** The settings read ahead in `work` (ENABLED_SETTINGS_JSON): none on, the unit's notifications ask nothing (READ reads them again with the rest). */
const readAhead = new WeakMap<TenantWork, EnabledRow[]>();

export function knowEnabledSettings(work: TenantWork, rows: EnabledRow[] | null): void {
  if (rows) readAhead.set(work, rows);
}

const asSettings = (rows: EnabledRow[]): Map<NotificationKind, NotificationSetting> =>
  new Map(rows.map((r) => [r.kind, { kind: r.kind, enabled: true, templateId: r.template_id, recipients: r.recipients as NotificationSetting['recipients'] }]));

/** READ for `events`; the settings made first when the workspace's rows are not all made yet (then all on, templates shipped). */
async function readFor(work: TenantWork, events: TicketDomainEvent[]): Promise<Context | null> {
  const params = [work.tenantId, intArray(events.map((e) => e.ticketId)), intArray(events.flatMap((e) => 'messageId' in e ? [e.messageId] : [])),
    events.some((e) => e.type !== 'ticket.resolved')];
  // Read by the statement that opened the unit's ticket, when its opening is all there is to tell (the ticket as that statement left it).
  const ahead = handedOver.get(work);
  const covered = ahead?.settings && events.every((e) => e.type === 'ticket.created' && ahead.tickets.some((t) => t.id === e.ticketId));
  let row = covered ? ahead : await work.sql.one<ReadRow>(READ_WITH_SETTINGS, params);
  if (!row) return null;
  if (!row.settings) {
    await notificationSettings(work.em, row.tenant);
    row = (await work.sql.one<ReadRow>(READ_WITH_SETTINGS, params))!;
  }
  const settings = asSettings(row.settings ?? []);
  if (!settings.size) return null;
  return {
    get em() { return work.em; },
    tenant: row.tenant, settings, technicians: row.technicians ?? [],
    templates: new Map(row.templates.map((t) => [t.id, t])),
    messages: new Map(row.messages.map((m) => [m.id, m])),
    tickets: new Map(row.tickets.map((t) => [t.id, t])),
  };
}

const READ_WITH_SETTINGS = READ(ENABLED_SETTINGS_JSON);

/** An int[] parameter as PostgreSQL's text for it. */
const intArray = (ids: readonly number[]): string => `{${[...new Set(ids.map((id) => Math.trunc(id)))].join(',')}}`;

/**
 * READ less its tickets and settings, as a value (json) of another statement ($1 the
 * workspace): what the notifications of a ticket not yet written need besides it. The mail
 * ingest asks it with a message's facts when the message looks like a new ticket's
 * (inbound/facts.ts), renders the emails before it writes the ticket, and queues them in
 * that statement (openingQueueParts), which then takes the commit with it.
 */
export const NOTIFICATION_CONTEXT = `(select row_to_json(nf) from (${READ('null', 'tickets t', 'false', "'{}'::int[]", 'true')}) nf)`;

/** The events whose notifications their own statement queued (openingQueueParts): nothing left to send for them. */
const notifiedByTheirStatement = new WeakSet<RaisedEvent>();

export function notifiedWithItsChange(event: RaisedEvent): void {
  notifiedByTheirStatement.add(event);
}

const watches = (event: RaisedEvent): boolean => isTicketEvent(event) && WATCHED.has(event.type) && !notifiedByTheirStatement.has(event);

/** The claims of `rows`, deduplicated as beforeCommit does. */
function onceEach(rows: Queued[]): Queued[] {
  // One event never notifies one person twice: a (kind, key, recipient) claimed once in this unit too.
  const seen = new Set<string>();
  return rows.filter((r) => {
    const claim = `${r.kind}\n${r.event_key}\n${r.recipient}`;
    if (seen.has(claim)) return false;
    seen.add(claim);
    return true;
  });
}

/**
 * The emails `event` (a ticket.created, of `ticket` as its statement will write it: its id
 * unknown yet, its number the one the statement is to take) sends, rendered as beforeCommit
 * renders them, from `settings` (ENABLED_SETTINGS_JSON) and `context` (NOTIFICATION_CONTEXT),
 * both read in the unit. The rows' event key and ticket are the statement's to fill in.
 */
export async function notificationsOfOpening(settingsRows: EnabledRow[], context: ReadRow, ticket: NotifiedTicket, event: Extract<TicketDomainEvent, { type: 'ticket.created' }>): Promise<Queued[]> {
  const settings = asSettings(settingsRows);
  if (!settings.size) return [];
  const ctx: Context = {
    get em(): Em { throw new Error('A new ticket\'s notifications read nothing more'); },
    tenant: context.tenant, settings, technicians: context.technicians ?? [],
    templates: new Map(context.templates.map((t) => [t.id, t])), messages: new Map(), tickets: new Map([[ticket.id, ticket]]),
  };
  const rows: Queued[] = [];
  for (const send of await sendsFor(ctx, event, ticket)) deliver(ctx, send, ticket, rows);
  return onceEach(rows);
}

/**
 * QUEUE as parts (CTEs) of the statement whose first part `t` writes the ticket of `rows`
 * (notificationsOfOpening): each send claimed with the ticket's key, and only a claimed one
 * queued as an email, in order (claimAndQueueParts). `p` adds a parameter. The part `queued` returns the emails' ids.
 */
export function openingQueueParts(p: (value: unknown) => string, rows: Queued[]): string[] {
  return claimAndQueueParts(p(JSON.stringify(rows)), 'wanted w cross join t', "'ticket:' || t.id", 't.id', p(MAIL_KIND));
}

export const notificationSubscriber: CommitSubscriber = {
  name: 'notifications',
  settled: (event) => !watches(event),
  async beforeCommit(events: readonly RaisedEvent[], work: TenantWork) {
    const watched = events.filter(watches).filter(isTicketEvent);
    if (!watched.length) return;
    // Read ahead with the unit's first statement (the mail ingest): nothing on, nothing more to ask.
    const ahead = readAhead.get(work);
    if (ahead && !ahead.length) return;
    const ctx = await readFor(work, watched);
    if (!ctx) return;
    const rows: Queued[] = [];
    for (const event of watched) {
      const ticket = ctx.tickets.get(event.ticketId);
      if (!ticket) continue;
      for (const send of await sendsFor(ctx, event, ticket)) deliver(ctx, send, ticket, rows);
    }
    const once = onceEach(rows);
    if (!once.length) return;
    // The unit's last statement when this is the last subscriber (the mail ingest's): it takes the commit with it.
    const queued = await work.sql.last(work.sql.query<{ id: number }>(QUEUE, [work.tenantId, JSON.stringify(once), MAIL_KIND]));
    dispatchAfterCommit(work.tenantId, queued.map((q) => q.id));
  },
};
