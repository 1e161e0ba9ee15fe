// What a ticket automation rule can say (DESIGN.md §4.3): its triggers, the ticket
// properties its conditions test with the operators that fit each, and its actions with
// what each needs. The one list the editor's pickers, the validation and the engine read.
import { PRIORITIES, STATUSES, TYPES } from '../ticket/ticket.js';
import type { TicketDomainEvent } from '../ticket/events.js';

type TicketDomainEventType = TicketDomainEvent['type'];

export const TRIGGERS = [
  'ticket_created', 'status_changed', 'title_changed', 'closed_or_resolved', 'assignment_changed',
  'contact_responded', 'technician_responded', 'ticket_unanswered',
] as const;
export type RuleTrigger = (typeof TRIGGERS)[number];

/** The domain event (src/domain/ticket/events.ts) each event trigger reacts to; the time-based one has none. */
export const TRIGGER_EVENTS: Record<Exclude<RuleTrigger, 'ticket_unanswered'>, readonly TicketDomainEventType[]> = {
  ticket_created: ['ticket.created'],
  status_changed: ['ticket.status_changed'],
  title_changed: ['ticket.title_changed'],
  closed_or_resolved: ['ticket.resolved', 'ticket.closed'],
  assignment_changed: ['ticket.assignment_changed'],
  contact_responded: ['ticket.contact_responded'],
  technician_responded: ['ticket.technician_responded'],
};

/**
 * How a property's value is compared:
 * - text: compared without regard to case, surrounding spaces and Unicode normal form;
 * - enum: one of a fixed list (`values`), picked;
 * - customer / technician: a record of the workspace, picked (by id); technician may be empty;
 * - number: a count (hours).
 */
export type PropertyKind = 'text' | 'enum' | 'customer' | 'technician' | 'number';

export const PROPERTIES = {
  title: { kind: 'text' },
  description: { kind: 'text' },
  status: { kind: 'enum', values: STATUSES },
  priority: { kind: 'enum', values: PRIORITIES },
  type: { kind: 'enum', values: TYPES },
  source: { kind: 'enum', values: ['portal', 'email', 'technician'] },
  customer: { kind: 'customer' },
  customer_name: { kind: 'text' },
  contact_name: { kind: 'text' },
  contact_email: { kind: 'text' },
  contact_email_domain: { kind: 'text' },
  support_address: { kind: 'text' },
  assignee: { kind: 'technician' },
  last_contact_comment: { kind: 'text' },
  hours_since_created: { kind: 'number' },
} as const satisfies Record<string, { kind: PropertyKind; values?: readonly string[] }>;
export type RuleProperty = keyof typeof PROPERTIES;

export const OPERATORS = [
  'equals', 'not_equals', 'contains', 'not_contains', 'starts_with', 'ends_with', 'is_empty', 'is_not_empty',
  'greater_than', 'less_than', 'is_one_of',
] as const;
export type RuleOperator = (typeof OPERATORS)[number];

/** The operators that fit each kind of property. */
export const OPERATORS_FOR: Record<PropertyKind, readonly RuleOperator[]> = {
  text: ['equals', 'not_equals', 'contains', 'not_contains', 'starts_with', 'ends_with', 'is_empty', 'is_not_empty'],
  enum: ['equals', 'not_equals', 'is_one_of'],
  customer: ['equals', 'not_equals', 'is_one_of'],
  technician: ['equals', 'not_equals', 'is_one_of', 'is_empty', 'is_not_empty'],
  number: ['equals', 'greater_than', 'less_than'],
};

/** Operators that take no expected value. */
export const VALUELESS: readonly RuleOperator[] = ['is_empty', 'is_not_empty'];

/**
 * A condition's expected value as stored (jsonb): text → a string; enum → a value of
 * its list; customer / technician → an id; number → a number; `is_one_of` → an array of
 * those; `is_empty` / `is_not_empty` → null.
 */
export type ConditionValue = string | number | null | ReadonlyArray<string | number>;

export const ACTION_KINDS = [
  'email_contact', 'email_assignee', 'email_all_technicians',
  'set_status', 'set_priority', 'set_type', 'assign_technician', 'add_note',
] as const;
export type RuleActionKind = (typeof ACTION_KINDS)[number];

/**
 * What each action needs: a template (emails), a value of a list (set_*), a technician
 * or round robin (assign: `technician_id`, or value 'round_robin' with no technician),
 * a note body with snippets (add_note: `value`).
 */
export const ACTION_NEEDS = {
  email_contact: { template: true },
  email_assignee: { template: true },
  email_all_technicians: { template: true },
  set_status: { values: STATUSES },
  set_priority: { values: PRIORITIES },
  set_type: { values: TYPES },
  assign_technician: { technician: true },
  add_note: { text: true },
} as const satisfies Record<RuleActionKind, { template?: true; values?: readonly string[]; technician?: true; text?: true }>;

export const ROUND_ROBIN = 'round_robin';

/**
 * What an action takes hold of, for *Ignore Flow*: a later rule whose action takes hold
 * of the same thing as an earlier rule's in the same run is skipped ("overridden by rule
 * X") unless it ignores the flow. Emails take hold of their recipient (known at run time:
 * `email:<address>`); notes take hold of nothing.
 */
export function fieldHeldBy(kind: RuleActionKind): string | null {
  switch (kind) {
    case 'set_status': return 'field:status';
    case 'set_priority': return 'field:priority';
    case 'set_type': return 'field:type';
    case 'assign_technician': return 'field:assignee';
    default: return null;
  }
}

/** A text as conditions compare it: Unicode-normalised (NFKC), trimmed, case-folded. */
export function comparableText(value: string | null | undefined): string {
  const text = value ?? '';
  // Plain ASCII is its own NFKC form and lowers the same in every locale: the common case, without ICU.
  if (ASCII.test(text)) return text.trim().toLowerCase();
  return text.normalize('NFKC').trim().toLocaleLowerCase('und');
}
const ASCII = /^[\x00-\x7f]*$/;

/** Emails a rule may send to one recipient in an hour; the excess is recorded as skipped. */
export const EMAILS_PER_RECIPIENT_PER_HOUR = 3;

/** How long rule runs are kept. */
export const RUN_DAYS = 90;
