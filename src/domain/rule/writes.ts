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

// The parts of an event's statement, each written only when the event has something for it
// (the statement's text is one per combination of parts present, prepared once per connection):
// each takes its one parameter's placeholder. $1 is the workspace, $2 the ticket, $3 the event's type.
type Part = 'done' | 'changed' | 'history' | 'notes' | 'turns' | 'sends' | 'emails' | 'audits' | 'misses' | 'runs';

const PARTS: Record<Part, (p: string) => string> = {
  done: (p) => `done as (delete from ticket_rule_events where tenant_id = $1 and id = ${p})`,
  // A field left null by the rules stays as it was.
  changed: (p) => `changed as (
    update tickets t set status = coalesce(x.status, t.status), priority = coalesce(x.priority, t.priority), type = coalesce(x.type, t.type),
                         assignee_id = coalesce(x.assignee_id, t.assignee_id), updated_at = clock_timestamp()
      from jsonb_to_record(${p}::jsonb) as x(status text, priority text, type text, assignee_id int)
     where t.tenant_id = $1 and t.id = $2)`,
  history: (p) => `history as (
    insert into ticket_events (tenant_id, ticket_id, actor_kind, actor_name, field, from_value, to_value, created_at)
    select $1, $2, 'rule', x.actor, x.field, x."from", x."to", clock_timestamp()
      from rows from (jsonb_to_recordset(${p}::jsonb) as (actor text, field text, "from" text, "to" text)) with ordinality as x(actor, field, "from", "to", n)
     order by x.n)`,
  notes: (p) => `notes as (
    insert into ticket_messages (tenant_id, ticket_id, author_kind, body, internal, created_at)
    select $1, $2, 'system', x.body, true, clock_timestamp()
      from rows from (jsonb_array_elements_text(${p}::jsonb)) with ordinality as x(body, n)
     order by x.n)`,
  // {action id: technician id}; the actions are reached by their key.
  turns: (p) => `turns as (
    update ticket_rule_actions a set last_technician_id = (${p}::jsonb ->> a.id::text)::int
     where a.tenant_id = $1 and a.id = any(array(select jsonb_object_keys(${p}::jsonb)::int)))`,
  sends: (p) => `sends as (
    insert into ticket_rule_sends (tenant_id, rule_id, recipient)
    select $1, x."ruleId", x.recipient from jsonb_to_recordset(${p}::jsonb) as x("ruleId" int, recipient text))`,
  // As the outbox's queueEmail writes them (queued, due now); their ids are the statement's rows.
  emails: (p) => `emails as (
    insert into outbound_emails (tenant_id, kind, to_address, to_name, subject, text_body, html_body, credential_target, auto_submitted, ticket_id, contact_id)
    select $1, x.kind, x.to_address, x.to_name, x.subject, x.text_body, x.html_body, x.credential_target, x.auto_submitted, x.ticket_id, x.contact_id
      from rows from (jsonb_to_recordset(${p}::jsonb) as (kind text, to_address text, to_name text, subject text, text_body text, html_body text,
             credential_target jsonb, auto_submitted boolean, ticket_id int, contact_id int)) with ordinality
           as x(kind, to_address, to_name, subject, text_body, html_body, credential_target, auto_submitted, ticket_id, contact_id, n)
     order by x.n
    returning id)`,
  audits: (p) => `audits as (
    insert into audit_events (tenant_id, actor_kind, actor_id, actor_name, action, subject_type, subject_id, details)
    select $1, x.actor_kind, x.actor_id, x.actor_name, x.action, x.subject_type, x.subject_id, x.details
      from jsonb_to_recordset(${p}::jsonb) as x(actor_kind text, actor_id int, actor_name text, action text, subject_type text, subject_id int, details jsonb))`,
  misses: (p) => `misses as (insert into ticket_rule_misses (tenant_id, ticket_id, event, rule_ids) select $1, $2, $3, ${p}::int[])`,
  // The waiting period's key (null for a ticket event) is the runs' second parameter.
  runs: (p) => `runs as (
    insert into ticket_rule_runs (tenant_id, rule_id, ticket_id, event, event_key, outcome, conditions, actions, error)
    select $1, x.rule_id, $2, $3, $4, x.outcome, x.conditions, x.actions, x.error
      from rows from (jsonb_to_recordset(${p}::jsonb) as (rule_id int, outcome text, conditions jsonb, actions jsonb, error text)) with ordinality as x(rule_id, outcome, conditions, actions, error, n)
     order by x.n)`,
};
const ORDER = Object.keys(PARTS) as Part[];

// An event no rule ran for: deleted, nothing else.
const DONE = 'delete from ticket_rule_events where tenant_id = $1 and id = $2';

/** The statement writing these parts ($4 the waiting period's key, then one parameter each, in ORDER), made once per combination. */
const statements = new Map<string, string>();
function statementOf(parts: Part[]): string {
  const key = parts.join(' ');
  let text = statements.get(key);
  if (!text) {
    // (typed: the first four parameters go with every statement, not every part reads them all)
    const ctes = ['typed as (select $1::int, $2::int, $3::text, $4::text)', ...parts.map((part, i) => PARTS[part](`$${i + 5}`))];
    text = `with ${ctes.join(',\n  ')}\n  select ${parts.includes('emails') ? 'id from emails' : 'null::int as id where false'}`;
    statements.set(key, text);
  }
  return text;
}

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
  const values: Partial<Record<Part, unknown>> = {};
  if (queuedEventId !== undefined) values.done = queuedEventId;
  if (writes) {
    const changed = Object.keys(writes.ticket).length > 0 || writes.notes.length > 0;
    if (changed) {
      values.changed = JSON.stringify({ status: writes.ticket.status ?? null, priority: writes.ticket.priority ?? null, type: writes.ticket.type ?? null, assignee_id: writes.ticket.assigneeId ?? null });
    }
    if (writes.history.length) values.history = JSON.stringify(writes.history);
    if (writes.notes.length) values.notes = JSON.stringify(writes.notes);
    if (writes.pointers.length) values.turns = JSON.stringify(Object.fromEntries(writes.pointers.map((t) => [t.actionId, t.technicianId])));
    if (writes.sends.length) values.sends = JSON.stringify(writes.sends);
    if (writes.emails.length) values.emails = JSON.stringify(writes.emails);
    if (writes.audits.length) values.audits = JSON.stringify(writes.audits);
  }
  if (missed.length) values.misses = intArray(missed);
  if (runs.length) values.runs = JSON.stringify(runs);
  const parts = ORDER.filter((part) => part in values);
  const emails = await work.sql.query<{ id: number }>(statementOf(parts),
    [work.tenantId, event.ticketId, event.type, event.eventKey ?? null, ...parts.map((part) => values[part])]);
  if (emails.length) dispatchAfterCommit(work.tenantId, emails.map((e) => e.id));
}
