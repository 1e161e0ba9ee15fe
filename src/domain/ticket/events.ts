// What happens to tickets, as typed domain events raised by the ticket verbs into
// the current unit of work. Before-commit subscribers (the rules engine) see them in
// the transaction; after-commit ones (webhooks) once it has committed — see
// src/domain/subscribers.ts. Each carries its origin: the Actor who caused it (a
// technician, a contact, the system, a rule), so a rule's own changes can be told
// apart. These are not the ticket's history rows (TicketEvent in ticket.ts): those
// are what people read; these are what code reacts to.
import { raise } from '../events.js';
import type { Actor } from '../actor.js';
import type { TicketPriority, TicketSource, TicketStatus, TicketType } from './ticket.js';

interface About { readonly ticketId: number; readonly origin: Actor }

export type TicketCreated = About & { readonly type: 'ticket.created'; readonly number: number; readonly source: TicketSource; readonly automatic: boolean };
export type TicketStatusChanged = About & { readonly type: 'ticket.status_changed'; readonly from: TicketStatus; readonly to: TicketStatus };
/** Raised with the status change that resolves (or closes) the ticket. */
export type TicketResolved = About & { readonly type: 'ticket.resolved'; readonly from: TicketStatus };
export type TicketClosed = About & { readonly type: 'ticket.closed'; readonly from: TicketStatus };
export type TicketAssignmentChanged = About & { readonly type: 'ticket.assignment_changed'; readonly from: number | null; readonly to: number | null };
export type TicketPropertyChanged = About & (
  | { readonly type: 'ticket.property_changed'; readonly property: 'priority'; readonly from: TicketPriority; readonly to: TicketPriority }
  | { readonly type: 'ticket.property_changed'; readonly property: 'type'; readonly from: TicketType; readonly to: TicketType });
/** The retitle verb's (rules: Ticket Title Changed). */
export type TicketTitleChanged = About & { readonly type: 'ticket.title_changed'; readonly from: string; readonly to: string };
/** `automatic`: an auto-reply or an alert by email (rules must not answer it). */
export type ContactResponded = About & { readonly type: 'ticket.contact_responded'; readonly messageId: number; readonly automatic: boolean };
export type TechnicianResponded = About & { readonly type: 'ticket.technician_responded'; readonly messageId: number; readonly internal: boolean; readonly automatic: boolean };

export type TicketDomainEvent =
  | TicketCreated | TicketStatusChanged | TicketResolved | TicketClosed | TicketAssignmentChanged
  | TicketPropertyChanged | TicketTitleChanged | ContactResponded | TechnicianResponded;

type Distribute<E> = E extends unknown ? Omit<E, 'origin'> : never;

/** Raises a ticket event into the current unit of work, its origin the current actor. */
export function raiseTicketEvent(event: Distribute<TicketDomainEvent>): void {
  raise(event);
}

/** The status change, and its resolved / closed event when it is one. */
export function raiseStatusChange(ticketId: number, from: TicketStatus, to: TicketStatus): void {
  raiseTicketEvent({ type: 'ticket.status_changed', ticketId, from, to });
  if (to === 'resolved') raiseTicketEvent({ type: 'ticket.resolved', ticketId, from });
  if (to === 'closed') raiseTicketEvent({ type: 'ticket.closed', ticketId, from });
}

export function isTicketEvent(event: { type: string }): event is TicketDomainEvent {
  return event.type.startsWith('ticket.');
}
