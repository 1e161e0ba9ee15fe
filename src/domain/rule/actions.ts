// What each action of a rule does, in two steps: `plan` says what it would do on the
// ticket as it stands (to whom, to what value) or why it is skipped — read-only, so the
// dry run (testRule) and the engine share it — and `apply` does it, acting as the rule.
// Emails go through the outbox with Auto-Submitted: auto-generated; a contact's
// credential snippets stay markers for the send job to mint, as in every other email;
// a technician's copy has them masked (never a contact's password in another mailbox).
import { wrap } from '@mikro-orm/core';
import type { Em } from '../../db/orm.js';
import { masked } from '../../outbound/credentials.js';
import { queueEmail } from '../../outbound/outbox.js';
import { renderTemplate, sendTemplate } from '../email/send.js';
import { renderSnippets } from '../email/snippets.js';
import { EmailTemplate } from '../email/email-template.js';
import { Technician } from '../technician/technician.js';
import { Tenant } from '../tenant/tenant.js';
import { assign, changePriority, changeStatus, changeType } from '../ticket/changes.js';
import { Ticket, TicketMessage } from '../ticket/ticket.js';
import type { ActionResult } from './rule.js';
import type { Query, TicketFacts } from './facts.js';
import { EMAILS_PER_RECIPIENT_PER_HOUR, fieldHeldBy, ROUND_ROBIN, type RuleActionKind } from './vocabulary.js';

/** An action as the engine reads it (rules.ts loads them in one query). */
export interface ActionShape {
  id: number;
  kind: RuleActionKind;
  templateId: number | null;
  technicianId: number | null;
  value: string | null;
  lastTechnicianId: number | null;
}

export interface PlanContext {
  em: Em;
  query: Query;
  tenantId: number;
  ruleId: number;
  /** The ticket as it stands now in this run (rules before may have changed it). */
  facts: TicketFacts;
  /** The ticket or the event came from automatic mail: no rule email. */
  automatic: boolean;
  /** What the rules of one event read once between them. */
  cache: PlanCache;
}

export interface PlanCache {
  technicians?: Promise<Array<{ id: number; name: string; email: string }>>;
}

/** The workspace's active technicians, read once per event. */
function activeTechnicians(ctx: PlanContext): Promise<Array<{ id: number; name: string; email: string }>> {
  ctx.cache.technicians ??= ctx.query<{ id: number; name: string; email: string }>('select id, name, email from technicians where tenant_id = $1 and active order by id', [ctx.tenantId]);
  return ctx.cache.technicians;
}

/** One thing an action would do: its result so far ('would_apply' or 'skipped'), what it takes hold of, and how to do it. */
export interface Step {
  result: ActionResult;
  hold: string | null;
  apply?: (em: Em) => Promise<void>;
}

export const MAIL_KIND = 'rule_email';

const would = (kind: RuleActionKind, detail: string, hold: string | null, apply: Step['apply']): Step => ({ result: { kind, result: 'would_apply', detail }, hold, apply });
const skipped = (kind: RuleActionKind, reason: string, params?: Record<string, string | number>, detail?: string, hold: string | null = null): Step =>
  ({ result: { kind, result: 'skipped', reason, ...(params ? { params } : {}), ...(detail ? { detail } : {}) }, hold });

async function tenantOf(em: Em, tenantId: number): Promise<Tenant> {
  return em.findOneOrFail(Tenant, { id: tenantId });
}

/** The ticket entity, loaded once per unit of work (the identity map keeps it). */
export async function ticketOf(em: Em, ticketId: number): Promise<Ticket> {
  const ticket = await em.findOneOrFail(Ticket, { id: ticketId }, { populate: ['customer', 'contact', 'assignee'] });
  if (ticket.assignee && !wrap(ticket.assignee, true).isInitialized()) await em.populate(ticket, ['assignee']);
  return ticket;
}

async function templateOf(em: Em, action: ActionShape): Promise<EmailTemplate> {
  // The foreign key keeps a used template from being deleted; a rule that still lost its own fails (and is recorded so).
  if (!action.templateId) throw new Error(`The rule action ${action.id} has no template`);
  const template = await em.findOne(EmailTemplate, { id: action.templateId });
  if (!template) throw new Error(`The template of rule action ${action.id} is gone`);
  return template;
}

/** Emails this rule sent this recipient in the last hour (ticket_rule_sends). */
async function sentLastHour(ctx: PlanContext, recipient: string): Promise<number> {
  const [row] = await ctx.query<{ n: number }>(
    `select count(*)::int as n from ticket_rule_sends where tenant_id = $1 and rule_id = $2 and recipient = $3 and sent_at > now() - interval '1 hour'`,
    [ctx.tenantId, ctx.ruleId, recipient]);
  return row?.n ?? 0;
}

async function recordSend(em: Em, tenantId: number, ruleId: number, recipient: string): Promise<void> {
  await em.execute('insert into ticket_rule_sends (tenant_id, rule_id, recipient) values (?, ?, ?)', [tenantId, ruleId, recipient]);
}

/** An email to one recipient, unless automatic mail or the hourly cap forbids it. */
async function emailStep(ctx: PlanContext, action: ActionShape, to: { address: string; name: string }, send: (em: Em) => Promise<void>): Promise<Step> {
  const recipient = to.address.toLowerCase();
  const hold = `email:${recipient}`;
  if (ctx.automatic) return skipped(action.kind, 'ruleEngine.reason.automaticMail', undefined, recipient);
  // A send of this run is counted too: it is written before the next action is planned.
  if (await sentLastHour(ctx, recipient) >= EMAILS_PER_RECIPIENT_PER_HOUR) {
    return skipped(action.kind, 'ruleEngine.reason.hourlyCap', { recipient, max: EMAILS_PER_RECIPIENT_PER_HOUR }, recipient);
  }
  const { tenantId, ruleId } = ctx;
  return would(action.kind, recipient, hold, async (em) => {
    await send(em);
    await recordSend(em, tenantId, ruleId, recipient);
  });
}

/** A template to a technician: the ticket's snippets for its requester, credentials masked. */
async function emailTechnician(em: Em, tenantId: number, ticketId: number, action: ActionShape, technicianId: number): Promise<void> {
  const tenant = await tenantOf(em, tenantId);
  const ticket = await ticketOf(em, ticketId);
  const technician = await em.findOneOrFail(Technician, { id: technicianId });
  const template = await templateOf(em, action);
  const { subject, text, html } = await renderTemplate(em, tenant, template, { contact: ticket.contact, ticket, technician });
  queueEmail(em, tenant, {
    kind: MAIL_KIND, to: { address: technician.email, name: technician.name },
    subject: masked(subject), text: masked(text), html: masked(html), autoSubmitted: true, ticketId: ticket.id,
  });
}

/** The next active technician after the one assigned last, in a stable order. */
async function nextInTurn(ctx: PlanContext, after: number | null): Promise<{ id: number; name: string } | null> {
  const active = await activeTechnicians(ctx);
  if (!active.length) return null;
  return active.find((t) => after !== null && t.id > after) ?? active[0];
}

type Field = 'status' | 'priority' | 'type';
const CHANGE = { status: changeStatus, priority: changePriority, type: changeType } as const;

/** What `action` would do on the ticket now: one step, or one per recipient. */
export async function plan(ctx: PlanContext, action: ActionShape): Promise<Step[]> {
  const { em, facts, tenantId } = ctx;
  const { kind } = action;
  switch (kind) {
    case 'email_contact': {
      const step = await emailStep(ctx, action, { address: facts.contactEmail, name: facts.contactName }, async (em) => {
        const ticket = await ticketOf(em, facts.ticketId);
        await sendTemplate(em, await tenantOf(em, tenantId), await templateOf(em, action), {
          kind: MAIL_KIND, contact: ticket.contact, ticket, technician: ticket.assignee ?? null, autoSubmitted: true,
        });
      });
      return [step];
    }
    case 'email_assignee': {
      if (!facts.assigneeId || !facts.assigneeEmail) return [skipped(kind, 'ruleEngine.reason.noAssignee')];
      const technicianId = facts.assigneeId;
      return [await emailStep(ctx, action, { address: facts.assigneeEmail, name: facts.assigneeName ?? '' }, (em) => emailTechnician(em, tenantId, facts.ticketId, action, technicianId))];
    }
    case 'email_all_technicians': {
      const technicians = await activeTechnicians(ctx);
      if (!technicians.length) return [skipped(kind, 'ruleEngine.reason.noTechnicians')];
      const steps: Step[] = [];
      for (const t of technicians) steps.push(await emailStep(ctx, action, { address: t.email, name: t.name }, (em) => emailTechnician(em, tenantId, facts.ticketId, action, t.id)));
      return steps;
    }
    case 'set_status': case 'set_priority': case 'set_type': {
      const field = kind.slice(4) as Field;
      const value = action.value ?? '';
      const hold = fieldHeldBy(kind);
      // Already so: nothing to change, but the field is this rule's (a later one does not override it).
      if (facts[field] === value) return [skipped(kind, 'ruleEngine.reason.alreadySet', undefined, value, hold)];
      return [would(kind, value, hold, async (em) => {
        const ticket = await ticketOf(em, facts.ticketId);
        await CHANGE[field](em, await tenantOf(em, tenantId), ticket, value);
        (facts as unknown as Record<Field, string>)[field] = value;
      })];
    }
    case 'assign_technician': {
      const hold = fieldHeldBy(kind);
      let chosen: { id: number; name: string } | null;
      if (action.technicianId) {
        const [row] = await ctx.query<{ id: number; name: string; active: boolean }>('select id, name, active from technicians where tenant_id = $1 and id = $2', [tenantId, action.technicianId]);
        if (!row?.active) return [skipped(kind, 'ruleEngine.reason.technicianInactive', { name: row?.name ?? '' })];
        chosen = row;
      } else if (action.value === ROUND_ROBIN) {
        chosen = await nextInTurn(ctx, action.lastTechnicianId);
        if (!chosen) return [skipped(kind, 'ruleEngine.reason.noTechnicians')];
      } else {
        throw new Error(`The rule action ${action.id} names no technician`);
      }
      const technician = chosen;
      if (facts.assigneeId === technician.id) return [skipped(kind, 'ruleEngine.reason.alreadySet', undefined, technician.name, hold)];
      return [would(kind, technician.name, hold, async (em) => {
        const ticket = await ticketOf(em, facts.ticketId);
        await assign(em, await tenantOf(em, tenantId), ticket, await em.findOneOrFail(Technician, { id: technician.id }));
        if (action.value === ROUND_ROBIN && !action.technicianId) {
          await em.execute('update ticket_rule_actions set last_technician_id = ? where tenant_id = ? and id = ?', [technician.id, tenantId, action.id]);
        }
        Object.assign(facts, { assigneeId: technician.id, assigneeName: technician.name, assigneeEmail: ticket.assignee?.email ?? null });
      })];
    }
    case 'add_note': {
      const body = (action.value ?? '').trim();
      if (!body) throw new Error(`The rule action ${action.id} has no note`);
      return [would(kind, body.slice(0, 200), null, async (em) => {
        const ticket = await ticketOf(em, facts.ticketId);
        const tenant = await tenantOf(em, tenantId);
        const text = masked(renderSnippets(body, { tenant, contact: ticket.contact, ticket, technician: ticket.assignee ?? null }));
        em.persist(em.create(TicketMessage, { tenant, ticket, authorKind: 'system', body: text, internal: true, createdAt: new Date() }));
        ticket.updatedAt = new Date();
        await em.flush();
      })];
    }
  }
  void em;
  return [];
}
