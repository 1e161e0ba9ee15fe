// Which ticket a message answers: a [#1042] in its subject, or an In-Reply-To /
// References naming a message of the thread — our own signed Message-IDs (a forged
// one counts for nothing), or an email already on a ticket. The sender must be
// allowed to write there: the requester, a main contact of its customer, or a
// technician of the tenant. Anyone else starts a new ticket of their own.
import type { Em } from '../db/orm.js';
import { Contact } from '../domain/contact/contact.js';
import { Technician } from '../domain/technician/technician.js';
import { Ticket, TicketMessage } from '../domain/ticket/ticket.js';
import { readMessageId } from '../outbound/message-ids.js';
import { OutboundEmail } from '../outbound/outbound-email.js';
import type { InboundMail } from './parse.js';
import { likeEscaped } from '../lib/search.js';

export interface Thread { ticket: Ticket; author: Contact | Technician }

async function referencedTicket(em: Em, tenantId: number, mail: InboundMail): Promise<Ticket | null> {
  const number = /\[#(\d{1,9})\]/.exec(mail.subject)?.[1];
  if (number) {
    const byNumber = await em.findOne(Ticket, { number: Number(number) }, { populate: ['contact', 'customer'] });
    if (byNumber) return byNumber;
  }
  for (const id of [...mail.inReplyTo, ...mail.references.slice().reverse()]) {
    const read = readMessageId(id);
    if (read.kind === 'forged') continue;
    if (read.kind === 'ours') {
      if (read.tenantId !== tenantId || !read.ticketId) continue;
      const ticket = await em.findOne(Ticket, { id: read.ticketId }, { populate: ['contact', 'customer'] });
      if (ticket) return ticket;
      continue;
    }
    const message = await em.findOne(TicketMessage, { emailMessageId: id }, { fields: ['ticket'] });
    const ticketId = message?.ticket.id
      ?? (await em.findOne(Ticket, { emailMessageId: id }, { fields: ['id'] }))?.id
      ?? (await em.findOne(OutboundEmail, { messageId: id, ticketId: { $ne: null } }, { fields: ['ticketId'] }))?.ticketId;
    if (ticketId) {
      const ticket = await em.findOne(Ticket, { id: ticketId }, { populate: ['contact', 'customer'] });
      if (ticket) return ticket;
    }
  }
  return null;
}

/** The ticket this message belongs to, with who writes there — or null: a new ticket. */
export async function findThread(em: Em, tenantId: number, mail: InboundMail): Promise<Thread | null> {
  if (!mail.from) return null;
  const ticket = await referencedTicket(em, tenantId, mail);
  if (!ticket) return null;
  const address = mail.from.address;
  if (ticket.contact.email === address) return { ticket, author: ticket.contact };
  const contact = await em.findOne(Contact, { email: address }, { populate: ['customer'] });
  if (contact && contact.isMain && contact.customer.id === ticket.customer.id) return { ticket, author: contact };
  const technician = await em.findOne(Technician, { email: { $ilike: likeEscaped(address) }, active: true });
  if (technician) return { ticket, author: technician };
  return null;
}
