// The verbs of Admin > Ticket Automation Rules for a rule itself: its details, its place in
// the order, its active state. Its conditions and actions have theirs (condition-editing.ts,
// action-editing.ts), checked the same way: against the vocabulary (vocabulary.ts) and this
// workspace's own records (another workspace's id is refused like an unknown one).
import { LockMode } from '@mikro-orm/core';
import { lockForChange } from '../../db/locks.js';
import type { Em } from '../../db/orm.js';
import { parseFlag } from '../../lib/parse.js';
import { Checker, NotFoundError, text } from '../../lib/validation.js';
import { audit } from '../audit/audit-event.js';
import type { Tenant } from '../tenant/tenant.js';
import { TicketRule, type TicketRuleAction, type TicketRuleCondition } from './rule.js';
import { TRIGGERS, type RuleTrigger } from './vocabulary.js';

export const NAME_MAX = 200;
export const DESCRIPTION_MAX = 2_000;
export const VALUE_MAX = 500;
export const HOURS_MAX = 8_760;

export interface RuleInput { name?: unknown; description?: unknown; trigger?: unknown; triggerHours?: unknown; ignoreFlow?: unknown; active?: unknown }

export const isOneOf = <T extends string>(list: readonly T[], value: string): value is T => (list as readonly string[]).includes(value);
export const many = (value: unknown): string[] => (Array.isArray(value) ? value : value === undefined || value === '' ? [] : [value]).map((v) => String(v).trim()).filter(Boolean);
export const multiline = (value: unknown) => (typeof value === 'string' ? value.replace(/\r\n/g, '\n').trim() : '');

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
