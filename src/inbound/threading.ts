// Which ticket a message answers: an In-Reply-To / References naming a message of
// the thread — our own signed Message-IDs (a forged one counts for nothing), or an
// email already on a ticket — or a [#1042] in its subject (the candidates, best
// first, come with the message's facts: facts.ts). The sender must be allowed to
// write there: the requester, a main contact of its customer, or a technician of
// the tenant (whose email becomes an internal note: a From is easy to forge).
// Anyone else starts a new ticket of their own. The ticket is locked.
import type { TenantWork } from '../db/unit-of-work.js';
import type { TicketStatus } from '../domain/ticket/ticket.js';
import type { Facts, SenderContact } from './facts.js';
import type { InboundMail } from './parse.js';

/** The ticket, as read under its lock. */
export interface ThreadTicket { id: number; status: TicketStatus; contactId: number; customerId: number }

export type ThreadAuthor = { kind: 'contact'; contact: SenderContact } | { kind: 'technician'; id: number; name: string };

export interface Thread { ticket: ThreadTicket; author: ThreadAuthor }

/** Who may write on `ticket` by email: its requester, a main contact of its customer, or a technician. */
function authorOn(ticket: ThreadTicket, facts: Facts): ThreadAuthor | null {
  const { contact } = facts;
  // Contacts are unique by address in a workspace: the sender's contact is the requester, or another.
  if (contact && contact.id === ticket.contactId) return { kind: 'contact', contact };
  if (contact && contact.isMain && contact.customerId === ticket.customerId) return { kind: 'contact', contact };
  return facts.technician ? { kind: 'technician', ...facts.technician } : null;
}

/**
 * The ticket this message belongs to — the first it names that the sender may write
 * on — or null: a new ticket. One statement locks and reads each candidate (one
 * table, no join: see db/locks.ts), so what is read is what the lock holder left.
 */
export async function findThread(work: TenantWork, facts: Facts, mail: InboundMail): Promise<Thread | null> {
  if (!mail.from) return null;
  for (const id of facts.candidates) {
    const row = await work.sql.one<{ id: number; status: TicketStatus; contact_id: number; customer_id: number }>(
      'select id, status, contact_id, customer_id from tickets where tenant_id = $1 and id = $2 for update', [work.tenantId, id]);
    if (!row) continue;
    const ticket = { id: row.id, status: row.status, contactId: row.contact_id, customerId: row.customer_id };
    const author = authorOn(ticket, facts);
    if (author) return { ticket, author };
  }
  return null;
}
