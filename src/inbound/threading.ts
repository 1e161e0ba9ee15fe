// Which ticket a message answers: an In-Reply-To / References naming a message of
// the thread — our own signed Message-IDs (a forged one counts for nothing), or an
// email already on a ticket — or a [#1042] in its subject. The sender must be
// allowed to write there: the requester, a main contact of its customer, or a
// technician of the tenant (whose email becomes an internal note: a From is easy
// to forge). Anyone else starts a new ticket of their own. The ticket is locked.
import type { Em } from '../db/orm.js';
import { Contact } from '../domain/contact/contact.js';
import { Technician } from '../domain/technician/technician.js';
import { Ticket, TicketMessage } from '../domain/ticket/ticket.js';
import { readMessageId } from '../outbound/message-ids.js';
import { OutboundEmail } from '../outbound/outbound-email.js';
import { lockForChange } from '../db/locks.js';
import { likeEscaped } from '../lib/search.js';
import type { InboundMail } from './parse.js';

export interface Thread { ticket: Ticket; author: Contact | Technician }

/**
 * The tickets the message names, best first: our signed Message-IDs in In-Reply-To
 * and References (the latest first), then emails already on a ticket, then [#n] in
 * the subject — a subject is easy to write, a signed id is not.
 */
async function referencedTickets(em: Em, tenantId: number, mail: InboundMail): Promise<number[]> {
  const signed: number[] = [];
  const known: string[] = [];
  for (const id of [...mail.inReplyTo, ...mail.references.slice().reverse()]) {
    const read = readMessageId(id);
    if (read.kind === 'ours' && read.tenantId === tenantId && read.ticketId) signed.push(read.ticketId);
    else if (read.kind === 'foreign') known.push(id);
  }
  const byEmail: number[] = [];
  for (const id of known.slice(0, 20)) {
    const ticketId = (await em.findOne(TicketMessage, { emailMessageId: id }, { fields: ['ticket'] }))?.ticket.id
      ?? (await em.findOne(Ticket, { emailMessageId: id }, { fields: ['id'] }))?.id
      ?? (await em.findOne(OutboundEmail, { messageId: id, ticketId: { $ne: null } }, { fields: ['ticketId'] }))?.ticketId;
    if (ticketId) byEmail.push(ticketId);
  }
  const numbers = [...mail.subject.matchAll(/\[#(\d{1,9})\]/g)].map((m) => Number(m[1])).slice(0, 5);
  const bySubject = numbers.length ? (await em.find(Ticket, { number: { $in: numbers } }, { fields: ['id', 'number'] })).sort((a, b) => numbers.indexOf(a.number) - numbers.indexOf(b.number)).map((t) => t.id) : [];
  return [...new Set([...signed, ...byEmail, ...bySubject])];
}

/** Who may write on `ticket` by email: its requester, a main contact of its customer, or a technician. */
async function authorOn(em: Em, ticket: Ticket, address: string): Promise<Contact | Technician | null> {
  if (ticket.contact.email === address) return ticket.contact;
  const contact = await em.findOne(Contact, { email: address }, { populate: ['customer'] });
  if (contact && contact.isMain && contact.customer.id === ticket.customer.id) return contact;
  return em.findOne(Technician, { email: { $ilike: likeEscaped(address) }, active: true });
}

/** The ticket this message belongs to — the first it names that the sender may write on — or null: a new ticket. */
export async function findThread(em: Em, tenantId: number, mail: InboundMail): Promise<Thread | null> {
  if (!mail.from) return null;
  for (const id of await referencedTickets(em, tenantId, mail)) {
    await lockForChange(em, Ticket, { id });
    const ticket = await em.findOne(Ticket, { id }, { populate: ['contact', 'customer'] });
    if (!ticket) continue;
    const author = await authorOn(em, ticket, mail.from.address);
    if (author) return { ticket, author };
  }
  return null;
}
