// What a rule's page shows, loaded in one place: the full page, each section's htmx
// answer and every 422 render from the same locals. A *draft* is one form's input
// kept as typed (a refused row, a row whose property or action type just changed).
import { Customer } from '../../../../domain/customer/customer.js';
import { customerChoices } from '../../../../domain/customer/lists.js';
import { EmailTemplate } from '../../../../domain/email/email-template.js';
import { placeOf } from '../../../../domain/rule/editing.js';
import { runsOfRule } from '../../../../domain/rule/lists.js';
import type { TicketRule, TicketRuleAction, TicketRuleCondition } from '../../../../domain/rule/rule.js';
import { ACTION_KINDS, OPERATORS_FOR, PROPERTIES, ROUND_ROBIN, TRIGGERS, VALUELESS, type RuleProperty } from '../../../../domain/rule/vocabulary.js';
import { Technician } from '../../../../domain/technician/technician.js';
import { PRIORITIES, STATUSES, TYPES } from '../../../../domain/ticket/ticket.js';
import type { ShownErrors, TechnicianCtx } from '../../../action.js';

export interface Draft { id: number | 'new'; values: Record<string, unknown>; errors: ShownErrors }

export interface RulePageDrafts {
  details?: { values: Record<string, unknown>; errors: ShownErrors };
  condition?: Draft;
  action?: Draft;
  test?: Record<string, unknown>;
}

const list = (value: unknown): string[] => (Array.isArray(value) ? value : value === undefined || value === null || value === '' ? [] : [value]).map(String);

/** A row's values from a query string: one of each, as a form sends them, but `values` (checkboxes) kept whole. */
export function draftOf(query: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(query).map(([k, v]) => [k, k === 'values' ? v : Array.isArray(v) ? v[0] : v]));
}

/** A condition as its row's form holds it. */
export function conditionValues(c: TicketRuleCondition): Record<string, unknown> {
  const many = Array.isArray(c.value);
  return { property: c.property, operator: c.operator, value: many || c.value === null ? '' : String(c.value), values: many ? list(c.value) : [] };
}

/** An action as its row's form holds it. */
export function actionValues(a: TicketRuleAction): Record<string, unknown> {
  return {
    kind: a.kind, template: a.template ? String(a.template.id) : '',
    technician: a.technician ? String(a.technician.id) : a.kind === 'assign_technician' && a.value === ROUND_ROBIN ? ROUND_ROBIN : '',
    value: a.kind === 'assign_technician' ? '' : a.value ?? '',
  };
}

/** A condition row's form as the view needs it: the property's kind, the operators that fit, whether a value is asked and how. */
export function conditionForm(values: Record<string, unknown>) {
  const property = (String(values.property ?? '') in PROPERTIES ? values.property : 'title') as RuleProperty;
  const spec = PROPERTIES[property];
  const operators = OPERATORS_FOR[spec.kind];
  const operator = operators.includes(values.operator as never) ? String(values.operator) : String(values.operator ?? '') || operators[0];
  const asks = !VALUELESS.includes(operator as never);
  return {
    property, kind: spec.kind, operators, operator,
    enumValues: 'values' in spec ? (spec.values as readonly string[]) : [],
    many: operator === 'is_one_of', asks,
    value: String(values.value ?? ''), values: list(values.values),
  };
}

/** The choices the condition and action rows offer: this workspace's templates, technicians and customers. */
export async function ruleChoices(ctx: TechnicianCtx, rule: TicketRule) {
  const { em } = ctx;
  const named = new Set<number>();
  for (const c of rule.conditions.getItems()) {
    if (c.property === 'customer') for (const v of list(c.value)) named.add(Number(v));
  }
  const templates = await em.find(EmailTemplate, {}, { orderBy: { name: 'asc' }, fields: ['id', 'name'] });
  const technicians = await em.find(Technician, {}, { orderBy: { name: 'asc' }, fields: ['id', 'name', 'active'] });
  // The picker's first page (its search asks /customers/options for more as one types), and every customer a condition names.
  const { customers: listed, more: customersMore } = await customerChoices(ctx.sql, undefined, undefined);
  const missing = [...named].filter((id) => !listed.some((c) => c.id === id));
  const customers = missing.length ? [...listed, ...await em.find(Customer, { id: { $in: missing } }, { fields: ['id', 'name'] })] : listed;
  return {
    templates: templates.map((t) => [String(t.id), t.name]),
    technicians: technicians.map((t) => [String(t.id), t.name]),
    activeTechnicians: technicians.filter((t) => t.active).map((t) => [String(t.id), t.name]),
    customers: customers.map((c) => [String(c.id), c.name]), customersMore,
    triggers: TRIGGERS, actionKinds: ACTION_KINDS, properties: Object.keys(PROPERTIES) as RuleProperty[],
    statuses: STATUSES, priorities: PRIORITIES, types: TYPES,
  };
}

/** Everything the rule's page shows. */
export async function rulePageLocals(ctx: TechnicianCtx, rule: TicketRule, drafts: RulePageDrafts = {}) {
  // One after another: the ORM and `sql` share the unit of work's one connection.
  const place = await placeOf(ctx.em, rule);
  const runs = await runsOfRule(ctx.sql, rule.id);
  const choices = await ruleChoices(ctx, rule);
  return {
    title: rule.name, rule, place, runs, choices, drafts, conditionForm, conditionValues, actionValues,
    details: drafts.details ?? { values: { ...rule, ignoreFlow: rule.ignoreFlow ? 'yes' : 'no', active: rule.active ? 'yes' : 'no', triggerHours: rule.triggerHours ?? '' }, errors: {} },
    test: drafts.test ?? null,
  };
}

export async function renderRulePage(ctx: TechnicianCtx, rule: TicketRule, drafts: RulePageDrafts = {}, status = 200): Promise<void> {
  await ctx.reply.render('admin/rules/show', await rulePageLocals(ctx, rule, drafts), status);
}

/** One section of the rule's page (htmx), from the same locals as the page. */
export async function renderSection(ctx: TechnicianCtx, view: string, rule: TicketRule, drafts: RulePageDrafts = {}, status = 200): Promise<void> {
  await ctx.reply.render(view, await rulePageLocals(ctx, rule, drafts), status, true);
}
