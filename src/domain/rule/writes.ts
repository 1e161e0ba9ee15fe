// What an event's rules wrote, and its runs, in one statement: the ticket's changed fields
// (one update), its history rows and notes, the round-robin turns, the hourly cap's sends,
// the runs, and the queued event deleted — instead of an entity round trip per change.
// The ticket verbs' own rules hold here too (changes.ts): a change is a history row by
// its actor (the rule, by name) and touches the ticket's updated_at; a note is an
// internal system message. Emails are not here: they go through the outbox (the ORM
// entity, whose job is woken after commit), flushed with the unit of work.
import type { TenantWork } from '../../db/unit-of-work.js';
import type { Writes } from './actions.js';
import type { ActionResult, ConditionResult, RunOutcome } from './rule.js';

export interface RunRow { rule_id: number; outcome: RunOutcome; conditions: ConditionResult[]; actions: ActionResult[]; error: string | null }

/** Did the rules change anything on the ticket or beside it (emails aside)? */
export const wroteAnything = (w: Writes) =>
  Object.keys(w.ticket).length > 0 || w.history.length > 0 || w.notes.length > 0 || w.pointers.length > 0 || w.sends.length > 0;

const RUNS = `insert into ticket_rule_runs (tenant_id, rule_id, ticket_id, event, event_key, outcome, conditions, actions, error)
     select $1, x.rule_id, $2, $3, $4, x.outcome, x.conditions, x.actions, x.error
       from rows from (jsonb_to_recordset($5::jsonb) as (rule_id int, outcome text, conditions jsonb, actions jsonb, error text)) with ordinality as x(rule_id, outcome, conditions, actions, error, n)
      order by x.n`;

// The runs and the event's deletion: what every event writes (a workspace's event with no rule to run pays this alone).
const RUNS_ONLY = `with done as (delete from ticket_rule_events where tenant_id = $1 and id = $6)
     ${RUNS}`;

// An update of the ticket whose fields are null stays as it was; one with no change at all updates no row.
const EVERYTHING = `with done as (delete from ticket_rule_events where tenant_id = $1 and id = $6),
  changed as (
    update tickets t set status = coalesce(x.status, t.status), priority = coalesce(x.priority, t.priority), type = coalesce(x.type, t.type),
                         assignee_id = coalesce(x.assignee_id, t.assignee_id), updated_at = clock_timestamp()
      from jsonb_to_record($7::jsonb) as x(touch boolean, status text, priority text, type text, assignee_id int)
     where x.touch and t.tenant_id = $1 and t.id = $2),
  history as (
    insert into ticket_events (tenant_id, ticket_id, actor_kind, actor_name, field, from_value, to_value, created_at)
    select $1, $2, 'rule', x.actor, x.field, x."from", x."to", clock_timestamp()
      from rows from (jsonb_to_recordset($8::jsonb) as (actor text, field text, "from" text, "to" text)) with ordinality as x(actor, field, "from", "to", n)
     order by x.n),
  notes as (
    insert into ticket_messages (tenant_id, ticket_id, author_kind, body, internal, created_at)
    select $1, $2, 'system', x.body, true, clock_timestamp()
      from rows from (jsonb_array_elements_text($9::jsonb)) with ordinality as x(body, n)
     order by x.n),
  turns as (
    update ticket_rule_actions a set last_technician_id = x."technicianId"
      from jsonb_to_recordset($10::jsonb) as x("actionId" int, "technicianId" int)
     where a.tenant_id = $1 and a.id = x."actionId"),
  sends as (
    insert into ticket_rule_sends (tenant_id, rule_id, recipient)
    select $1, x."ruleId", x.recipient from jsonb_to_recordset($11::jsonb) as x("ruleId" int, recipient text))
  ${RUNS}`;

/** Writes the runs of an event and what its rules changed (one statement), deleting the queued event it was in the same one. */
export async function recordRuns(work: TenantWork, event: { ticketId: number; type: string; eventKey?: string | null }, runs: RunRow[], queuedEventId?: number, writes?: Writes): Promise<void> {
  const base = [work.tenantId, event.ticketId, event.type, event.eventKey ?? null, JSON.stringify(runs), queuedEventId ?? null];
  if (!writes || !wroteAnything(writes)) {
    await work.sql.query(RUNS_ONLY, base);
    return;
  }
  const touch = Object.keys(writes.ticket).length > 0 || writes.notes.length > 0;
  const ticket = { touch, status: writes.ticket.status ?? null, priority: writes.ticket.priority ?? null, type: writes.ticket.type ?? null, assignee_id: writes.ticket.assigneeId ?? null };
  await work.sql.query(EVERYTHING, [...base, JSON.stringify(ticket), JSON.stringify(writes.history), JSON.stringify(writes.notes),
    JSON.stringify(writes.pointers), JSON.stringify(writes.sends)]);
}
