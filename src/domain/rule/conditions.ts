// A rule's conditions, evaluated in memory on a ticket's facts (facts.ts). All must
// hold; a rule without conditions takes every ticket of its trigger. Text compares
// without regard to case, surrounding spaces and Unicode normal form (comparableText).
import type { ConditionResult, TicketRuleCondition } from './rule.js';
import type { TicketFacts } from './facts.js';
import { comparableText, PROPERTIES, OPERATORS_FOR, type ConditionValue, type RuleOperator, type RuleProperty } from './vocabulary.js';

type Actual = string | number | null;

/** What the ticket has for a property, as the run records it (the text as written). */
export function actualOf(property: RuleProperty, facts: TicketFacts, now: Date): Actual {
  switch (property) {
    case 'title': return facts.title;
    case 'description': return facts.description;
    case 'status': return facts.status;
    case 'priority': return facts.priority;
    case 'type': return facts.type;
    case 'source': return facts.source;
    case 'customer': return facts.customerId;
    case 'customer_name': return facts.customerName;
    case 'contact_name': return facts.contactName;
    case 'contact_email': return facts.contactEmail;
    case 'contact_email_domain': return facts.contactEmail.includes('@') ? facts.contactEmail.slice(facts.contactEmail.lastIndexOf('@') + 1) : '';
    case 'support_address': return facts.supportAddress;
    case 'assignee': return facts.assigneeId;
    case 'last_contact_comment': return facts.lastContactComment;
    case 'hours_since_created': return Math.floor((now.getTime() - facts.createdAt.getTime()) / 3_600_000);
  }
}

const list = (value: ConditionValue): Array<string | number> => (Array.isArray(value) ? [...value] : value === null ? [] : [value as string | number]);

function textHolds(operator: RuleOperator, actual: string, expected: string): boolean {
  switch (operator) {
    case 'equals': return actual === expected;
    case 'not_equals': return actual !== expected;
    case 'contains': return actual.includes(expected);
    case 'not_contains': return !actual.includes(expected);
    case 'starts_with': return actual.startsWith(expected);
    case 'ends_with': return actual.endsWith(expected);
    case 'is_empty': return actual === '';
    case 'is_not_empty': return actual !== '';
    default: return false;
  }
}

/** Enumerations and records compare exactly (records by id, whether stored as text or number). */
function choiceHolds(operator: RuleOperator, actual: Actual, value: ConditionValue): boolean {
  const same = (v: string | number) => actual !== null && String(v) === String(actual);
  switch (operator) {
    case 'equals': return list(value).length > 0 && same(list(value)[0]);
    case 'not_equals': return !(list(value).length > 0 && same(list(value)[0]));
    case 'is_one_of': return list(value).some(same);
    case 'is_empty': return actual === null;
    case 'is_not_empty': return actual !== null;
    default: return false;
  }
}

function numberHolds(operator: RuleOperator, actual: number, value: ConditionValue): boolean {
  const expected = Number(list(value)[0]);
  if (!Number.isFinite(expected)) return false;
  switch (operator) {
    case 'equals': return actual === expected;
    case 'greater_than': return actual > expected;
    case 'less_than': return actual < expected;
    default: return false;
  }
}

// Comparable text costs microseconds (Unicode normalisation, locale-aware case folding)
// and a hundred rules compare hundreds of values per event: the ticket's values are
// folded once per event, the rules' expected values once per process (a bounded memo).
const folded = new Map<string, string>();
function foldedExpected(value: string): string {
  let out = folded.get(value);
  if (out === undefined) {
    if (folded.size > 20_000) folded.clear();
    folded.set(value, out = comparableText(value));
  }
  return out;
}

/** The ticket's values folded for comparison: one per event (facts do not change under the conditions). */
export type Folded = Map<RuleProperty, string>;

function foldedActual(memo: Folded, property: RuleProperty, actual: Actual): string {
  let out = memo.get(property);
  if (out === undefined) memo.set(property, out = comparableText(actual === null ? null : String(actual)));
  return out;
}

/** One condition on the ticket; an operator that does not fit its property never holds. */
export function evaluateCondition(condition: Pick<TicketRuleCondition, 'property' | 'operator' | 'value'>, facts: TicketFacts, now: Date, memo: Folded = new Map()): ConditionResult {
  const { property, operator } = condition;
  const value = condition.value ?? null;
  const definition = PROPERTIES[property];
  const actual = definition ? actualOf(property, facts, now) : null;
  let held = false;
  if (definition && OPERATORS_FOR[definition.kind].includes(operator)) {
    if (definition.kind === 'text') held = textHolds(operator, foldedActual(memo, property, actual), foldedExpected(typeof value === 'string' ? value : list(value).map(String)[0] ?? ''));
    else if (definition.kind === 'number') held = numberHolds(operator, actual as number, value);
    else held = choiceHolds(operator, actual, value);
  }
  return { property, operator, value, actual, held };
}

/** Every condition evaluated (the run records them all), and whether all held. */
export function evaluateConditions(conditions: Iterable<Pick<TicketRuleCondition, 'property' | 'operator' | 'value'>>, facts: TicketFacts, now = new Date(), memo: Folded = new Map()): { matched: boolean; conditions: ConditionResult[] } {
  const results = [...conditions].map((c) => evaluateCondition(c, facts, now, memo));
  return { matched: results.every((r) => r.held), conditions: results };
}
