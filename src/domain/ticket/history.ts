// The ticket's history: every change is one TicketEvent (who — the current actor —, which field, from, to).
import type { Em } from '../../db/orm.js';
import { currentActor } from '../actor.js';
import type { Tenant } from '../tenant/tenant.js';
import { TicketEvent, type Ticket } from './ticket.js';

export function recordEvent(em: Em, tenant: Tenant, ticket: Ticket, field: string, from: string | null, to: string | null): TicketEvent {
  const actor = currentActor();
  const event = em.create(TicketEvent, {
    tenant, ticket, field, fromValue: from, toValue: to,
    actorKind: actor.kind, actorName: actor.name ?? '', createdAt: new Date(),
  });
  em.persist(event);
  ticket.updatedAt = new Date();
  return event;
}

/** The history of a ticket, oldest first. */
export function historyOf(em: Em, ticket: Ticket): Promise<TicketEvent[]> {
  return em.find(TicketEvent, { ticket }, { orderBy: { id: 'asc' } });
}
