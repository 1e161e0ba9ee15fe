// Opening a ticket: validated, numbered per tenant without gaps or duplicates, recorded,
// raised as ticket.created by the current actor.
import type { Em } from '../../db/orm.js';
import { Checker, text } from '../../lib/validation.js';
import { audit } from '../audit/audit-event.js';
import type { Contact } from '../contact/contact.js';
import type { Technician } from '../technician/technician.js';
import type { Tenant } from '../tenant/tenant.js';
import { raiseTicketEvent } from './events.js';
import { recordEvent } from './history.js';
import { PRIORITIES, Ticket, TYPES, type TicketPriority, type TicketSource, type TicketType } from './ticket.js';

export const TITLE_MAX = 250;
export const DESCRIPTION_MAX = 50_000;

export interface OpenTicketInput {
  contact: Contact | null | undefined;
  title: unknown;
  description?: unknown;
  priority?: unknown;
  type?: unknown;
  source: TicketSource;
  assignee?: Technician | null;
  /** The technician opening it on the contact's behalf (source 'technician'). */
  openedBy?: Technician | null;
  /** It came from automatic mail (an auto-reply, an alert): rules must not answer it. */
  automatic?: boolean;
}

/**
 * The next number of the tenant, taken by incrementing the tenant row inside this
 * transaction: the row lock serialises concurrent openings, and a rollback gives
 * the number back, so numbers have no gaps and no duplicates.
 */
export async function takeTicketNumber(em: Em, tenant: Tenant): Promise<number> {
  const rows = await em.execute<Array<{ number: number }>>(
    'update tenants set next_ticket_number = next_ticket_number + 1 where id = ? returning next_ticket_number - 1 as number',
    [tenant.id]);
  if (!rows[0]) throw new Error('The tenant row could not be numbered');
  return Number(rows[0].number);
}

export async function openTicket(em: Em, tenant: Tenant, input: OpenTicketInput): Promise<Ticket> {
  const title = text(input.title);
  const description = text(input.description).replace(/\r\n/g, '\n');
  const priority = (input.priority === undefined || input.priority === '' ? 'medium' : input.priority) as TicketPriority;
  const type = (input.type === undefined || input.type === '' ? 'question' : input.type) as TicketType;
  const check = new Checker().require('title', title, 'tickets.fields.title', TITLE_MAX);
  if (!input.contact) check.add('contact', 'tickets.errors.contact');
  if (description.length > DESCRIPTION_MAX) check.add('description', { key: 'validation.tooLong', params: { label: { key: 'tickets.fields.description' }, max: DESCRIPTION_MAX } });
  if (!PRIORITIES.includes(priority)) check.add('priority', 'tickets.errors.priority');
  if (!TYPES.includes(type)) check.add('type', 'tickets.errors.type');
  check.throwIfAny();
  const contact = input.contact!;

  const number = await takeTicketNumber(em, tenant);
  const now = new Date();
  const ticket = em.create(Ticket, {
    tenant, number, title, description, priority, type, source: input.source,
    customer: contact.customer, contact, assignee: input.assignee ?? null, openedBy: input.openedBy ?? null, createdAt: now, updatedAt: now,
  });
  await em.flush();
  recordEvent(em, tenant, ticket, 'created', null, `#${number}`);
  raiseTicketEvent({ type: 'ticket.created', ticketId: ticket.id, number, source: input.source, automatic: input.automatic === true });
  audit(em, tenant, 'ticket.opened', { type: 'ticket', id: ticket.id }, { number, source: input.source });
  await em.flush();
  return ticket;
}
