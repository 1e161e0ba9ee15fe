// The verbs of Admin > Ticket Automation Rules: a rule's details, its place in the order,
// its active state, and its conditions and actions, each checked against the vocabulary
// (vocabulary.ts) and against this workspace's own records (a template, technician or
// customer id of another workspace is refused like an unknown one: the tenant filter
// never finds it).
import { LockMode, raw } from '@mikro-orm/core';
import { lockForChange } from '../../db/locks.js';
import type { Em } from '../../db/orm.js';
import { parseFlag, parseId } from '../../lib/parse.js';
import { Checker, NotFoundError, text, type Message } from '../../lib/validation.js';
import { audit } from '../audit/audit-event.js';
import { Customer } from '../customer/customer.js';
import { EmailTemplate } from '../email/email-template.js';
import { unknownSnippets, unknownSnippetsMessage } from '../email/snippets.js';
import { BODY_MAX } from '../email/templates.js';
import { Technician } from '../technician/technician.js';
import type { Tenant } from '../tenant/tenant.js';
import { TicketRule, TicketRuleAction, TicketRuleCondition } from './rule.js';
import {
  ACTION_KINDS, ACTION_NEEDS, OPERATORS_FOR, PROPERTIES, ROUND_ROBIN, TRIGGERS, VALUELESS,
  type ConditionValue, type RuleActionKind, type RuleOperator, type RuleProperty, type RuleTrigger,
} from './vocabulary.js';
import { OPERATOR_LABEL, PROPERTY_LABEL } from './words.js';

export const NAME_MAX = 200;
export const DESCRIPTION_MAX = 2_000;
export const VALUE_MAX = 500;
export const HOURS_MAX = 8_760;

export interface RuleInput { name?: unknown; description?: unknown; trigger?: unknown; triggerHours?: unknown; ignoreFlow?: unknown; active?: unknown }
export interface ConditionInput { property?: unknown; operator?: unknown; value?: unknown; values?: unknown }
export interface ActionInput { kind?: unknown; template?: unknown; technician?: unknown; value?: unknown }

const isOneOf = <T extends string>(list: readonly T[], value: string): value is T => (list as readonly string[]).includes(value);
const many = (value: unknown): string[] => (Array.isArray(value) ? value : value === undefined || value === '' ? [] : [value]).map((v) => String(v).trim()).filter(Boolean);
const multiline = (value: unknown) => (typeof value === 'string' ? value.replace(/\r\n/g, '\n').trim() : '');

/** The rule with this id (its conditions and actions loaded, in order), or NotFound. `forChange` locks its row first (db/locks.ts). */
export async function ruleById(em: Em, id: number, options: { forChange?: boolean } = {}): Promise<TicketRule> {
  if (options.forChange && !(await lockForChange(em, TicketRule, { id }))) throw new NotFoundError();
  return em.findOneOrFail(TicketRule, { id }, { populate: ['conditions', 'actions', 'actions.template', 'actions.technician'] });
}

export function conditionOf(rule: TicketRule, id: number): TicketRuleCondition {
  const condition = rule.conditions.getItems().find((c) => c.id === id);
  if (!condition) throw new NotFoundError();
  return condition;
}

export function actionOf(rule: TicketRule, id: number): TicketRuleAction {
  const action = rule.actions.getItems().find((a) => a.id === id);
  if (!action) throw new NotFoundError();
  return action;
}

function readRule(input: RuleInput) {
  const values = { name: text(input.name), description: multiline(input.description), trigger: text(input.trigger), triggerHours: text(input.triggerHours) };
  const check = new Checker().require('name', values.name, 'rules.fields.name', NAME_MAX);
  if (values.description.length > DESCRIPTION_MAX) check.add('description', { key: 'validation.tooLong', params: { label: { key: 'rules.fields.description' }, max: DESCRIPTION_MAX } });
  let trigger: RuleTrigger | undefined;
  if (isOneOf(TRIGGERS, values.trigger)) trigger = values.trigger;
  else check.add('trigger', 'rules.errors.chooseTrigger');
  let triggerHours: number | null = null;
  if (trigger === 'ticket_unanswered') {
    const hours = /^[0-9]{1,4}$/.test(values.triggerHours) ? Number(values.triggerHours) : NaN;
    if (!(hours >= 1 && hours <= HOURS_MAX)) check.add('triggerHours', { key: 'rules.errors.triggerHours', params: { max: HOURS_MAX } });
    else triggerHours = hours;
  }
  check.throwIfAny();
  return {
    name: values.name, description: values.description, trigger: trigger!, triggerHours,
    ignoreFlow: parseFlag(input.ignoreFlow), active: parseFlag(input.active),
  };
}

/** Add New Rule: placed last in the order. */
export async function createRule(em: Em, tenant: Tenant, input: RuleInput): Promise<TicketRule> {
  const values = readRule(input);
  const last = await em.findOne(TicketRule, {}, { orderBy: { position: 'desc' }, fields: ['position'] });
  const now = new Date();
  const rule = em.create(TicketRule, { tenant, ...values, position: (last?.position ?? 0) + 1, createdAt: now, updatedAt: now });
  await em.flush();
  audit(em, tenant, 'rule.created', { type: 'ticket_rule', id: rule.id }, { name: rule.name, trigger: rule.trigger, active: rule.active });
  await em.flush();
  return rule;
}

export async function updateRule(em: Em, tenant: Tenant, rule: TicketRule, input: RuleInput): Promise<void> {
  const values = readRule(input);
  Object.assign(rule, values, { updatedAt: new Date() });
  audit(em, tenant, 'rule.updated', { type: 'ticket_rule', id: rule.id }, { name: rule.name, trigger: rule.trigger, active: rule.active, ignoreFlow: rule.ignoreFlow });
  await em.flush();
}

export async function deleteRule(em: Em, tenant: Tenant, rule: TicketRule): Promise<void> {
  audit(em, tenant, 'rule.deleted', { type: 'ticket_rule', id: rule.id }, { name: rule.name });
  // Its conditions, actions, runs and send counts go with it (on delete cascade).
  await em.nativeDelete(TicketRule, { id: rule.id });
  em.getUnitOfWork().unsetIdentity(rule);
  await em.flush();
}

export async function setRuleActive(em: Em, tenant: Tenant, rule: TicketRule, active: boolean): Promise<void> {
  if (rule.active === active) return;
  rule.active = active;
  rule.updatedAt = new Date();
  audit(em, tenant, active ? 'rule.activated' : 'rule.deactivated', { type: 'ticket_rule', id: rule.id }, { name: rule.name });
  await em.flush();
}

/**
 * Moves a rule to `place` (1 = first, dominant) in the order, the others keeping theirs
 * relative to each other, and numbers them all 1…n again. The rules are locked first, so
 * two reorders at once take turns and each reads the order the other left.
 */
export async function moveRule(em: Em, tenant: Tenant, rule: TicketRule, place: number): Promise<void> {
  const qb = em.createQueryBuilder(TicketRule).select('id').setLockMode(LockMode.PESSIMISTIC_WRITE);
  await qb.applyFilters();
  await qb.execute('all');
  const rules = await em.find(TicketRule, {}, { orderBy: { position: 'asc', id: 'asc' }, refresh: true });
  const from = rules.findIndex((r) => r.id === rule.id);
  if (from < 0) throw new NotFoundError();
  const to = Math.min(Math.max(place, 1), rules.length) - 1;
  const [moved] = rules.splice(from, 1);
  rules.splice(to, 0, moved);
  rules.forEach((r, i) => { if (r.position !== i + 1) r.position = i + 1; });
  if (from !== to) audit(em, tenant, 'rule.moved', { type: 'ticket_rule', id: rule.id }, { name: rule.name, from: from + 1, to: to + 1 });
  await em.flush();
}

/** Where the rule stands in the order (1 = first). */
export async function placeOf(em: Em, rule: TicketRule): Promise<number> {
  const rules = await em.find(TicketRule, {}, { orderBy: { position: 'asc', id: 'asc' }, fields: ['id'] });
  return rules.findIndex((r) => r.id === rule.id) + 1;
}

// Conditions

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

// Actions

interface ActionValues { kind: RuleActionKind; template: EmailTemplate | null; technician: Technician | null; value: string | null }

async function readAction(em: Em, tenant: Tenant, input: ActionInput): Promise<ActionValues> {
  const check = new Checker();
  const kind = text(input.kind);
  if (!isOneOf(ACTION_KINDS, kind)) check.add('kind', 'rules.errors.chooseAction').throwIfAny();
  const k = kind as RuleActionKind;
  const needs: { template?: true; values?: readonly string[]; technician?: true; text?: true } = ACTION_NEEDS[k];
  const out: ActionValues = { kind: k, template: null, technician: null, value: null };
  if (needs.template) {
    const id = parseId(input.template);
    const template = id ? await em.findOne(EmailTemplate, { id }) : null;
    if (!template) check.add('template', 'rules.errors.chooseTemplate');
    out.template = template;
  }
  if (needs.values) {
    const value = text(input.value);
    if (!needs.values.includes(value)) check.add('value', 'rules.errors.chooseValue');
    out.value = value;
  }
  if (needs.technician) {
    const raw = text(input.technician);
    if (raw === ROUND_ROBIN) out.value = ROUND_ROBIN;
    else {
      const id = parseId(raw);
      const technician = id ? await em.findOne(Technician, { id, active: true }) : null;
      if (!technician) check.add('technician', 'rules.errors.chooseTechnician');
      out.technician = technician;
    }
  }
  if (needs.text) {
    const note = multiline(input.value);
    check.require('value', note, 'rules.action.note', BODY_MAX);
    const unknown = unknownSnippets(note, tenant.edition);
    if (unknown.length) check.add('value', unknownSnippetsMessage(unknown, tenant));
    out.value = note;
  }
  check.throwIfAny();
  return out;
}

const described = (a: ActionValues) => ({ kind: a.kind, template: a.template?.id ?? null, technician: a.technician?.id ?? null, value: a.kind === 'add_note' ? undefined : a.value });

export async function addAction(em: Em, tenant: Tenant, rule: TicketRule, input: ActionInput): Promise<TicketRuleAction> {
  const values = await readAction(em, tenant, input);
  const position = Math.max(0, ...rule.actions.getItems().map((a) => a.position)) + 1;
  const action = em.create(TicketRuleAction, { tenant, rule, position, ...values });
  rule.updatedAt = new Date();
  await em.flush();
  audit(em, tenant, 'rule.action_added', { type: 'ticket_rule', id: rule.id }, { name: rule.name, ...described(values) });
  await em.flush();
  return action;
}

export async function updateAction(em: Em, tenant: Tenant, rule: TicketRule, action: TicketRuleAction, input: ActionInput): Promise<void> {
  const values = await readAction(em, tenant, input);
  Object.assign(action, values);
  rule.updatedAt = new Date();
  audit(em, tenant, 'rule.action_changed', { type: 'ticket_rule', id: rule.id }, { name: rule.name, ...described(values) });
  await em.flush();
}

export async function removeAction(em: Em, tenant: Tenant, rule: TicketRule, action: TicketRuleAction): Promise<void> {
  em.remove(action);
  rule.updatedAt = new Date();
  audit(em, tenant, 'rule.action_removed', { type: 'ticket_rule', id: rule.id }, { name: rule.name, kind: action.kind });
  await em.flush();
}
