// A technician's public reply, emailed to the requester with a signature and the portal link,
// the few words around it in the requester's language (else the workspace's).
import type { Em } from '../../db/orm.js';
import type { Contact } from '../../domain/contact/contact.js';
import type { Tenant } from '../../domain/tenant/tenant.js';
import type { Ticket } from '../../domain/ticket/ticket.js';
import { tenantUrl } from '../../lib/urls.js';
import { queueEmail } from '../outbox.js';
import { recipientSpeaker, renderMail } from './render.js';

export interface TicketReplyMail {
  ticket: Pick<Ticket, 'id' | 'number' | 'title'>;
  requester: Pick<Contact, 'id' | 'email' | 'fullName' | 'language'>;
  /** The reply as the requester reads it: snippets resolved, credentials as markers. */
  reply: string;
  /** Whether `reply` holds credential markers, minted for the requester by the send job. */
  withCredentials: boolean;
  authorName: string;
  replyTo: string | null;
  inReplyTo: string | null;
}

export async function ticketReply(em: Em, tenant: Tenant, mail: TicketReplyMail): Promise<void> {
  const { ticket, requester } = mail;
  const speaker = recipientSpeaker(tenant, requester.language);
  // The signature's names are values (`<%= %>`, through `plain`): nothing but the rendered reply carries a marker.
  const { text, html } = await renderMail('ticket-reply', {
    reply: mail.reply, author: mail.authorName, company: tenant.name, ticketUrl: tenantUrl(tenant.slug, `/portal/tickets/${ticket.number}`),
  }, speaker, tenant.timeZone);
  queueEmail(em, tenant, {
    kind: 'ticket_reply',
    to: { address: requester.email, name: requester.fullName },
    subject: speaker.t('mail.ticketReply.subject', { number: ticket.number, title: ticket.title }),
    text, html,
    ticketId: ticket.id,
    contactId: requester.id,
    credentialTarget: mail.withCredentials ? { contactId: requester.id, purpose: 'invite' } : null,
    replyTo: mail.replyTo,
    inReplyTo: mail.inReplyTo,
  });
}
