// Changing a ticket's status, priority, type or assignee: one verb each, each recorded in the history.
import type { Em } from '../../db/orm.js';
import { ValidationError } from '../../lib/validation.js';
import { Technician } from '../technician/technician.js';
import type { Tenant } from '../tenant/tenant.js';
import type { TicketActor } from './actor.js';
import { recordEvent } from './history.js';
import { PRIORITIES, STATUSES, TYPES, type Ticket, type TicketPriority, type TicketStatus, type TicketType } from './ticket.js';

export async function changeStatus(em: Em, tenant: Tenant, ticket: Ticket, status: unknown, by: TicketActor): Promise<boolean> {
  if (!STATUSES.includes(status as TicketStatus)) throw new ValidationError({ status: 'Choose a status.' });
  if (ticket.status === status) return false;
  recordEvent(em, tenant, ticket, by, 'status', ticket.status, status as TicketStatus);
  ticket.status = status as TicketStatus;
  await em.flush();
  return true;
}

export async function changePriority(em: Em, tenant: Tenant, ticket: Ticket, priority: unknown, by: TicketActor): Promise<boolean> {
  if (!PRIORITIES.includes(priority as TicketPriority)) throw new ValidationError({ priority: 'Choose a priority.' });
  if (ticket.priority === priority) return false;
  recordEvent(em, tenant, ticket, by, 'priority', ticket.priority, priority as TicketPriority);
  ticket.priority = priority as TicketPriority;
  await em.flush();
  return true;
}

export async function changeType(em: Em, tenant: Tenant, ticket: Ticket, type: unknown, by: TicketActor): Promise<boolean> {
  if (!TYPES.includes(type as TicketType)) throw new ValidationError({ type: 'Choose a type.' });
  if (ticket.type === type) return false;
  recordEvent(em, tenant, ticket, by, 'type', ticket.type, type as TicketType);
  ticket.type = type as TicketType;
  await em.flush();
  return true;
}

/** Assigns the ticket to an active technician of the tenant, or to nobody (null). */
export async function assign(em: Em, tenant: Tenant, ticket: Ticket, assignee: Technician | null, by: TicketActor): Promise<boolean> {
  if (assignee && !assignee.active) throw new ValidationError({ assignee: 'Choose an active technician.' });
  const before = ticket.assignee ?? null;
  if ((before?.id ?? null) === (assignee?.id ?? null)) return false;
  if (before) await em.populate(ticket, ['assignee']);
  recordEvent(em, tenant, ticket, by, 'assignee', ticket.assignee?.name ?? null, assignee?.name ?? null);
  ticket.assignee = assignee;
  await em.flush();
  return true;
}

/** The active technician with this id (from a form), null for "nobody", or a ValidationError. */
export async function technicianFor(em: Em, value: unknown): Promise<Technician | null> {
  if (value === undefined || value === null || value === '') return null;
  const id = Number(value);
  const technician = Number.isSafeInteger(id) && id > 0 && id < 2_147_483_648 ? await em.findOne(Technician, { id, active: true }) : null;
  if (!technician) throw new ValidationError({ assignee: 'Choose an active technician.' });
  return technician;
}
