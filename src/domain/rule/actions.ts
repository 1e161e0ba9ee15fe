// What each action of a rule does, in two steps: `plan` says what it would do on the
// ticket as it stands (to whom, to what value) or why it is skipped — read-only, so the
// dry run (testRule) and the engine share it — and `apply` does it, acting as the rule.
// Applying writes nothing yet: it notes the change in the event's Writes (writes.ts
// sends them all in one statement, with the runs), raises the domain event the ticket
// verb would raise, and updates the engine's view of the ticket (`facts`), so the next
// action and rule see it. Nothing here loads an entity: the ticket, its people and the
// workspace are the event's facts (facts.ts, one statement).
// Emails go through the outbox with Auto-Submitted: auto-generated, as rows written with
// the rest (writes.ts), the outbox's job woken for each after commit; a contact's
// credential snippets stay markers for the send job to mint, as in every other email;
// a technician's copy has them masked (never a contact's password in another mailbox).
import { masked, credentialMarkersIn } from '../../outbound/credentials.js';
import type { CredentialTarget } from '../../outbound/outbound-email.js';
import { SUBJECT_MAX } from '../../outbound/outbox.js';
import { currentActor } from '../actor.js';
import { fullName, type Contact } from '../contact/contact.js';
import { renderHtmlDocument, renderSnippets, type SnippetContext } from '../email/snippets.js';
import type { Technician } from '../technician/technician.js';
import type { Tenant } from '../tenant/tenant.js';
import { raiseStatusChange, raiseTicketEvent } from '../ticket/events.js';
import { PRIORITIES, STATUSES, TYPES, type Ticket, type TicketPriority, type TicketStatus, type TicketType } from '../ticket/ticket.js';
import type { ActionResult } from './rule.js';
import type { EventFacts, TechnicianFacts, TicketFacts } from './facts.js';
import { EMAILS_PER_RECIPIENT_PER_HOUR, fieldHeldBy, ROUND_ROBIN, type RuleActionKind } from './vocabulary.js';

/** An action as the engine reads it (engine.ts loads them with their rules). */
export interface ActionShape {
  id: number;
  kind: RuleActionKind;
  templateId: number | null;
  technicianId: number | null;
  value: string | null;
  lastTechnicianId: number | null;
  /** An email action's template, read with the rule (null when gone; absent when not read). */
  template?: TemplateFacts | null;
}

export interface TemplateFacts { id: number; name: string; subject: string; body: string }

/** What one event's rules write, gathered as they apply, written in one statement (writes.ts). */
export interface Writes {
  /** The ticket's fields as the rules leave them (only those they changed). */
  ticket: { status?: TicketStatus; priority?: TicketPriority; type?: TicketType; assigneeId?: number };
  /** History rows, in order, each by its rule. */
  history: Array<{ actor: string; field: string; from: string | null; to: string | null }>;
  notes: string[];
  /** Round robin: whom each action assigned last. */
  pointers: Array<{ actionId: number; technicianId: number }>;
  /** The hourly cap's count. */
  sends: Array<{ ruleId: number; recipient: string }>;
  /** Emails for the outbox (outbound_emails rows, queued). */
  emails: OutboxRow[];
  /** Audit log rows (a contact's credentials queued), each by its rule. */
  audits: AuditRow[];
}

/** An outbound_emails row as the outbox's queueEmail writes one (outbox.ts), queued now. */
export interface OutboxRow {
  kind: string; to_address: string; to_name: string | null; subject: string; text_body: string; html_body: string | null;
  credential_target: CredentialTarget | null; auto_submitted: boolean; ticket_id: number; contact_id: number | null;
}

export interface AuditRow {
  actor_kind: string; actor_id: number | null; actor_name: string | null; action: string;
  subject_type: string; subject_id: number; details: Record<string, unknown>;
}

export const noWrites = (): Writes => ({ ticket: {}, history: [], notes: [], pointers: [], sends: [], emails: [], audits: [] });

export interface PlanContext {
  tenantId: number;
  ruleId: number;
  ruleName: string;
  /** The ticket as it stands now in this run (rules before may have changed it). */
  facts: TicketFacts;
  /** Technicians, the workspace, the hourly counts, the round-robin turns (as this run leaves them). */
  data: Omit<EventFacts, 'facts'>;
  /** The ticket or the event came from automatic mail: no rule email. */
  automatic: boolean;
  /** The template an email action sends, when its rule was read without them (the dry run reads them first). */
  templates?: ReadonlyMap<number, TemplateFacts>;
}

/** One thing an action would do: its result so far ('would_apply' or 'skipped'), what it takes hold of, and how to do it. */
export interface Step {
  result: ActionResult;
  hold: string | null;
  apply?: (out: Writes) => void;
}

export const MAIL_KIND = 'rule_email';

const would = (kind: RuleActionKind, detail: string, hold: string | null, apply: Step['apply']): Step => ({ result: { kind, result: 'would_apply', detail }, hold, apply });
const skipped = (kind: RuleActionKind, reason: string, params?: Record<string, string | number>, detail?: string, hold: string | null = null): Step =>
  ({ result: { kind, result: 'skipped', reason, ...(params ? { params } : {}), ...(detail ? { detail } : {}) }, hold });

function activeTechnicians(ctx: PlanContext): TechnicianFacts[] {
  if (!ctx.data.technicians) throw new Error('The event facts were read without the technicians');
  return ctx.data.technicians.filter((t) => t.active);
}

const sendKey = (ruleId: number, recipient: string) => `${ruleId}|${recipient}`;

/** The snippets' view of the ticket, its contact and the workspace, as this run leaves them. */
function snippetContext(ctx: PlanContext, technician: { name: string; email: string } | null): SnippetContext {
  const { facts, data } = ctx;
  if (!data.tenant) throw new Error('The event facts were read without the workspace');
  const customer = { name: facts.customerName };
  const person = { firstName: facts.contactFirstName ?? '', lastName: facts.contactLastName ?? '', email: facts.contactEmail };
  const contact = { id: facts.contactId, ...person, fullName: fullName(person), language: facts.contactLanguage, customer } as unknown as Contact;
  const ticket = {
    id: facts.ticketId, number: facts.number, title: facts.title, description: facts.description,
    status: facts.status, priority: facts.priority, type: facts.type, customer,
  } as unknown as Ticket;
  return { tenant: data.tenant as unknown as Tenant, contact, ticket, technician: technician as Technician | null };
}

function templateOf(ctx: PlanContext, action: ActionShape): TemplateFacts {
  // The foreign key keeps a used template from being deleted; a rule that still lost its own fails (and is recorded so).
  if (!action.templateId) throw new Error(`The rule action ${action.id} has no template`);
  const template = action.template !== undefined ? action.template : ctx.templates?.get(action.templateId);
  if (!template) throw new Error(`The template of rule action ${action.id} is gone`);
  return template;
}

/** An email to one recipient, unless automatic mail or the hourly cap forbids it. */
function emailStep(ctx: PlanContext, action: ActionShape, to: { address: string; name: string }, queue: (out: Writes) => void): Step {
  const recipient = to.address.toLowerCase();
  const hold = `email:${recipient}`;
  if (ctx.automatic) return skipped(action.kind, 'ruleEngine.reason.automaticMail', undefined, recipient);
  // A send of this run is counted too: the count goes up as soon as it applies.
  const key = sendKey(ctx.ruleId, recipient);
  if ((ctx.data.sends.get(key) ?? 0) >= EMAILS_PER_RECIPIENT_PER_HOUR) {
    return skipped(action.kind, 'ruleEngine.reason.hourlyCap', { recipient, max: EMAILS_PER_RECIPIENT_PER_HOUR }, recipient);
  }
  const { ruleId, data } = ctx;
  return would(action.kind, recipient, hold, (out) => {
    queue(out);
    out.sends.push({ ruleId, recipient });
    data.sends.set(key, (data.sends.get(key) ?? 0) + 1);
  });
}

/** The template to the ticket's contact: plain snippets now, credential snippets as markers (as sendTemplate does). */
function emailContact(ctx: PlanContext, action: ActionShape, out: Writes): void {
  const template = templateOf(ctx, action);
  const { facts } = ctx;
  const sc = snippetContext(ctx, facts.assigneeId ? { name: facts.assigneeName ?? '', email: facts.assigneeEmail ?? '' } : null);
  const text = renderSnippets(template.body, sc);
  const markers = credentialMarkersIn(text);
  out.emails.push({
    kind: MAIL_KIND, to_address: facts.contactEmail, to_name: sc.contact!.fullName, subject: oneLine(renderSnippets(template.subject, sc)).slice(0, SUBJECT_MAX),
    text_body: text, html_body: renderHtmlDocument(template.body, sc), auto_submitted: true, ticket_id: facts.ticketId, contact_id: facts.contactId,
    credential_target: markers.length ? { contactId: facts.contactId, purpose: 'invite' } : null,
  });
  if (markers.length) {
    const actor = currentActor();
    out.audits.push({
      actor_kind: actor.kind, actor_id: actor.id ?? null, actor_name: actor.name ?? null, action: 'contact.credentials_queued',
      subject_type: 'contact', subject_id: facts.contactId, details: { template: template.name, kind: MAIL_KIND, credentials: markers },
    });
  }
}

const oneLine = (rendered: string) => rendered.replace(/\s+/g, ' ').trim();

/** A template to a technician: the ticket's snippets for its requester, credentials masked. */
function emailTechnician(ctx: PlanContext, action: ActionShape, technician: { name: string; email: string }, out: Writes): void {
  const template = templateOf(ctx, action);
  const sc = snippetContext(ctx, technician);
  out.emails.push({
    kind: MAIL_KIND, to_address: technician.email, to_name: technician.name, subject: masked(oneLine(renderSnippets(template.subject, sc))).slice(0, SUBJECT_MAX),
    text_body: masked(renderSnippets(template.body, sc)), html_body: masked(renderHtmlDocument(template.body, sc)), auto_submitted: true,
    ticket_id: ctx.facts.ticketId, contact_id: null, credential_target: null,
  });
}

/** The next active technician after the one assigned last, in a stable order. */
function nextInTurn(ctx: PlanContext, after: number | null): TechnicianFacts | null {
  const active = activeTechnicians(ctx);
  if (!active.length) return null;
  return active.find((t) => after !== null && t.id > after) ?? active[0];
}

type Field = 'status' | 'priority' | 'type';
const VALUES: Record<Field, readonly string[]> = { status: STATUSES, priority: PRIORITIES, type: TYPES };

/** A field set as its ticket verb sets it (changes.ts): the history row and the domain event, by the current actor (the rule). */
function setField(ctx: PlanContext, field: Field, value: string, out: Writes): void {
  if (!VALUES[field].includes(value)) throw new Error(`The rule action sets ${field} to ${value}, which is not one`);
  const { facts } = ctx;
  const from = facts[field];
  out.history.push({ actor: ctx.ruleName, field, from, to: value });
  if (field === 'status') raiseStatusChange(facts.ticketId, from as TicketStatus, value as TicketStatus);
  else if (field === 'priority') raiseTicketEvent({ type: 'ticket.property_changed', ticketId: facts.ticketId, property: 'priority', from: from as TicketPriority, to: value as TicketPriority });
  else raiseTicketEvent({ type: 'ticket.property_changed', ticketId: facts.ticketId, property: 'type', from: from as TicketType, to: value as TicketType });
  (out.ticket as Record<Field, string>)[field] = value;
  (facts as unknown as Record<Field, string>)[field] = value;
}

/** What `action` would do on the ticket now: one step, or one per recipient. */
export function plan(ctx: PlanContext, action: ActionShape): Step[] {
  const { facts } = ctx;
  const { kind } = action;
  switch (kind) {
    case 'email_contact':
      return [emailStep(ctx, action, { address: facts.contactEmail, name: facts.contactName }, (out) => emailContact(ctx, action, out))];
    case 'email_assignee': {
      if (!facts.assigneeId || !facts.assigneeEmail) return [skipped(kind, 'ruleEngine.reason.noAssignee')];
      const technician = { name: facts.assigneeName ?? '', email: facts.assigneeEmail };
      return [emailStep(ctx, action, { address: technician.email, name: technician.name }, (out) => emailTechnician(ctx, action, technician, out))];
    }
    case 'email_all_technicians': {
      const technicians = activeTechnicians(ctx);
      if (!technicians.length) return [skipped(kind, 'ruleEngine.reason.noTechnicians')];
      return technicians.map((t) => emailStep(ctx, action, { address: t.email, name: t.name }, (out) => emailTechnician(ctx, action, t, out)));
    }
    case 'set_status': case 'set_priority': case 'set_type': {
      const field = kind.slice(4) as Field;
      const value = action.value ?? '';
      const hold = fieldHeldBy(kind);
      // Already so: nothing to change, but the field is this rule's (a later one does not override it).
      if (facts[field] === value) return [skipped(kind, 'ruleEngine.reason.alreadySet', undefined, value, hold)];
      return [would(kind, value, hold, (out) => setField(ctx, field, value, out))];
    }
    case 'assign_technician': {
      const hold = fieldHeldBy(kind);
      let chosen: TechnicianFacts | null;
      const roundRobin = !action.technicianId && action.value === ROUND_ROBIN;
      if (action.technicianId) {
        const row = ctx.data.technicians?.find((t) => t.id === action.technicianId);
        if (!row?.active) return [skipped(kind, 'ruleEngine.reason.technicianInactive', { name: row?.name ?? '' })];
        chosen = row;
      } else if (roundRobin) {
        chosen = nextInTurn(ctx, ctx.data.lastAssigned.has(action.id) ? ctx.data.lastAssigned.get(action.id)! : action.lastTechnicianId);
        if (!chosen) return [skipped(kind, 'ruleEngine.reason.noTechnicians')];
      } else {
        throw new Error(`The rule action ${action.id} names no technician`);
      }
      const technician = chosen;
      if (facts.assigneeId === technician.id) return [skipped(kind, 'ruleEngine.reason.alreadySet', undefined, technician.name, hold)];
      return [would(kind, technician.name, hold, (out) => {
        out.history.push({ actor: ctx.ruleName, field: 'assignee', from: facts.assigneeName, to: technician.name });
        raiseTicketEvent({ type: 'ticket.assignment_changed', ticketId: facts.ticketId, from: facts.assigneeId, to: technician.id });
        out.ticket.assigneeId = technician.id;
        if (roundRobin) {
          out.pointers.push({ actionId: action.id, technicianId: technician.id });
          ctx.data.lastAssigned.set(action.id, technician.id);
        }
        Object.assign(facts, { assigneeId: technician.id, assigneeName: technician.name, assigneeEmail: technician.email });
      })];
    }
    case 'add_note': {
      const body = (action.value ?? '').trim();
      if (!body) throw new Error(`The rule action ${action.id} has no note`);
      return [would(kind, body.slice(0, 200), null, (out) => {
        const assignee = facts.assigneeId ? { name: facts.assigneeName ?? '', email: facts.assigneeEmail ?? '' } : null;
        out.notes.push(masked(renderSnippets(body, snippetContext(ctx, assignee))));
      })];
    }
  }
  return [];
}

/** What the actions of these rules read beside the ticket (facts.ts `FactsNeeds`). */
export function needsOf(rules: Array<{ id: number; actions: ActionShape[] }>): { people: boolean; emailRules: number[]; roundRobin: number[] } {
  const emailRules = new Set<number>();
  const roundRobin: number[] = [];
  let people = false;
  for (const rule of rules) {
    for (const a of rule.actions) {
      if (a.kind.startsWith('email_')) emailRules.add(rule.id);
      if (a.kind === 'assign_technician' && !a.technicianId && a.value === ROUND_ROBIN) roundRobin.push(a.id);
      if (a.kind !== 'set_status' && a.kind !== 'set_priority' && a.kind !== 'set_type') people = true;
    }
  }
  return { people, emailRules: [...emailRules], roundRobin };
}
