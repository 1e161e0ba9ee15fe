// The rules list and the runs shown on a rule's page (a ticket's: domain/ticket/ticket-page.ts), as plain rows through
// prepared SQL (lists are SQL, records are entities). Scoped by hand to the unit of work's
// tenant; RLS holds beneath.
import type { Sql } from '../../db/sql.js';
import type { ActionResult, ConditionResult, RunOutcome } from './rule.js';
import type { RuleTrigger } from './vocabulary.js';

/** Over how many days the list counts how often each rule applied. */
export const APPLIED_DAYS = 30;

/** How many runs a rule's page and a ticket's history show. */
export const RUNS_SHOWN = 20;

export interface RuleRow {
  id: number; position: number; name: string; description: string; trigger: RuleTrigger; triggerHours: number | null;
  ignoreFlow: boolean; active: boolean; applied: number; lastApplied: Date | null;
}

/**
 * Every rule of the workspace in order, with how many times it applied (wholly or in part)
 * in the last APPLIED_DAYS days and when it last did — one statement.
 */
export async function listRules(sql: Sql): Promise<RuleRow[]> {
  const rows = await sql.query<{
    id: number; position: number; name: string; description: string; trigger: RuleTrigger; trigger_hours: number | null;
    ignore_flow: boolean; active: boolean; applied: number; last_applied: Date | null;
  }>(
    `select r.id, r.position, r.name, r.description, r.trigger, r.trigger_hours, r.ignore_flow, r.active,
       coalesce(a.applied, 0)::int as applied, a.last_applied
     from ticket_rules r
     left join lateral (
       select count(*) filter (where u.created_at > now() - make_interval(days => $2)) as applied, max(u.created_at) as last_applied
       from ticket_rule_runs u
       where u.tenant_id = r.tenant_id and u.rule_id = r.id and u.outcome in ('applied', 'partly_applied')
     ) a on true
     where r.tenant_id = $1
     order by r.position, r.id`,
    [sql.tenantId, APPLIED_DAYS]);
  return rows.map((r) => ({
    id: r.id, position: r.position, name: r.name, description: r.description, trigger: r.trigger, triggerHours: r.trigger_hours,
    ignoreFlow: r.ignore_flow, active: r.active, applied: r.applied, lastApplied: r.last_applied === null ? null : new Date(r.last_applied),
  }));
}

export interface RunRow {
  id: number; ruleId: number; ruleName: string; ticketNumber: number; ticketTitle: string; event: string;
  outcome: RunOutcome; conditions: ConditionResult[]; actions: ActionResult[]; failed: boolean; createdAt: Date;
}

type RunRecord = {
  id: number; rule_id: number; rule_name: string; ticket_number: number; ticket_title: string; event: string;
  outcome: RunOutcome; conditions: ConditionResult[]; actions: ActionResult[]; error: string | null; created_at: Date;
};

const RUN_COLUMNS = `u.id, u.rule_id, r.name as rule_name, t.number as ticket_number, t.title as ticket_title, u.event,
  u.outcome, u.conditions, u.actions, u.error, u.created_at`;

// The error text is for the log, not for the page: a failed run says it failed, in the reader's words.
const runRow = (r: RunRecord): RunRow => ({
  id: r.id, ruleId: r.rule_id, ruleName: r.rule_name, ticketNumber: r.ticket_number, ticketTitle: r.ticket_title, event: r.event,
  outcome: r.outcome, conditions: r.conditions ?? [], actions: r.actions ?? [], failed: r.error !== null, createdAt: new Date(r.created_at),
});

/** How many of the workspace's latest misses a rule's page looks through for its own (a bounded read, however old the workspace). */
export const MISSES_SEARCHED = 5000;

/**
 * A rule's latest runs, newest first: its runs, and the ticket events its conditions did
 * not hold for (ticket_rule_misses, one row per event naming every such rule) as
 * "not matched" runs, among the workspace's latest MISSES_SEARCHED events.
 */
export async function runsOfRule(sql: Sql, ruleId: number, limit = RUNS_SHOWN): Promise<RunRow[]> {
  const rows = await sql.query<RunRecord>(
    `select * from (
       (select ${RUN_COLUMNS}
          from ticket_rule_runs u
          join ticket_rules r on r.tenant_id = u.tenant_id and r.id = u.rule_id
          join tickets t on t.tenant_id = u.tenant_id and t.id = u.ticket_id
         where u.tenant_id = $1 and u.rule_id = $2
         order by u.created_at desc, u.id desc limit $3)
       union all
       (select m.id, $2 as rule_id, r.name as rule_name, t.number as ticket_number, t.title as ticket_title, m.event,
               'not_matched' as outcome, '[]'::jsonb as conditions, '[]'::jsonb as actions, null as error, m.created_at
          from (select * from ticket_rule_misses where tenant_id = $1 order by created_at desc limit $4) m
          join ticket_rules r on r.tenant_id = m.tenant_id and r.id = $2
          join tickets t on t.tenant_id = m.tenant_id and t.id = m.ticket_id
         where $2 = any(m.rule_ids)
         order by m.created_at desc, m.id desc limit $3)
     ) x
     order by created_at desc, id desc limit $3`,
    [sql.tenantId, ruleId, limit, MISSES_SEARCHED]);
  return rows.map(runRow);
}

