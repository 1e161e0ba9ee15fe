// A rule's vocabulary in words, as catalogue keys (the words are in messages/<lang>/rules.ts):
// the editor's pickers, the list, the runs on the rule and ticket pages all take the key
// from here. Literal keys, so the catalogue test finds them.
import type { RunOutcome, ActionResult } from './rule.js';
import type { RuleActionKind, RuleOperator, RuleProperty, RuleTrigger } from './vocabulary.js';

export const TRIGGER_LABEL: Record<RuleTrigger, string> = {
  ticket_created: 'rules.trigger.ticket_created',
  status_changed: 'rules.trigger.status_changed',
  title_changed: 'rules.trigger.title_changed',
  closed_or_resolved: 'rules.trigger.closed_or_resolved',
  assignment_changed: 'rules.trigger.assignment_changed',
  contact_responded: 'rules.trigger.contact_responded',
  technician_responded: 'rules.trigger.technician_responded',
  ticket_unanswered: 'rules.trigger.ticket_unanswered',
};

export const PROPERTY_LABEL: Record<RuleProperty, string> = {
  title: 'rules.property.title',
  description: 'rules.property.description',
  status: 'rules.property.status',
  priority: 'rules.property.priority',
  type: 'rules.property.type',
  source: 'rules.property.source',
  customer: 'rules.property.customer',
  customer_name: 'rules.property.customer_name',
  contact_name: 'rules.property.contact_name',
  contact_email: 'rules.property.contact_email',
  contact_email_domain: 'rules.property.contact_email_domain',
  support_address: 'rules.property.support_address',
  assignee: 'rules.property.assignee',
  last_contact_comment: 'rules.property.last_contact_comment',
  hours_since_created: 'rules.property.hours_since_created',
};

export const OPERATOR_LABEL: Record<RuleOperator, string> = {
  equals: 'rules.operator.equals',
  not_equals: 'rules.operator.not_equals',
  contains: 'rules.operator.contains',
  not_contains: 'rules.operator.not_contains',
  starts_with: 'rules.operator.starts_with',
  ends_with: 'rules.operator.ends_with',
  is_empty: 'rules.operator.is_empty',
  is_not_empty: 'rules.operator.is_not_empty',
  greater_than: 'rules.operator.greater_than',
  less_than: 'rules.operator.less_than',
  is_one_of: 'rules.operator.is_one_of',
};

export const ACTION_LABEL: Record<RuleActionKind, string> = {
  email_contact: 'rules.actionKind.email_contact',
  email_assignee: 'rules.actionKind.email_assignee',
  email_all_technicians: 'rules.actionKind.email_all_technicians',
  set_status: 'rules.actionKind.set_status',
  set_priority: 'rules.actionKind.set_priority',
  set_type: 'rules.actionKind.set_type',
  assign_technician: 'rules.actionKind.assign_technician',
  add_note: 'rules.actionKind.add_note',
};

export const OUTCOME_LABEL: Record<RunOutcome, string> = {
  applied: 'rules.outcome.applied',
  partly_applied: 'rules.outcome.partly_applied',
  not_matched: 'rules.outcome.not_matched',
  skipped: 'rules.outcome.skipped',
  failed: 'rules.outcome.failed',
};

export const RESULT_LABEL: Record<ActionResult['result'], string> = {
  applied: 'rules.result.applied',
  skipped: 'rules.result.skipped',
  failed: 'rules.result.failed',
  would_apply: 'rules.result.would_apply',
};

/** The source of a ticket as a condition's choice ("Portal", "Email", "Technician"). */
export const SOURCE_LABEL: Record<string, string> = {
  portal: 'rules.source.portal', email: 'rules.source.email', technician: 'rules.source.technician',
};

/** Everything above, for views (app.locals.ruleWords). */
export const ruleWords = {
  trigger: TRIGGER_LABEL, property: PROPERTY_LABEL, operator: OPERATOR_LABEL, action: ACTION_LABEL,
  outcome: OUTCOME_LABEL, result: RESULT_LABEL, source: SOURCE_LABEL,
};

export type RuleWords = typeof ruleWords;
