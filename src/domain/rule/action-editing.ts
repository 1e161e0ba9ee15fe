// The verbs of a rule's actions: add, change, remove, each with what its kind needs (a
// template, a value of a list, a technician or round robin, a note with known snippets),
// the template or technician this workspace's own.
import type { Em } from '../../db/orm.js';
import { parseId } from '../../lib/parse.js';
import { Checker, text } from '../../lib/validation.js';
import { audit } from '../audit/audit-event.js';
import { EmailTemplate } from '../email/email-template.js';
import { unknownSnippets, unknownSnippetsMessage } from '../email/snippets.js';
import { BODY_MAX } from '../email/templates.js';
import { Technician } from '../technician/technician.js';
import type { Tenant } from '../tenant/tenant.js';
import { isOneOf, multiline } from './editing.js';
import { TicketRuleAction, type TicketRule } from './rule.js';
import { ACTION_KINDS, ACTION_NEEDS, ROUND_ROBIN, type RuleActionKind } from './vocabulary.js';

export interface ActionInput { kind?: unknown; template?: unknown; technician?: unknown; value?: unknown }

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
