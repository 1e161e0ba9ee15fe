// *Technician replied* is the reply email: a technician's public reply reaches its requester
// as the notification's template (Admin > Notifications), its {[Message Text]} the reply as
// prepared for them (snippets resolved, credentials as markers the send job mints). Switched
// off, replies are not emailed. A template that does not name {[Message Text]} gets the reply
// above its own text, so no template can lose an answer. As the reply email always did, it
// threads under the ticket's latest email (In-Reply-To, and References at sending), answers
// go to the ticket's support address (Reply-To), and it is a person's mail, not Auto-Submitted.
// Never twice for one reply (notification_sends), never to a ticket opened by automatic mail.
// A reply sent with "and set to Resolved" is the one email of that step: the answer, then a
// line that the ticket is resolved and that replying reopens it (while *Ticket resolved* is on;
// it is then not sent for that resolution). *Technician replied* off: no reply email, and
// *Ticket resolved* goes as for any resolution.
import type { Em } from '../../db/orm.js';
import { credentialMarkersIn } from '../../outbound/credentials.js';
import { OutboundEmail } from '../../outbound/outbound-email.js';
import { queueEmail } from '../../outbound/outbox.js';
import { speakerFor } from '../../i18n/translate.js';
import type { PreparedReply } from '../email/reply-snippets.js';
import { EmailTemplate } from '../email/email-template.js';
import { renderTemplate } from '../email/send.js';
import { namesSnippet, snippetPlaceholder } from '../email/snippets.js';
import { Mailbox } from '../mailbox/mailbox.js';
import type { Technician } from '../technician/technician.js';
import type { Tenant } from '../tenant/tenant.js';
import { TicketMessage, type Ticket } from '../ticket/ticket.js';
import { claimSend, resolutionKey } from './sends.js';
import { isShipped } from './shipped.js';
import { notificationSettings } from './settings.js';

/** The outbox kind of the reply email (the Mail Log calls it *Ticket reply*). */
export const REPLY_MAIL_KIND = 'ticket_reply';

export interface ReplyEmailOptions {
  /** The same step resolved the ticket (Send and set to Resolved): the reply says so, and *Ticket resolved* is not sent for it. */
  resolves?: boolean;
}

export async function emailTechnicianReply(em: Em, tenant: Tenant, ticket: Ticket, message: TicketMessage, reply: PreparedReply, author: Technician, options: ReplyEmailOptions = {}): Promise<void> {
  const settings = await notificationSettings(em, tenant);
  const setting = settings.find((s) => s.kind === 'technician_replied');
  if (!setting?.enabled || setting.templateId === null || ticket.automatic) return;
  const contact = ticket.contact;
  if (!contact.email) return;
  const template = await em.findOne(EmailTemplate, { id: setting.templateId });
  if (!template) return;
  if (!await claimSend(em, tenant.id, 'technician_replied', `message:${message.id}`, contact.email)) return;
  // Resolved in the same step, with *Ticket resolved* on: the reply is the requester's one email
  // about it (that resolution's notice claimed here), a line under the answer saying the ticket
  // is resolved and that replying reopens it — in the template's language. Ticket resolved off: the reply alone.
  const resolved = settings.find((s) => s.kind === 'ticket_resolved');
  const saysResolved = options.resolves === true && resolved?.enabled === true && resolved.templateId !== null
    && await claimSend(em, tenant.id, 'ticket_resolved', await resolutionKey(em, ticket.id), contact.email);
  const language = isShipped(template.shipped) ? contact.language ?? tenant.language : tenant.language;
  const text = saysResolved ? `${reply.email}\n\n${speakerFor(language, tenant.edition).t('notifications.resolvedByReply')}` : reply.email;
  const body = namesSnippet(template.body, 'message.text', tenant.edition)
    ? template.body
    : `${snippetPlaceholder('message.text', speakerFor(tenant.language, tenant.edition))}\n\n${template.body}`;
  const rendered = await renderTemplate(em, tenant, { ...template, body }, {
    contact, ticket, technician: author, message: text, messageIsPreparedReply: true,
  });
  queueEmail(em, tenant, {
    kind: REPLY_MAIL_KIND, to: { address: contact.email, name: contact.fullName }, ...rendered,
    ticketId: ticket.id, contactId: contact.id,
    credentialTarget: credentialMarkersIn(rendered.text).length ? { contactId: contact.id, purpose: 'invite' } : null,
    replyTo: await supportAddressOf(em, ticket),
    inReplyTo: await lastMessageIdOf(em, ticket, contact.email),
  });
}

/** Answers go back to the address the ticket came to, or else to the workspace's first support address. */
export async function supportAddressOf(em: Em, ticket: Ticket): Promise<string | null> {
  if (ticket.supportAddress) return ticket.supportAddress;
  const [mailbox] = await em.find(Mailbox, { enabled: true }, { orderBy: { id: 'asc' }, limit: 1, fields: ['address'] });
  return mailbox?.address ?? null;
}

/**
 * The Message-ID of the thread's latest email, in or out (ours to this requester: not the
 * technicians' notifications; theirs: not a technician's email, an internal note), so the
 * reply threads in the requester's mailbox.
 */
async function lastMessageIdOf(em: Em, ticket: Ticket, to: string): Promise<string | null> {
  const [incoming] = await em.find(TicketMessage, { ticket, internal: false, emailMessageId: { $ne: null } }, { orderBy: { id: 'desc' }, limit: 1, fields: ['emailMessageId', 'createdAt'] });
  const [outgoing] = await em.find(OutboundEmail, { ticketId: ticket.id, messageId: { $ne: null }, toAddress: { $ilike: to.replace(/[\\%_]/g, '\\$&') } },
    { orderBy: { id: 'desc' }, limit: 1, fields: ['messageId', 'createdAt'] });
  if (incoming && (!outgoing || incoming.createdAt >= outgoing.createdAt)) return incoming.emailMessageId ?? null;
  // No later email: the one the ticket was opened from, when it came by email.
  return outgoing?.messageId ?? ticket.emailMessageId ?? null;
}
