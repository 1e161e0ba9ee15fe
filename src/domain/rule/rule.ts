import { Collection, EntitySchema, type Opt } from '@mikro-orm/core';
import { tenantOwned } from '../../db/tenant-owned.js';
import type { EmailTemplate } from '../email/email-template.js';
import type { Technician } from '../technician/technician.js';
import type { Ticket } from '../ticket/ticket.js';
import type { Tenant } from '../tenant/tenant.js';
import type { ConditionValue, RuleActionKind, RuleOperator, RuleProperty, RuleTrigger } from './vocabulary.js';

/**
 * A ticket automation rule (Admin > Ticket Automation Rules): when its trigger happens
 * and all its conditions hold, its actions are taken. Active rules run in `position`
 * order; the first is dominant unless a later one has `ignoreFlow` (vocabulary.ts).
 */
export class TicketRule {
  id!: number;
  tenant!: Tenant;
  position!: number;
  name!: string;
  description: Opt<string> = '';
  trigger!: RuleTrigger;
  /** *Ticket Unanswered For* N hours; null for every other trigger. */
  triggerHours?: number | null = null;
  ignoreFlow: Opt<boolean> = false;
  active: Opt<boolean> = false;
  conditions = new Collection<TicketRuleCondition>(this);
  actions = new Collection<TicketRuleAction>(this);
  createdAt: Opt<Date> = new Date();
  updatedAt: Opt<Date> = new Date();
}

export class TicketRuleCondition {
  id!: number;
  tenant!: Tenant;
  rule!: TicketRule;
  position: Opt<number> = 0;
  property!: RuleProperty;
  operator!: RuleOperator;
  value?: ConditionValue = null;
}

export class TicketRuleAction {
  id!: number;
  tenant!: Tenant;
  rule!: TicketRule;
  position: Opt<number> = 0;
  kind!: RuleActionKind;
  template?: EmailTemplate | null = null;
  technician?: Technician | null = null;
  /** set_*: the value; add_note: the note's body; assign_technician: 'round_robin' when no technician. */
  value?: string | null = null;
  /** Round robin: who was assigned last. */
  lastTechnician?: Technician | null = null;
}

export type RunOutcome = 'applied' | 'partly_applied' | 'not_matched' | 'skipped' | 'failed';

/** One condition as evaluated: did it hold, on what the ticket had. */
export interface ConditionResult { property: RuleProperty; operator: RuleOperator; value: ConditionValue; actual: string | number | null; held: boolean }

/** One action as taken, skipped (overridden by rule X, hourly cap, automatic mail…) or failed. */
export interface ActionResult {
  kind: RuleActionKind;
  result: 'applied' | 'skipped' | 'failed' | 'would_apply';
  /** A catalogue key saying why (rules.run.reason.*), with its parameters. */
  reason?: string;
  params?: Record<string, string | number>;
  /** What was done, for the page: the recipient, the new value… */
  detail?: string;
}

/** One evaluation of one rule for one event on one ticket (kept 90 days). */
export class TicketRuleRun {
  id!: number;
  tenant!: Tenant;
  rule!: TicketRule;
  ticket!: Ticket;
  event!: string;
  /** The time-based trigger's waiting period, so it fires once per period. */
  eventKey?: string | null = null;
  outcome!: RunOutcome;
  conditions: Opt<ConditionResult[]> = [];
  actions: Opt<ActionResult[]> = [];
  error?: string | null = null;
  createdAt: Opt<Date> = new Date();
}

export const TicketRuleSchema = new EntitySchema<TicketRule>(tenantOwned({
  class: TicketRule,
  tableName: 'ticket_rules',
  properties: {
    id: { type: 'number', primary: true },
    position: { type: 'number' },
    name: { type: 'string' },
    description: { type: 'text' },
    trigger: { type: 'string' },
    triggerHours: { type: 'number', nullable: true },
    ignoreFlow: { type: 'boolean' },
    active: { type: 'boolean' },
    conditions: { kind: '1:m', entity: 'TicketRuleCondition', mappedBy: 'rule', orderBy: { position: 'asc', id: 'asc' } },
    actions: { kind: '1:m', entity: 'TicketRuleAction', mappedBy: 'rule', orderBy: { position: 'asc', id: 'asc' } },
    createdAt: { type: 'Date' },
    updatedAt: { type: 'Date' },
  },
}));

export const TicketRuleConditionSchema = new EntitySchema<TicketRuleCondition>(tenantOwned({
  class: TicketRuleCondition,
  tableName: 'ticket_rule_conditions',
  properties: {
    id: { type: 'number', primary: true },
    rule: { kind: 'm:1', entity: 'TicketRule' },
    position: { type: 'number' },
    property: { type: 'string' },
    operator: { type: 'string' },
    value: { type: 'json' },
  },
}));

export const TicketRuleActionSchema = new EntitySchema<TicketRuleAction>(tenantOwned({
  class: TicketRuleAction,
  tableName: 'ticket_rule_actions',
  properties: {
    id: { type: 'number', primary: true },
    rule: { kind: 'm:1', entity: 'TicketRule' },
    position: { type: 'number' },
    kind: { type: 'string' },
    template: { kind: 'm:1', entity: 'EmailTemplate', nullable: true },
    technician: { kind: 'm:1', entity: 'Technician', nullable: true },
    value: { type: 'text', nullable: true },
    lastTechnician: { kind: 'm:1', entity: 'Technician', nullable: true, fieldName: 'last_technician_id' },
  },
}));

export const TicketRuleRunSchema = new EntitySchema<TicketRuleRun>(tenantOwned({
  class: TicketRuleRun,
  tableName: 'ticket_rule_runs',
  properties: {
    id: { type: 'number', primary: true },
    rule: { kind: 'm:1', entity: 'TicketRule' },
    ticket: { kind: 'm:1', entity: 'Ticket' },
    event: { type: 'string' },
    eventKey: { type: 'string', nullable: true },
    outcome: { type: 'string' },
    conditions: { type: 'json' },
    actions: { type: 'json' },
    error: { type: 'text', nullable: true },
    createdAt: { type: 'Date' },
  },
}));
