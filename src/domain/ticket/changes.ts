// Changing a ticket's title, status, priority, type or assignee: one verb each, each recorded in the
// history and raised as a domain event, both by the current actor.
import type { Em } from '../../db/orm.js';
import { parseId } from '../../lib/parse.js';
import { Checker, text, ValidationError } from '../../lib/validation.js';
import { Technician } from '../technician/technician.js';
import type { Tenant } from '../tenant/tenant.js';
import { raiseStatusChange, raiseTicketEvent } from './events.js';
import { recordEvent } from './history.js';
import { TITLE_MAX } from './open-ticket.js';
import { PRIORITIES, STATUSES, TYPES, type Ticket, type TicketPriority, type TicketStatus, type TicketType } from './ticket.js';

type ChoiceField = 'status' | 'priority' | 'type';
const choices: Record<ChoiceField, { values: readonly string[]; message: string }> = {
  status: { values: STATUSES, message: 'tickets.errors.status' },
  priority: { values: PRIORITIES, message: 'tickets.errors.priority' },
  type: { values: TYPES, message: 'tickets.errors.type' },
};

/** Sets one of the ticket's chosen-from-a-list fields; false when it already had that value. */
async function changeChoice(em: Em, tenant: Tenant, ticket: Ticket, field: ChoiceField, value: unknown): Promise<boolean> {
  const { values, message } = choices[field];
  if (typeof value !== 'string' || !values.includes(value)) throw new ValidationError({ [field]: message });
  if (ticket[field] === value) return false;
  const from = ticket[field];
  recordEvent(em, tenant, ticket, field, from, value);
  (ticket as Record<ChoiceField, string>)[field] = value;
  if (field === 'status') raiseStatusChange(ticket.id, from as TicketStatus, value as TicketStatus);
  else if (field === 'priority') raiseTicketEvent({ type: 'ticket.property_changed', ticketId: ticket.id, property: 'priority', from: from as TicketPriority, to: value as TicketPriority });
  else raiseTicketEvent({ type: 'ticket.property_changed', ticketId: ticket.id, property: 'type', from: from as TicketType, to: value as TicketType });
  await em.flush();
  return true;
}

export function changeStatus(em: Em, tenant: Tenant, ticket: Ticket, status: unknown): Promise<boolean> {
  return changeChoice(em, tenant, ticket, 'status', status);
}

export function changePriority(em: Em, tenant: Tenant, ticket: Ticket, priority: unknown): Promise<boolean> {
  return changeChoice(em, tenant, ticket, 'priority', priority);
}

export function changeType(em: Em, tenant: Tenant, ticket: Ticket, type: unknown): Promise<boolean> {
  return changeChoice(em, tenant, ticket, 'type', type);
}

/** Renames the ticket (edited in place on its page); false when the title is unchanged. */
export async function retitle(em: Em, tenant: Tenant, ticket: Ticket, title: unknown): Promise<boolean> {
  const value = text(title);
  new Checker().require('title', value, 'tickets.fields.title', TITLE_MAX).throwIfAny();
  if (ticket.title === value) return false;
  const from = ticket.title;
  recordEvent(em, tenant, ticket, 'title', from, value);
  ticket.title = value;
  raiseTicketEvent({ type: 'ticket.title_changed', ticketId: ticket.id, from, to: value });
  await em.flush();
  return true;
}

/** Assigns the ticket to an active technician of the tenant, or to nobody (null). */
export async function assign(em: Em, tenant: Tenant, ticket: Ticket, assignee: Technician | null): Promise<boolean> {
  if (assignee && !assignee.active) throw new ValidationError({ assignee: 'tickets.errors.activeTechnician' });
  const before = ticket.assignee ?? null;
  if ((before?.id ?? null) === (assignee?.id ?? null)) return false;
  if (before) await em.populate(ticket, ['assignee']);
  recordEvent(em, tenant, ticket, 'assignee', ticket.assignee?.name ?? null, assignee?.name ?? null);
  ticket.assignee = assignee;
  raiseTicketEvent({ type: 'ticket.assignment_changed', ticketId: ticket.id, from: before?.id ?? null, to: assignee?.id ?? null });
  await em.flush();
  return true;
}

/** The active technician with this id (from a form), null for "nobody", or a ValidationError. */
export async function technicianFor(em: Em, value: unknown): Promise<Technician | null> {
  if (value === undefined || value === null || value === '') return null;
  const id = parseId(value);
  const technician = id ? await em.findOne(Technician, { id, active: true }) : null;
  if (!technician) throw new ValidationError({ assignee: 'tickets.errors.activeTechnician' });
  return technician;
}
