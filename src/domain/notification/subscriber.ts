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
// *Technician replied* is not sent here: it is the reply email itself (reply.ts), queued
// by the reply with the credentials its requester is to receive. A reply that resolves the
// ticket says so itself, and claims *Ticket resolved* for that resolution: one email.
// A rule that sends an email is another feature: a rule and a notification may both
// email the same event; a notification never sends twice.
import type { RaisedEvent } from '../../current.js';
import type { CommitSubscriber, TenantWork } from '../../db/unit-of-work.js';
import type { Em } from '../../db/orm.js';
import { credentialMarkersIn, masked } from '../../outbound/credentials.js';
import { queueEmail } from '../../outbound/outbox.js';
import { EmailTemplate } from '../email/email-template.js';
import { renderTemplate } from '../email/send.js';
import { Technician } from '../technician/technician.js';
import { Tenant } from '../tenant/tenant.js';
import { isTicketEvent, type TicketDomainEvent } from '../ticket/events.js';
import { Ticket, TicketMessage } from '../ticket/ticket.js';
import { MAIL_KIND, NOTIFICATION_KINDS, type NotificationKind } from './kinds.js';
import { mentionedIn } from './mentions.js';
import { supportAddressOf } from './reply.js';
import { claimSend, lastHistoryId, resolutionKey } from './sends.js';
import { notificationSettings, optedOut, type NotificationSetting } from './settings.js';

type Recipient = { kind: 'requester' } | { kind: 'technician'; technician: Technician };
interface Send {
  notification: NotificationKind;
  key: string;
  to: Recipient[];
  author?: Technician | null;
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

interface Context {
  em: Em;
  tenant: Tenant;
  settings: Map<NotificationKind, NotificationSetting>;
  technicians?: Technician[];
}

async function activeTechnicians(ctx: Context): Promise<Technician[]> {
  ctx.technicians ??= await ctx.em.find(Technician, { active: true }, { orderBy: { id: 'asc' } });
  return ctx.technicians;
}

const byOthers = (event: TicketDomainEvent, people: Technician[]) =>
  people.filter((t) => !(event.origin.kind === 'technician' && event.origin.id === t.id));
const asRecipients = (people: Technician[]): Recipient[] => people.map((technician) => ({ kind: 'technician', technician }));

/** What `event` would send, before the technicians' own choices and the sends already made. */
async function sendsFor(ctx: Context, event: TicketDomainEvent, ticket: Ticket): Promise<Send[]> {
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
        sends.push({ notification: 'new_ticket', key, to: asRecipients(byOthers(event, await activeTechnicians(ctx))), quote: quoteOf(ticket.description ?? '') });
      }
      return sends;
    }
    case 'ticket.assignment_changed': {
      if (!on('ticket_assigned') || event.to === null) return [];
      const assignee = (await activeTechnicians(ctx)).find((t) => t.id === event.to);
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
      const everyone = await activeTechnicians(ctx);
      const assignee = ticket.assignee && everyone.find((t) => t.id === ticket.assignee!.id);
      const to = setting.recipients === 'assignee_else_all' && assignee ? [assignee] : everyone;
      const message = await ctx.em.findOne(TicketMessage, { id: event.messageId }, { fields: ['body'] });
      return [{ notification: 'requester_replied', key: `message:${event.messageId}`, to: asRecipients(to), quote: quoteOf(message?.body ?? '') }];
    }
    case 'ticket.technician_responded': {
      // A public reply is emailed by the reply itself (reply.ts): *Technician replied* is that email.
      if (event.automatic || !event.internal || !on('note_mention')) return [];
      const message = await ctx.em.findOne(TicketMessage, { id: event.messageId }, { populate: ['authorTechnician'] });
      if (!message) return [];
      const mentioned = mentionedIn(message.body, await activeTechnicians(ctx));
      const people = (await activeTechnicians(ctx)).filter((t) => mentioned.some((m) => m.id === t.id) && t.id !== message.authorTechnician?.id);
      return [{ notification: 'note_mention', key: `message:${message.id}`, to: asRecipients(byOthers(event, people)), quote: quoteOf(message.body) }];
    }
    default:
      return [];
  }
}

async function deliver(ctx: Context, send: Send, ticket: Ticket): Promise<void> {
  const { em, tenant } = ctx;
  const setting = ctx.settings.get(send.notification)!;
  const template = await em.findOne(EmailTemplate, { id: setting.templateId! });
  if (!template) return;
  for (const recipient of send.to) {
    if (recipient.kind === 'requester') {
      const contact = ticket.contact;
      if (!contact.email || !await claimSend(em, tenant.id, send.notification, send.key, contact.email)) continue;
      const { subject, text, html } = await renderTemplate(em, tenant, template, { contact, ticket, technician: send.author ?? ticket.assignee ?? null });
      const credentials = credentialMarkersIn(text).length > 0;
      queueEmail(em, tenant, {
        kind: MAIL_KIND, to: { address: contact.email, name: contact.fullName }, subject, text, html, autoSubmitted: true,
        ticketId: ticket.id, contactId: contact.id, replyTo: await supportAddressOf(em, ticket),
        credentialTarget: credentials ? { contactId: contact.id, purpose: 'invite' } : null,
      });
    } else {
      const { technician } = recipient;
      if ((await optedOut(em, technician.id)).has(send.notification)) continue;
      if (!await claimSend(em, tenant.id, send.notification, send.key, technician.email)) continue;
      const { subject, text, html } = await renderTemplate(em, tenant, template, { contact: ticket.contact, ticket, technician, language: technician.language ?? tenant.language, message: send.quote });
      // Never a contact's credentials in a technician's mailbox.
      queueEmail(em, tenant, {
        kind: MAIL_KIND, to: { address: technician.email, name: technician.name },
        subject: masked(subject), text: masked(text), html: masked(html), autoSubmitted: true, ticketId: ticket.id,
      });
    }
  }
}

type EnabledRow = { kind: NotificationKind; template_id: number | null; recipients: string };

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

/** The settings read ahead in `work` (ENABLED_SETTINGS_JSON), used by this unit's notifications instead of reading them again. */
const readAhead = new WeakMap<TenantWork, EnabledRow[]>();

export function knowEnabledSettings(work: TenantWork, rows: EnabledRow[] | null): void {
  if (rows) readAhead.set(work, rows);
}

/** The notifications on, with a template (a workspace's rows made now if it has none yet: all on). */
async function enabledSettings(work: TenantWork, tenant: () => Promise<Tenant>): Promise<Map<NotificationKind, NotificationSetting>> {
  const ahead = readAhead.get(work);
  if (ahead) {
    return new Map(ahead.map((r) => [r.kind, { kind: r.kind, enabled: true, templateId: r.template_id, recipients: r.recipients as NotificationSetting['recipients'] }]));
  }
  const on = (await notificationSettings(work.em, await tenant())).filter((s) => s.enabled && s.templateId !== null);
  return new Map(on.map((s) => [s.kind, s]));
}

export const notificationSubscriber: CommitSubscriber = {
  name: 'notifications',
  async beforeCommit(events: readonly RaisedEvent[], work: TenantWork) {
    const watched = events.filter(isTicketEvent).filter((e) => WATCHED.has(e.type));
    if (!watched.length) return;
    const { em } = work;
    // The workspace's entity only when something may be sent (the identity map keeps it once read).
    const tenant = () => em.findOneOrFail(Tenant, { id: work.tenantId });
    const settings = await enabledSettings(work, tenant);
    if (!settings.size) return;
    const ctx: Context = { em, tenant: await tenant(), settings };
    for (const event of watched) {
      const ticket = await em.findOne(Ticket, { id: event.ticketId }, { populate: ['contact', 'assignee', 'customer'] });
      if (!ticket) continue;
      for (const send of await sendsFor(ctx, event, ticket)) await deliver(ctx, send, ticket);
    }
    await em.flush();
  },
};
