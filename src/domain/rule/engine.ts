// The rules engine: for one ticket event, the workspace's active rules of its trigger
// (read once, with their conditions and actions, in one query), the ticket's facts
// (once), every condition evaluated in memory, and the actions of the rules that match
// applied in rule order, acting as each rule (its changes are "by rule X" in the
// ticket's history, and the events they raise fire no rules: see queue.ts).
//
// Order and Ignore Flow: the first rule is dominant. An action takes hold of what it
// changes (a field, or a recipient's mailbox: vocabulary.ts `fieldHeldBy`); a later
// rule's action on something an earlier rule already took hold of in this run is
// skipped as "overridden by rule X" (the rule whose action stands), unless the later
// rule ignores the flow. Conditions are read on the ticket as the event left it.
//
// Each matching rule applies in a savepoint: one that throws is recorded as failed,
// what it did is undone, and the rules after it still run. Every evaluated rule is a
// TicketRuleRun (one insert for all of them).
import { wrap } from '@mikro-orm/core';
import type { Em } from '../../db/orm.js';
import type { TenantWork } from '../../db/unit-of-work.js';
import { actingAs } from '../actor.js';
import type { Ticket } from '../ticket/ticket.js';
import { plan, type ActionShape, type PlanCache, type PlanContext, type Step } from './actions.js';
import { evaluateConditions } from './conditions.js';
import { queryOf, ticketFacts, type Query, type TicketFacts } from './facts.js';
import type { ActionResult, ConditionResult, RunOutcome, TicketRule } from './rule.js';
import type { ConditionValue, RuleOperator, RuleProperty, RuleTrigger } from './vocabulary.js';

export interface RuleShape {
  id: number;
  name: string;
  ignoreFlow: boolean;
  trigger: RuleTrigger;
  triggerHours: number | null;
  conditions: Array<{ property: RuleProperty; operator: RuleOperator; value: ConditionValue }>;
  actions: ActionShape[];
}

const RULES = `select r.id, r.name, r.ignore_flow as "ignoreFlow", r.trigger, r.trigger_hours as "triggerHours",
    coalesce((select json_agg(json_build_object('property', c.property, 'operator', c.operator, 'value', c.value) order by c.position, c.id)
      from ticket_rule_conditions c where c.tenant_id = r.tenant_id and c.rule_id = r.id), '[]') as conditions,
    coalesce((select json_agg(json_build_object('id', a.id, 'kind', a.kind, 'templateId', a.template_id, 'technicianId', a.technician_id,
        'value', a.value, 'lastTechnicianId', a.last_technician_id) order by a.position, a.id)
      from ticket_rule_actions a where a.tenant_id = r.tenant_id and a.rule_id = r.id), '[]') as actions
  from ticket_rules r
  where r.tenant_id = $1 and r.active and r.trigger = any($2::text[])
  order by r.position, r.id`;

/** The active rules of these triggers, in order, with their conditions and actions: one query. */
export function activeRules(query: Query, tenantId: number, triggers: readonly RuleTrigger[]): Promise<RuleShape[]> {
  return query<RuleShape>(RULES, [tenantId, triggers]);
}

/** A rule entity (the editor's) as the engine reads it. */
async function shapeOf(em: Em, rule: TicketRule): Promise<RuleShape> {
  if (!rule.conditions.isInitialized() || !rule.actions.isInitialized()) await em.populate(rule, ['conditions', 'actions']);
  return {
    id: rule.id, name: rule.name, ignoreFlow: rule.ignoreFlow, trigger: rule.trigger, triggerHours: rule.triggerHours ?? null,
    conditions: rule.conditions.getItems().map((c) => ({ property: c.property, operator: c.operator, value: c.value ?? null })),
    actions: rule.actions.getItems().map((a) => ({
      id: a.id, kind: a.kind, value: a.value ?? null,
      templateId: a.template ? wrap(a.template, true).getPrimaryKey() as number : null,
      technicianId: a.technician ? wrap(a.technician, true).getPrimaryKey() as number : null,
      lastTechnicianId: a.lastTechnician ? wrap(a.lastTechnician, true).getPrimaryKey() as number : null,
    })),
  };
}

/**
 * A dry run of `rule` on `ticket` (both loaded through the tenant): which conditions
 * hold, and what each action would do ('would_apply') or why not ('skipped'). Changes
 * nothing: no email, no field, no run recorded, no send counted.
 */
export async function testRule(em: Em, rule: TicketRule, ticket: Ticket): Promise<{ matched: boolean; conditions: ConditionResult[]; actions: ActionResult[] }> {
  const shape = await shapeOf(em, rule);
  const query = queryOf(em);
  const tenantId = wrap(ticket.tenant, true).getPrimaryKey() as number;
  const facts = await ticketFacts(query, tenantId, ticket.id);
  if (!facts) throw new Error(`Ticket ${ticket.id} is not in the workspace`);
  const { matched, conditions } = evaluateConditions(shape.conditions, facts);
  const actions: ActionResult[] = [];
  for (const action of shape.actions) {
    for (const step of await plan({ em, query, tenantId, ruleId: shape.id, facts: { ...facts }, automatic: facts.automatic, cache: {} }, action)) actions.push(step.result);
  }
  return { matched, conditions, actions };
}

/** One event for the engine: a queued ticket event (queue.ts), or the time trigger's. */
export interface RuleEvent {
  ticketId: number;
  type: string;
  /** The event as raised, less its type, ticket and origin (automatic, from, to…). */
  payload: Record<string, unknown>;
  /** The time-based trigger: the rules that are due, and the waiting period's key. */
  ruleIds?: number[];
  eventKey?: string | null;
}

export interface RunRow { rule_id: number; outcome: RunOutcome; conditions: ConditionResult[]; actions: ActionResult[]; error: string | null }

function outcomeOf(results: ActionResult[]): RunOutcome {
  const applied = results.filter((r) => r.result === 'applied').length;
  if (applied === 0) return 'skipped';
  return applied === results.length ? 'applied' : 'partly_applied';
}

/** What one event's rules share while they run: who holds what (Ignore Flow), the ticket as they leave it. */
interface RunState {
  held: Map<string, string>;
  facts: TicketFacts;
  cache: PlanCache;
}

/** One matching rule's actions, in order, acting as the rule; its holds are the run's once it is through. */
async function applyRule(em: Em, rule: RuleShape, state: RunState, base: Omit<PlanContext, 'em' | 'query' | 'ruleId' | 'facts' | 'cache'>): Promise<ActionResult[]> {
  return actingAs({ kind: 'rule', id: rule.id, name: rule.name }, async () => {
    const taken: string[] = [];
    const results: ActionResult[] = [];
    const ctx: PlanContext = { ...base, em, query: queryOf(em), ruleId: rule.id, facts: state.facts, cache: state.cache };
    for (const action of rule.actions) {
      for (const step of await plan(ctx, action)) results.push(await take(em, rule, step, state.held, taken));
    }
    for (const hold of taken) state.held.set(hold, rule.name);
    return results;
  });
}

const failedRun = (rule: RuleShape, conditions: ConditionResult[], error: unknown): RunRow => ({
  rule_id: rule.id, outcome: 'failed', conditions, error: (error instanceof Error ? error.message : String(error)).slice(0, 2000),
  actions: rule.actions.map((a): ActionResult => ({ kind: a.kind, result: 'failed', reason: 'ruleEngine.reason.ruleFailed' })),
});

/**
 * Runs the rules `triggers` names for one event, in `work` (the caller's unit of work),
 * and returns their runs for `recordRuns`. The matching rules' actions run in one
 * savepoint; when one throws, that is undone and they run again each in its own, so
 * the one that throws is recorded as failed with nothing it did kept, and the others
 * apply (one savepoint per event, not per rule, when nothing fails).
 */
export async function runRules(work: TenantWork, triggers: readonly RuleTrigger[], event: RuleEvent): Promise<RunRow[]> {
  const query = queryOf(work.sql);
  const { tenantId } = work;
  let rules = await activeRules(query, tenantId, triggers);
  if (event.ruleIds) rules = rules.filter((r) => event.ruleIds!.includes(r.id));
  if (event.eventKey && rules.length) {
    // A waiting period fires each rule once.
    const ran = await query<{ rule_id: number }>('select rule_id from ticket_rule_runs where tenant_id = $1 and ticket_id = $2 and event_key = $3', [tenantId, event.ticketId, event.eventKey]);
    rules = rules.filter((r) => !ran.some((x) => x.rule_id === r.id));
  }
  if (!rules.length) return [];
  const snapshot = await ticketFacts(query, tenantId, event.ticketId);
  if (!snapshot) return [];
  const now = new Date();
  const memo = new Map();
  const evaluated = rules.map((rule) => ({ rule, ...evaluateConditions(rule.conditions, snapshot, now, memo) }));
  const matching = evaluated.filter((e) => e.matched);
  const base = { tenantId, automatic: snapshot.automatic || event.payload.automatic === true };
  // The engine's own view of the ticket as the rules change it; conditions read the snapshot.
  const fresh = (): RunState => ({ held: new Map(), facts: { ...snapshot }, cache: {} });
  const outcomes = new Map<number, RunRow>();
  if (matching.length) {
    try {
      const state = fresh();
      await work.savepoint(async (em) => {
        for (const { rule, conditions } of matching) {
          const results = await applyRule(em, rule, state, base);
          outcomes.set(rule.id, { rule_id: rule.id, outcome: outcomeOf(results), conditions, actions: results, error: null });
        }
        await em.flush();
      });
    } catch {
      outcomes.clear();
      work.em.clear();
      const state = fresh();
      for (const { rule, conditions } of matching) {
        const before = { facts: { ...state.facts }, held: new Map(state.held) };
        try {
          const results = await work.savepoint(async (em) => {
            const done = await applyRule(em, rule, state, base);
            await em.flush();
            return done;
          });
          outcomes.set(rule.id, { rule_id: rule.id, outcome: outcomeOf(results), conditions, actions: results, error: null });
        } catch (error) {
          // Its writes are undone: so are its changes to what the engine holds of the ticket.
          state.facts = Object.assign(state.facts, before.facts);
          state.held = before.held;
          work.em.clear();
          outcomes.set(rule.id, failedRun(rule, conditions, error));
        }
      }
    }
  }
  await work.flush();
  return evaluated.map(({ rule, conditions }) => outcomes.get(rule.id) ?? { rule_id: rule.id, outcome: 'not_matched', conditions, actions: [], error: null });
}

/** Writes the runs of an event (one statement), deleting the queued event it was in the same one. */
export async function recordRuns(work: TenantWork, event: RuleEvent, runs: RunRow[], queuedEventId?: number): Promise<void> {
  await work.sql.query(
    `with done as (delete from ticket_rule_events where tenant_id = $1 and id = $6)
     insert into ticket_rule_runs (tenant_id, rule_id, ticket_id, event, event_key, outcome, conditions, actions, error)
     select $1, x.rule_id, $2, $3, $4, x.outcome, x.conditions, x.actions, x.error
       from rows from (jsonb_to_recordset($5::jsonb) as (rule_id int, outcome text, conditions jsonb, actions jsonb, error text)) with ordinality as x(rule_id, outcome, conditions, actions, error, n)
      order by x.n`,
    [work.tenantId, event.ticketId, event.type, event.eventKey ?? null, JSON.stringify(runs), queuedEventId ?? null]);
}

/** One step, unless an earlier rule holds what it takes (and this one does not ignore the flow). */
async function take(em: Em, rule: RuleShape, step: Step, held: Map<string, string>, taken: string[]): Promise<ActionResult> {
  const holder = step.hold ? held.get(step.hold) : undefined;
  if (step.result.result === 'would_apply' && holder && !rule.ignoreFlow) {
    return { ...step.result, result: 'skipped', reason: 'ruleEngine.reason.overridden', params: { rule: holder } };
  }
  if (step.result.result === 'skipped') {
    // An already-set field is still this rule's, unless an earlier one holds it.
    if (step.hold && !holder) taken.push(step.hold);
    return step.result;
  }
  await step.apply!(em);
  if (step.hold) taken.push(step.hold);
  return { ...step.result, result: 'applied' };
}
