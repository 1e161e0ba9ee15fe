// A rule's conditions, evaluated in memory on a ticket's facts (facts.ts). All must
// hold; a rule without conditions takes every ticket of its trigger. Text compares
// without regard to case, surrounding spaces and Unicode normal form (comparableText).
// A hundred rules compare hundreds of values per event, so each condition is compiled
// once, when its rules are read (cache.ts): its expected value folded, or as the
// strings or number it is compared with. An event's facts are looked at through a
// FactsView, which folds each property's value once, the first time a condition asks.
// Whether a rule matches stops at its first condition that does not hold; what each
// condition found is worked out only for the runs recorded with it (`resultsOf`).
import type { ConditionResult, TicketRuleCondition } from './rule.js';
import type { TicketFacts } from './facts.js';
import {
  comparableText, PROPERTIES, OPERATORS_FOR, type ConditionValue, type PropertyKind, type RuleOperator, type RuleProperty,
} from './vocabulary.js';

type Actual = string | number | null;
type ConditionShape = Pick<TicketRuleCondition, 'property' | 'operator' | 'value'>;

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

/** A condition ready to evaluate: compiled once per rule set, never changed after. */
export interface CompiledCondition {
  readonly property: RuleProperty;
  readonly operator: RuleOperator;
  readonly value: ConditionValue;
  /** The property's kind, or null when the operator does not fit it (or the property is unknown): it never holds. */
  readonly kind: PropertyKind | null;
  /** Text: the expected value folded. */
  readonly text: string;
  /** Enumerations and records: the expected values as strings (records by id, stored as text or number). */
  readonly choices: readonly string[];
  /** Numbers: the expected number (NaN never holds). */
  readonly number: number;
}

export function compileCondition(condition: ConditionShape): CompiledCondition {
  const { property, operator } = condition;
  const value = condition.value ?? null;
  const definition = PROPERTIES[property] as { kind: PropertyKind } | undefined;
  const kind = definition && OPERATORS_FOR[definition.kind].includes(operator) ? definition.kind : null;
  const values = list(value);
  return {
    property, operator, value, kind,
    text: kind === 'text' ? comparableText(typeof value === 'string' ? value : values.length ? String(values[0]) : '') : '',
    choices: values.map(String),
    number: kind === 'number' ? Number(values[0]) : NaN,
  };
}

export function compileConditions(conditions: Iterable<ConditionShape>): CompiledCondition[] {
  return Array.from(conditions, compileCondition);
}

/** One event's facts as the conditions read them: each property's value, and its folded text, worked out once. */
export class FactsView {
  readonly #actual = new Map<RuleProperty, Actual>();
  readonly #folded = new Map<RuleProperty, string>();
  readonly #string = new Map<RuleProperty, string | null>();

  constructor(readonly facts: TicketFacts, readonly now: Date = new Date()) {}

  actual(property: RuleProperty): Actual {
    if (!this.#actual.has(property)) this.#actual.set(property, actualOf(property, this.facts, this.now));
    return this.#actual.get(property)!;
  }

  folded(property: RuleProperty): string {
    let out = this.#folded.get(property);
    if (out === undefined) {
      const actual = this.actual(property);
      this.#folded.set(property, out = comparableText(actual === null ? null : String(actual)));
    }
    return out;
  }

  /** The value as a choice compares it: a string, or null when there is none. */
  choice(property: RuleProperty): string | null {
    let out = this.#string.get(property);
    if (out === undefined) {
      const actual = this.actual(property);
      this.#string.set(property, out = actual === null ? null : String(actual));
    }
    return out;
  }
}

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
function choiceHolds(operator: RuleOperator, actual: string | null, choices: readonly string[]): boolean {
  switch (operator) {
    case 'equals': return actual !== null && choices.length > 0 && choices[0] === actual;
    case 'not_equals': return !(actual !== null && choices.length > 0 && choices[0] === actual);
    case 'is_one_of': return actual !== null && choices.includes(actual);
    case 'is_empty': return actual === null;
    case 'is_not_empty': return actual !== null;
    default: return false;
  }
}

function numberHolds(operator: RuleOperator, actual: number, expected: number): boolean {
  if (!Number.isFinite(expected)) return false;
  switch (operator) {
    case 'equals': return actual === expected;
    case 'greater_than': return actual > expected;
    case 'less_than': return actual < expected;
    default: return false;
  }
}

/** Does one compiled condition hold on the ticket; an operator that does not fit its property never does. */
export function holds(condition: CompiledCondition, view: FactsView): boolean {
  switch (condition.kind) {
    case null: return false;
    case 'text': return textHolds(condition.operator, view.folded(condition.property), condition.text);
    case 'number': return numberHolds(condition.operator, view.actual(condition.property) as number, condition.number);
    default: return choiceHolds(condition.operator, view.choice(condition.property), condition.choices);
  }
}

/** Do all the conditions hold (stops at the first that does not). */
export function allHold(conditions: readonly CompiledCondition[], view: FactsView): boolean {
  for (const condition of conditions) if (!holds(condition, view)) return false;
  return true;
}

/** Every condition as evaluated, for the run that records them. */
export function resultsOf(conditions: readonly CompiledCondition[], view: FactsView): ConditionResult[] {
  return conditions.map((c) => ({ property: c.property, operator: c.operator, value: c.value, actual: PROPERTIES[c.property] ? view.actual(c.property) : null, held: holds(c, view) }));
}

/** Every condition evaluated (the run records them all), and whether all held. */
export function evaluateConditions(conditions: Iterable<ConditionShape>, facts: TicketFacts, now = new Date()): { matched: boolean; conditions: ConditionResult[] } {
  const compiled = compileConditions(conditions);
  const results = resultsOf(compiled, new FactsView(facts, now));
  return { matched: results.every((r) => r.held), conditions: results };
}
