// The rules engine: for one ticket event, the workspace's active rules of its trigger
// (kept in memory between events, read again when they change: cache.ts), the ticket's
// facts and what the rules' actions need besides (one statement: facts.ts), every
// condition evaluated in memory, and the actions of the rules that match applied in
// rule order, acting as each rule (its changes are "by rule X" in the ticket's history,
// and the events they raise fire no rules: see queue.ts). What they change is gathered
// and written with the runs in one statement (writes.ts), the outbox's emails too.
//
// Order and Ignore Flow: the first rule is dominant. An action takes hold of what it
// changes (a field, or a recipient's mailbox: vocabulary.ts `fieldHeldBy`); a later
// rule's action on something an earlier rule already took hold of in this run is
// skipped as "overridden by rule X" (the rule whose action stands), unless the later
// rule ignores the flow. Conditions are read on the ticket as the event left it.
//
// A matching rule that throws is recorded as failed and nothing it did is kept (its
// writes, its emails, its domain events and its changes to the engine's view of the
// ticket are dropped: none reached the database yet); the rules after it still run.
// Every evaluated rule is a TicketRuleRun (one insert for all of them).
import { wrap } from '@mikro-orm/core';
import { current } from '../../current.js';
import type { Em } from '../../db/orm.js';
import type { TenantWork } from '../../db/unit-of-work.js';
import { actingAs } from '../actor.js';
import type { Ticket } from '../ticket/ticket.js';
import { needsOf, noWrites, plan, type PlanContext, type Step, type TemplateFacts, type Writes } from './actions.js';
import { activeRules, type RuleShape } from './cache.js';
import { allHold, compileConditions, FactsView, resultsOf } from './conditions.js';
import { eventFacts, intArray, queryOf, type EventFacts, type Query } from './facts.js';
import type { ActionResult, ConditionResult, RunOutcome, TicketRule } from './rule.js';
import type { RuleTrigger } from './vocabulary.js';
import type { RunRow } from './writes.js';

export type { RuleShape } from './cache.js';
export { recordRuns, type RunRow } from './writes.js';

/** A rule entity (the editor's) as the engine reads it. */
async function shapeOf(em: Em, rule: TicketRule): Promise<RuleShape> {
  if (!rule.conditions.isInitialized() || !rule.actions.isInitialized()) await em.populate(rule, ['conditions', 'actions']);
  const conditions = rule.conditions.getItems().map((c) => ({ property: c.property, operator: c.operator, value: c.value ?? null }));
  return {
    id: rule.id, name: rule.name, ignoreFlow: rule.ignoreFlow, trigger: rule.trigger, triggerHours: rule.triggerHours ?? null,
    conditions, compiled: compileConditions(conditions),
    actions: rule.actions.getItems().map((a) => ({
      id: a.id, kind: a.kind, value: a.value ?? null,
      templateId: a.template ? wrap(a.template, true).getPrimaryKey() as number : null,
      technicianId: a.technician ? wrap(a.technician, true).getPrimaryKey() as number : null,
      lastTechnicianId: a.lastTechnician ? wrap(a.lastTechnician, true).getPrimaryKey() as number : null,
    })),
  };
}

/** The templates the email actions of these rules send (the dry run's rule is read without them): one query. */
async function templatesOf(query: Query, tenantId: number, rules: RuleShape[]): Promise<Map<number, TemplateFacts>> {
  const ids = [...new Set(rules.flatMap((r) => r.actions.map((a) => a.templateId).filter((t): t is number => t !== null)))];
  if (!ids.length) return new Map();
  const rows = await query<TemplateFacts>('select id, name, subject, body from email_templates where tenant_id = $1 and id = any($2::int[])', [tenantId, intArray(ids)]);
  return new Map(rows.map((r) => [r.id, r]));
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
  const loaded = await eventFacts(query, tenantId, ticket.id, needsOf([shape]));
  if (!loaded) throw new Error(`Ticket ${ticket.id} is not in the workspace`);
  const { facts, ...data } = loaded;
  const view = new FactsView(facts);
  const conditions = resultsOf(shape.compiled, view);
  const matched = conditions.every((c) => c.held);
  const actions: ActionResult[] = [];
  const ctx: PlanContext = {
    tenantId, ruleId: shape.id, ruleName: shape.name, facts: { ...facts }, data, automatic: facts.automatic, templates: await templatesOf(query, tenantId, [shape]),
  };
  for (const action of shape.actions) {
    for (const step of plan(ctx, action)) actions.push(step.result);
  }
  return { matched, conditions, actions };
}
/** A not-matched run of a ticket event is recorded as its rule's id among the event's misses (writes.ts), without its conditions. */
const NOT_RECORDED: ConditionResult[] = [];

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

function outcomeOf(results: ActionResult[]): RunOutcome {
  const applied = results.filter((r) => r.result === 'applied').length;
  if (applied === 0) return 'skipped';
  return applied === results.length ? 'applied' : 'partly_applied';
}

/** What one event's rules share while they run: who holds what (Ignore Flow), the ticket and its data as they leave them. */
interface RunState {
  held: Map<string, string>;
  loaded: EventFacts;
}

/** One matching rule's actions, in order, acting as the rule, into `out`; its holds are the run's once it is through. */
function applyRule(rule: RuleShape, state: RunState, out: Writes, base: Pick<PlanContext, 'tenantId' | 'automatic'>): ActionResult[] {
  return actingAs({ kind: 'rule', id: rule.id, name: rule.name }, () => {
    const taken: string[] = [];
    const results: ActionResult[] = [];
    const { facts, ...data } = state.loaded;
    const ctx: PlanContext = { ...base, ruleId: rule.id, ruleName: rule.name, facts, data };
    for (const action of rule.actions) {
      for (const step of plan(ctx, action)) results.push(take(rule, step, state.held, taken, out));
    }
    for (const hold of taken) state.held.set(hold, rule.name);
    return results;
  });
}

const failedRun = (rule: RuleShape, conditions: ConditionResult[], error: unknown): RunRow => ({
  rule_id: rule.id, outcome: 'failed', conditions, error: (error instanceof Error ? error.message : String(error)).slice(0, 2000),
  actions: rule.actions.map((a): ActionResult => ({ kind: a.kind, result: 'failed', reason: 'ruleEngine.reason.ruleFailed' })),
});

/** The engine's view, copied before a rule runs, so a rule that throws leaves it as it found it. */
function copyOf(loaded: EventFacts): EventFacts {
  return { ...loaded, facts: { ...loaded.facts }, sends: new Map(loaded.sends), lastAssigned: new Map(loaded.lastAssigned) };
}

function merge(into: Writes, from: Writes): void {
  Object.assign(into.ticket, from.ticket);
  into.history.push(...from.history);
  into.notes.push(...from.notes);
  into.pointers.push(...from.pointers);
  into.sends.push(...from.sends);
  into.emails.push(...from.emails);
  into.audits.push(...from.audits);
}

/**
 * Runs the rules `triggers` names for one event, in `work` (the caller's unit of work):
 * returns their runs and what they wrote, their emails among it, for `recordRuns`.
 * `rulesVersion` is the workspace's rules version read in this transaction (cache.ts);
 * `prefetched`, the event's facts read with it for the rules kept at that very version.
 */
export async function runRules(work: TenantWork, triggers: readonly RuleTrigger[], event: RuleEvent, rulesVersion?: string | null, prefetched?: { loaded: EventFacts | null }): Promise<{ runs: RunRow[]; writes: Writes }> {
  const query = queryOf(work.sql);
  const { tenantId } = work;
  const writes = noWrites();
  let rules = await activeRules(query, tenantId, triggers, rulesVersion);
  if (event.ruleIds) rules = rules.filter((r) => event.ruleIds!.includes(r.id));
  if (event.eventKey && rules.length) {
    // A waiting period fires each rule once.
    const ran = await query<{ rule_id: number }>('select rule_id from ticket_rule_runs where tenant_id = $1 and ticket_id = $2 and event_key = $3', [tenantId, event.ticketId, event.eventKey]);
    rules = rules.filter((r) => !ran.some((x) => x.rule_id === r.id));
  }
  if (!rules.length) return { runs: [], writes };
  // Read with the event when the rules kept then are the ones that run (queue.ts), else now.
  const loaded = prefetched ? prefetched.loaded : await eventFacts(query, tenantId, event.ticketId, needsOf(rules));
  if (!loaded) return { runs: [], writes };
  const snapshot = { ...loaded.facts };
  // Conditions are read on the ticket as the event left it; what each found is recorded for the rules that match (and every rule of a waiting period).
  const view = new FactsView(snapshot);
  const keyed = Boolean(event.eventKey);
  const evaluated: Array<{ rule: RuleShape; matched: boolean; conditions: ConditionResult[] }> = [];
  const matching: typeof evaluated = [];
  for (const rule of rules) {
    const matched = allHold(rule.compiled, view);
    const one = { rule, matched, conditions: matched || keyed ? resultsOf(rule.compiled, view) : NOT_RECORDED };
    evaluated.push(one);
    if (matched) matching.push(one);
  }
  // The rules kept in memory carry their templates (cache.ts).
  const base = { tenantId, automatic: snapshot.automatic || event.payload.automatic === true };
  const state: RunState = { held: new Map(), loaded };
  const events = current()?.events;
  const outcomes = new Map<number, RunRow>();
  for (const { rule, conditions } of matching) {
    const before = { loaded: copyOf(state.loaded), held: new Map(state.held), raised: events?.length ?? 0 };
    const out = noWrites();
    try {
      const results = applyRule(rule, state, out, base);
      merge(writes, out);
      outcomes.set(rule.id, { rule_id: rule.id, outcome: outcomeOf(results), conditions, actions: results, error: null });
    } catch (error) {
      // Nothing it did reached the database: its writes are dropped, and so are its changes to the engine's view and its events.
      state.loaded = before.loaded;
      state.held = before.held;
      events?.splice(before.raised);
      outcomes.set(rule.id, failedRun(rule, conditions, error));
    }
  }
  const runs = evaluated.map(({ rule, conditions }): RunRow => outcomes.get(rule.id) ?? { rule_id: rule.id, outcome: 'not_matched', conditions, actions: [], error: null });
  return { runs, writes };
}

/** One step, unless an earlier rule holds what it takes (and this one does not ignore the flow). */
function take(rule: RuleShape, step: Step, held: Map<string, string>, taken: string[], out: Writes): ActionResult {
  const holder = step.hold ? held.get(step.hold) : undefined;
  if (step.result.result === 'would_apply' && holder && !rule.ignoreFlow) {
    return { ...step.result, result: 'skipped', reason: 'ruleEngine.reason.overridden', params: { rule: holder } };
  }
  if (step.result.result === 'skipped') {
    // An already-set field is still this rule's, unless an earlier one holds it.
    if (step.hold && !holder) taken.push(step.hold);
    return step.result;
  }
  step.apply!(out);
  if (step.hold) taken.push(step.hold);
  return { ...step.result, result: 'applied' };
}
