// The ticket events rules react to, queued in the transaction that raised them (see
// queue.ts for the whole path). This module imports nothing of the unit of work (which
// lists it among its subscribers), so it can load before it.
import { current, type RaisedEvent } from '../../current.js';
import type { CommitSubscriber, TenantWork } from '../../db/unit-of-work.js';
import { isTicketEvent } from '../ticket/events.js';
import { TRIGGER_EVENTS, type RuleTrigger } from './vocabulary.js';

/** The trigger each queued event type fires. */
export const TRIGGER_OF = new Map<string, RuleTrigger>(
  Object.entries(TRIGGER_EVENTS).flatMap(([trigger, types]) => types.map((type) => [type, trigger as RuleTrigger] as const)));
/** The time-based trigger's own event (time.ts queues it). */
export const UNANSWERED_EVENT = 'ticket.unanswered';
TRIGGER_OF.set(UNANSWERED_EVENT, 'ticket_unanswered');

type Waker = (tenantId: number) => Promise<void>;
let waker: Waker | undefined;

/** The job layer plugs in how to wake the rules job (the domain never sees the queue). Returns the one it replaces. */
export function setRuleWaker(next: Waker | undefined): Waker | undefined {
  const previous = waker;
  waker = next;
  return previous;
}

/** Wakes the rules job of the tenant once the current unit of work commits. */
export function wakeAfterCommit(tenantId: number): void {
  const ctx = current();
  if (!ctx) throw new Error('wakeAfterCommit outside a unit of work');
  ctx.afterCommit.push(async () => {
    if (waker) await waker(tenantId);
  });
}

const QUEUE = `insert into ticket_rule_events (tenant_id, ticket_id, type, payload, origin)
  select $1, x.ticket_id, x.type, x.payload, x.origin
    from rows from (jsonb_to_recordset($2::jsonb) as (ticket_id int, type text, trigger text, payload jsonb, origin jsonb)) with ordinality as x(ticket_id, type, trigger, payload, origin, n)
   where exists (select 1 from ticket_rules r where r.tenant_id = $1 and r.active and r.trigger = x.trigger)
   order by x.n
  returning id`;

export const ruleEventQueue: CommitSubscriber = {
  name: 'ticket-rules',
  async beforeCommit(events: readonly RaisedEvent[], work: TenantWork) {
    // Technician Responded is a public reply: an internal note fires nothing.
    const queued = events.filter(isTicketEvent)
      .filter((e) => e.origin.kind !== 'rule' && TRIGGER_OF.has(e.type) && !(e.type === 'ticket.technician_responded' && e.internal));
    if (!queued.length) return;
    const rows = queued.map(({ type, ticketId, origin, ...payload }) => ({ ticket_id: ticketId, type, trigger: TRIGGER_OF.get(type), payload, origin }));
    const inserted = await work.sql.query<{ id: number }>(QUEUE, [work.tenantId, JSON.stringify(rows)]);
    if (inserted.length) wakeAfterCommit(work.tenantId);
  },
};

