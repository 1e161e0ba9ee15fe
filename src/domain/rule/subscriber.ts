// The ticket events rules react to, queued in the transaction that raised them (see
// queue.ts for the whole path). This module imports nothing of the unit of work (which
// lists it among its subscribers), so it can load before it.
import { current, type RaisedEvent } from '../../current.js';
import type { CommitSubscriber, TenantWork } from '../../db/unit-of-work.js';
import { isTicketEvent, type TicketDomainEvent } from '../ticket/events.js';
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

/**
 * The queue's insert of `rows` — a jsonb array of {ticket_id, type, trigger, payload, origin},
 * as SQL — keeping those of a trigger some active rule has, in order; `from` lists what
 * `rows` reads (another statement's part, followed by a comma). QUEUE is it on its own;
 * the mail ingest writes it as a part of the statement that makes its change (inbound/tickets.ts).
 */
export const queueRows = (rows: string, from = ''): string => `insert into ticket_rule_events (tenant_id, ticket_id, type, payload, origin)
  select $1, x.ticket_id, x.type, x.payload, x.origin
    from ${from}rows from (jsonb_to_recordset(${rows}) as (ticket_id int, type text, trigger text, payload jsonb, origin jsonb)) with ordinality as x(ticket_id, type, trigger, payload, origin, n)
   where exists (select 1 from ticket_rules r where r.tenant_id = $1 and r.active and r.trigger = x.trigger)
   order by x.n
  returning id`;

const QUEUE = queueRows('$2::jsonb');

/** Whether the event is queued for the rules: not a rule's own change; Technician Responded is a public reply (an internal note fires nothing). */
export const queuesForRules = (e: RaisedEvent): boolean => isTicketEvent(e)
  && e.origin.kind !== 'rule' && TRIGGER_OF.has(e.type) && !(e.type === 'ticket.technician_responded' && e.internal);

/** The event as a row of the queue (what queueRows reads). */
export const ruleEventRow = ({ type, ticketId, origin, ...payload }: TicketDomainEvent) => ({ ticket_id: ticketId, type, trigger: TRIGGER_OF.get(type), payload, origin });

/** Events their verb queued in its own statement (queueRows), left alone here. */
const queuedByTheirVerb = new WeakSet<RaisedEvent>();

/** Says that `event` is in ticket_rule_events already, written with its change. */
export function queuedWithItsChange(event: RaisedEvent): void {
  queuedByTheirVerb.add(event);
}

export const ruleEventQueue: CommitSubscriber = {
  name: 'ticket-rules',
  async beforeCommit(events: readonly RaisedEvent[], work: TenantWork) {
    const queued = events.filter((e) => queuesForRules(e) && !queuedByTheirVerb.has(e)).filter(isTicketEvent);
    if (!queued.length) return;
    const rows = queued.map(ruleEventRow);
    const inserted = await work.sql.query<{ id: number }>(QUEUE, [work.tenantId, JSON.stringify(rows)]);
    if (inserted.length) wakeAfterCommit(work.tenantId);
  },
  settled: (event) => !(queuesForRules(event) && !queuedByTheirVerb.has(event) && isTicketEvent(event)),
};

