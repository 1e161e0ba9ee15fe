// The verbs of a rule's conditions: add, change, remove, each checked against the vocabulary
// (the operator must fit the property, the value its kind) and against this workspace's
// own customers and technicians (another workspace's id is refused like an unknown one).
import { raw } from '@mikro-orm/core';
import type { Em } from '../../db/orm.js';
import { parseId } from '../../lib/parse.js';
import { Checker, text, type Message } from '../../lib/validation.js';
import { audit } from '../audit/audit-event.js';
import { Customer } from '../customer/customer.js';
import { Technician } from '../technician/technician.js';
import type { Tenant } from '../tenant/tenant.js';
import { isOneOf, many, VALUE_MAX } from './editing.js';
import { TicketRuleCondition, type TicketRule } from './rule.js';
import { OPERATORS_FOR, PROPERTIES, VALUELESS, type ConditionValue, type RuleOperator, type RuleProperty } from './vocabulary.js';
import { OPERATOR_LABEL, PROPERTY_LABEL } from './words.js';

export interface ConditionInput { property?: unknown; operator?: unknown; value?: unknown; values?: unknown }

const operatorUnfit = (property: RuleProperty, operator: RuleOperator): Message =>
  ({ key: 'rules.errors.operatorUnfit', params: { operator: { key: OPERATOR_LABEL[operator] }, property: { key: PROPERTY_LABEL[property] } } });

/** One expected value as stored for the property's kind, or undefined when it does not fit. */
async function fittingValue(em: Em, property: RuleProperty, raw: string): Promise<string | number | undefined> {
  const spec = PROPERTIES[property];
  switch (spec.kind) {
    case 'text': return raw.length > 0 && raw.length <= VALUE_MAX ? raw : undefined;
    case 'enum': return (spec.values as readonly string[]).includes(raw) ? raw : undefined;
    case 'number': return /^[0-9]{1,6}(\.[0-9]{1,2})?$/.test(raw) ? Number(raw) : undefined;
    case 'customer': {
      const id = parseId(raw);
      return id && (await em.count(Customer, { id })) > 0 ? id : undefined;
    }
    case 'technician': {
      const id = parseId(raw);
      return id && (await em.count(Technician, { id })) > 0 ? id : undefined;
    }
  }
}

/** What a condition's value field refuses, by kind: a text to type, a number, or a choice from the list. */
function valueError(property: RuleProperty, raw: string): Message {
  const kind = PROPERTIES[property].kind;
  if (kind === 'text') return raw.length > VALUE_MAX ? { key: 'validation.tooLong', params: { label: { key: 'rules.condition.value' }, max: VALUE_MAX } } : 'rules.errors.valueRequired';
  if (kind === 'number') return 'rules.errors.valueNumber';
  return 'rules.errors.valueChoose';
}

async function readCondition(em: Em, input: ConditionInput): Promise<{ property: RuleProperty; operator: RuleOperator; value: ConditionValue }> {
  const check = new Checker();
  const property = text(input.property);
  const operator = text(input.operator);
  if (!(property in PROPERTIES)) check.add('property', 'rules.errors.chooseProperty').throwIfAny();
  const prop = property as RuleProperty;
  const fits = OPERATORS_FOR[PROPERTIES[prop].kind];
  if (!isOneOf(fits, operator)) check.add('operator', operator ? operatorUnfit(prop, operator as RuleOperator) : 'rules.errors.chooseOperator').throwIfAny();
  const op = operator as RuleOperator;
  let value: ConditionValue = null;
  if (op === 'is_one_of') {
    const raws = many(input.values);
    const values: Array<string | number> = [];
    for (const raw of raws) {
      const v = await fittingValue(em, prop, raw);
      if (v === undefined) { check.add('value', 'rules.errors.valueChoose'); break; }
      if (!values.includes(v)) values.push(v);
    }
    if (raws.length === 0) check.add('value', 'rules.errors.valuesRequired');
    value = values;
  } else if (!VALUELESS.includes(op)) {
    const raw = text(input.value);
    const v = await fittingValue(em, prop, raw);
    if (v === undefined) check.add('value', valueError(prop, raw));
    else value = v;
  }
  check.throwIfAny();
  return { property: prop, operator: op, value };
}

/**
 * The value as the ORM writes it: the column holds JSON `null` for an operator that takes no
 * value (not SQL NULL, which it refuses), and the ORM would write SQL NULL for a JS null.
 */
const stored = (value: ConditionValue): ConditionValue => (value === null ? raw(`'null'::jsonb`) : value);

export async function addCondition(em: Em, tenant: Tenant, rule: TicketRule, input: ConditionInput): Promise<TicketRuleCondition> {
  const values = await readCondition(em, input);
  const position = Math.max(0, ...rule.conditions.getItems().map((c) => c.position)) + 1;
  const condition = em.create(TicketRuleCondition, { tenant, rule, position, ...values, value: stored(values.value) });
  rule.updatedAt = new Date();
  await em.flush();
  audit(em, tenant, 'rule.condition_added', { type: 'ticket_rule', id: rule.id }, { name: rule.name, ...values });
  await em.flush();
  return condition;
}

export async function updateCondition(em: Em, tenant: Tenant, rule: TicketRule, condition: TicketRuleCondition, input: ConditionInput): Promise<void> {
  const values = await readCondition(em, input);
  Object.assign(condition, values, { value: stored(values.value) });
  rule.updatedAt = new Date();
  audit(em, tenant, 'rule.condition_changed', { type: 'ticket_rule', id: rule.id }, { name: rule.name, ...values });
  await em.flush();
}

export async function removeCondition(em: Em, tenant: Tenant, rule: TicketRule, condition: TicketRuleCondition): Promise<void> {
  em.remove(condition);
  rule.updatedAt = new Date();
  audit(em, tenant, 'rule.condition_removed', { type: 'ticket_rule', id: rule.id }, { name: rule.name, property: condition.property });
  await em.flush();
}

