// What an event's rules wrote, and its runs, in one statement: the ticket's changed fields
// (one update), its history rows and notes, the round-robin turns, the hourly cap's sends,
// the runs, and the queued event deleted — instead of an entity round trip per change.
// The rules whose conditions did not hold for a ticket event are one ticket_rule_misses
// row listing them (not a run each); the time-based trigger's stay runs (their waiting
// period's key keeps a rule from firing twice in one period).
// The ticket verbs' own rules hold here too (changes.ts): a change is a history row by
// its actor (the rule, by name) and touches the ticket's updated_at; a note is an
// internal system message. The emails are outbound_emails rows, queued, written here
// as the outbox's queueEmail writes them, its job woken for each after commit; with
// them the audit rows of a contact's credentials queued.
import type { TenantWork } from '../../db/unit-of-work.js';
import { dispatchAfterCommit } from '../../outbound/outbox.js';
import type { Writes } from './actions.js';
import { intArray } from './facts.js';
import type { ActionResult, ConditionResult, RunOutcome } from './rule.js';

export interface RunRow { rule_id: number; outcome: RunOutcome; conditions: ConditionResult[]; actions: ActionResult[]; error: string | null }

/** Did the rules change anything on the ticket or beside it? */
export const wroteAnything = (w: Writes) =>
  Object.keys(w.ticket).length > 0 || w.history.length > 0 || w.notes.length > 0 || w.pointers.length > 0 || w.sends.length > 0
  || w.emails.length > 0 || w.audits.length > 0;

const RUNS = `insert into ticket_rule_runs (tenant_id, rule_id, ticket_id, event, event_key, outcome, conditions, actions, error)
     select $1, x.rule_id, $2, $3, $4, x.outcome, x.conditions, x.actions, x.error
       from rows from (jsonb_to_recordset($5::jsonb) as (rule_id int, outcome text, conditions jsonb, actions jsonb, error text)) with ordinality as x(rule_id, outcome, conditions, actions, error, n)
      order by x.n`;

const MISSES = `misses as (
    insert into ticket_rule_misses (tenant_id, ticket_id, event, rule_ids) select $1, $2, $3, $7::int[] where cardinality($7::int[]) > 0)`;

// An event no rule ran for: deleted, nothing else.
const DONE = 'delete from ticket_rule_events where tenant_id = $1 and id = $2';

// The runs, the misses and the event's deletion.
const RUNS_ONLY = `with done as (delete from ticket_rule_events where tenant_id = $1 and id = $6),
  ${MISSES}
  ${RUNS}`;

// An update of the ticket whose fields are null stays as it was; one with no change at all updates no row.
const EVERYTHING = `with done as (delete from ticket_rule_events where tenant_id = $1 and id = $6),
  changed as (
    update tickets t set status = coalesce(x.status, t.status), priority = coalesce(x.priority, t.priority), type = coalesce(x.type, t.type),
                         assignee_id = coalesce(x.assignee_id, t.assignee_id), updated_at = clock_timestamp()
      from jsonb_to_record($8::jsonb) as x(touch boolean, status text, priority text, type text, assignee_id int)
     where x.touch and t.tenant_id = $1 and t.id = $2),
  history as (
    insert into ticket_events (tenant_id, ticket_id, actor_kind, actor_name, field, from_value, to_value, created_at)
    select $1, $2, 'rule', x.actor, x.field, x."from", x."to", clock_timestamp()
      from rows from (jsonb_to_recordset($9::jsonb) as (actor text, field text, "from" text, "to" text)) with ordinality as x(actor, field, "from", "to", n)
     order by x.n),
  notes as (
    insert into ticket_messages (tenant_id, ticket_id, author_kind, body, internal, created_at)
    select $1, $2, 'system', x.body, true, clock_timestamp()
      from rows from (jsonb_array_elements_text($10::jsonb)) with ordinality as x(body, n)
     order by x.n),
  turns as (
    update ticket_rule_actions a set last_technician_id = x."technicianId"
      from jsonb_to_recordset($11::jsonb) as x("actionId" int, "technicianId" int)
     where a.tenant_id = $1 and a.id = x."actionId"),
  sends as (
    insert into ticket_rule_sends (tenant_id, rule_id, recipient)
    select $1, x."ruleId", x.recipient from jsonb_to_recordset($12::jsonb) as x("ruleId" int, recipient text)),
  emails as (
    insert into outbound_emails (tenant_id, kind, to_address, to_name, subject, text_body, html_body, credential_target, auto_submitted, ticket_id, contact_id)
    select $1, x.kind, x.to_address, x.to_name, x.subject, x.text_body, x.html_body, x.credential_target, x.auto_submitted, x.ticket_id, x.contact_id
      from rows from (jsonb_to_recordset($13::jsonb) as (kind text, to_address text, to_name text, subject text, text_body text, html_body text,
             credential_target jsonb, auto_submitted boolean, ticket_id int, contact_id int)) with ordinality
           as x(kind, to_address, to_name, subject, text_body, html_body, credential_target, auto_submitted, ticket_id, contact_id, n)
     order by x.n
    returning id),
  audits as (
    insert into audit_events (tenant_id, actor_kind, actor_id, actor_name, action, subject_type, subject_id, details)
    select $1, x.actor_kind, x.actor_id, x.actor_name, x.action, x.subject_type, x.subject_id, x.details
      from jsonb_to_recordset($14::jsonb) as x(actor_kind text, actor_id int, actor_name text, action text, subject_type text, subject_id int, details jsonb)),
  ${MISSES},
  runs as (${RUNS})
  select id from emails`;

/**
 * Writes the runs of an event and what its rules changed (one statement), deleting the
 * queued event (`queuedEventId`) in the same one. The not-matched runs of a ticket event
 * are written as its one miss.
 */
export async function recordRuns(work: TenantWork, event: { ticketId: number; type: string; eventKey?: string | null }, all: RunRow[], queuedEventId?: number, writes?: Writes): Promise<void> {
  const keyed = Boolean(event.eventKey);
  const runs = keyed ? all : all.filter((r) => r.outcome !== 'not_matched');
  const missed = keyed ? [] : all.filter((r) => r.outcome === 'not_matched').map((r) => r.rule_id);
  if (!runs.length && !missed.length && queuedEventId !== undefined) {
    await work.sql.query(DONE, [work.tenantId, queuedEventId]);
    return;
  }
  const base = [work.tenantId, event.ticketId, event.type, event.eventKey ?? null, JSON.stringify(runs), queuedEventId ?? null, intArray(missed)];
  if (!writes || !wroteAnything(writes)) {
    await work.sql.query(RUNS_ONLY, base);
    return;
  }
  const touch = Object.keys(writes.ticket).length > 0 || writes.notes.length > 0;
  const ticket = { touch, status: writes.ticket.status ?? null, priority: writes.ticket.priority ?? null, type: writes.ticket.type ?? null, assignee_id: writes.ticket.assigneeId ?? null };
  const emails = await work.sql.query<{ id: number }>(EVERYTHING, [...base, JSON.stringify(ticket), JSON.stringify(writes.history), JSON.stringify(writes.notes),
    JSON.stringify(writes.pointers), JSON.stringify(writes.sends), JSON.stringify(writes.emails), JSON.stringify(writes.audits)]);
  dispatchAfterCommit(work.tenantId, emails.map((e) => e.id));
}
