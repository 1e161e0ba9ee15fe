// Tickets written straight into the database (as the owner), with every field a list
// filters, sorts or searches by — for the tests of the ticket list, its search and the dashboard.
import type { Fixtures } from './fixtures.js';
import { sql } from './index.js';

export interface TicketSpec {
  number: number;
  title: string;
  description?: string;
  status?: 'open' | 'pending' | 'resolved' | 'closed';
  priority?: 'low' | 'medium' | 'high' | 'critical';
  contact?: keyof Fixtures['contacts'];
  assignee?: keyof Fixtures['technicians'] | null;
  /** How long ago it was last updated, in hours (default: its number's minutes ago, so later numbers are newer). */
  updatedHoursAgo?: number;
  /** Messages of its conversation (by its requester). */
  messages?: string[];
}

/** Writes these tickets, each in its requester's workspace and customer; answers their ids by number. */
export async function writeTickets(fx: Fixtures, specs: TicketSpec[]): Promise<Record<number, number>> {
  const ids: Record<number, number> = {};
  for (const spec of specs) {
    const contact = fx.contacts[spec.contact ?? 'mario'];
    const tenantId = (contact.tenant as { id: number }).id;
    const assignee = spec.assignee ? fx.technicians[spec.assignee].id : null;
    const hours = spec.updatedHoursAgo ?? (10_000 - spec.number) / 60;
    const [row] = await sql<{ id: number }>(
      `insert into tickets (tenant_id, number, title, description, status, priority, customer_id, contact_id, assignee_id, created_at, updated_at)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9, now() - $10 * interval '1 hour', now() - $10 * interval '1 hour') returning id`,
      [tenantId, spec.number, spec.title, spec.description ?? '', spec.status ?? 'open', spec.priority ?? 'medium', contact.customer.id, contact.id, assignee, hours]);
    ids[spec.number] = row.id;
    for (const body of spec.messages ?? []) {
      await sql(`insert into ticket_messages (tenant_id, ticket_id, author_kind, author_contact_id, body) values ($1, $2, 'contact', $3, $4)`, [tenantId, row.id, contact.id, body]);
    }
    await sql('update tenants set next_ticket_number = greatest(next_ticket_number, $1 + 1) where id = $2', [spec.number, tenantId]);
  }
  return ids;
}

/** The ticket numbers a list page shows, in its order. */
export function numbersIn(html: string): number[] {
  return [...html.matchAll(/<tr id="ticket-(\d+)"/g)].map((m) => Number(m[1]));
}

/** The total a list page states ("12 tickets"). */
export function totalIn(html: string): number {
  const match = /<p class="muted">([\d.,]+) tickets?/.exec(html);
  if (!match) throw new Error('No ticket count on this page');
  return Number(match[1].replace(/[.,]/g, ''));
}
