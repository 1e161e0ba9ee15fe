// Rules and tickets for the engine's tests: a rule written as an admin would set it up
// (its conditions and actions, by template name and technician), and tickets opened
// the way the product opens them (acting as the contact or technician).
import { inTenant } from '../../src/db/unit-of-work.js';
import { actorOf } from '../../src/domain/actor.js';
import { Contact } from '../../src/domain/contact/contact.js';
import { EmailTemplate } from '../../src/domain/email/email-template.js';
import { TicketRule, TicketRuleAction, TicketRuleCondition } from '../../src/domain/rule/rule.js';
import type { ConditionValue, RuleActionKind, RuleOperator, RuleProperty, RuleTrigger } from '../../src/domain/rule/vocabulary.js';
import { Technician } from '../../src/domain/technician/technician.js';
import { Tenant } from '../../src/domain/tenant/tenant.js';
import { openTicket } from '../../src/domain/ticket/open-ticket.js';
import { drainJobs, sql } from '../support/index.js';
import type { Ticket, TicketSource } from '../../src/domain/ticket/ticket.js';

export interface RuleSpec {
  name: string;
  trigger?: RuleTrigger;
  triggerHours?: number;
  ignoreFlow?: boolean;
  active?: boolean;
  conditions?: Array<[RuleProperty, RuleOperator, ConditionValue?]>;
  actions?: Array<{ kind: RuleActionKind; template?: string; technician?: string; value?: string }>;
}

/**
 * These tests count the rules' own emails: the workspaces' notifications (on unless an admin
 * switches them off; test/notifications) are switched off, as in Admin > Notifications. A rule
 * and a notification may both email one event (test/rules/scenario-credentials shows both).
 */
export async function withoutNotifications(): Promise<void> {
  await sql('update notification_settings set enabled = false');
}

/** A rule of the workspace, listed after its existing ones; returns its id. */
export async function makeRule(tenantId: number, spec: RuleSpec): Promise<number> {
  return inTenant(tenantId, async (em) => {
    const tenant = em.getReference(Tenant, tenantId);
    const [last] = await em.find(TicketRule, {}, { orderBy: { position: 'desc' }, limit: 1 });
    const rule = em.create(TicketRule, {
      tenant, name: spec.name, trigger: spec.trigger ?? 'ticket_created', triggerHours: spec.triggerHours ?? null,
      ignoreFlow: spec.ignoreFlow ?? false, active: spec.active ?? true, position: (last?.position ?? 0) + 1,
    });
    (spec.conditions ?? []).forEach(([property, operator, value], position) => {
      em.create(TicketRuleCondition, { tenant, rule, position, property, operator, value: value ?? null });
    });
    for (const [position, a] of (spec.actions ?? []).entries()) {
      const template = a.template ? await em.findOneOrFail(EmailTemplate, { name: a.template }) : null;
      const technician = a.technician ? await em.findOneOrFail(Technician, { email: a.technician }) : null;
      em.create(TicketRuleAction, { tenant, rule, position, kind: a.kind, template, technician, value: a.value ?? null });
    }
    await em.flush();
    return rule.id;
  });
}

/** A ticket opened by a contact (by email address) through the portal, or by a technician. */
export async function openAs(tenantId: number, who: { contact: string; by?: string }, title: string, source: TicketSource = 'portal'): Promise<Ticket> {
  const actor = await inTenant(tenantId, async (em) => actorOf(who.by
    ? await em.findOneOrFail(Technician, { email: who.by })
    : await em.findOneOrFail(Contact, { email: who.contact })));
  return inTenant(tenantId, async (em) => {
    const tenant = await em.findOneOrFail(Tenant, { id: tenantId });
    const contact = await em.findOneOrFail(Contact, { email: who.contact }, { populate: ['customer'] });
    return openTicket(em, tenant, { contact, title, source: who.by ? 'technician' : source });
  }, actor);
}

/** Turns a rule of the workspace on, by name (the defaults are shipped inactive). */
export async function activate(tenantId: number, name: string): Promise<void> {
  const rows = await sql('update ticket_rules set active = true where tenant_id = $1 and name = $2 returning id', [tenantId, name]);
  if (rows.length !== 1) throw new Error(`No rule ${name}`);
}

export interface RunRow { rule: string; event: string; outcome: string; actions: Array<{ kind: string; result: string; reason?: string; params?: Record<string, unknown>; detail?: string }>; error: string | null }

/** The workspace's rule runs, oldest first, with their rule's name — the rules an event's conditions missed (ticket_rule_misses) as not matched, in rule order. */
export async function runs(tenantId: number): Promise<RunRow[]> {
  return sql<RunRow>(`select rule, event, outcome, actions, error from (
      select r.name as rule, u.event, u.outcome, u.actions, u.error, u.created_at, 0 as kind, u.id as n, 0 as position
        from ticket_rule_runs u join ticket_rules r on r.id = u.rule_id where u.tenant_id = $1
      union all
      select r.name, m.event, 'not_matched', '[]'::jsonb, null, m.created_at, 1, m.id, r.position
        from ticket_rule_misses m cross join unnest(m.rule_ids) as x(rule_id) join ticket_rules r on r.id = x.rule_id where m.tenant_id = $1
    ) x order by created_at, kind, n, position`, [tenantId]);
}

/** Runs a periodic job now, as the worker would on its schedule (and what it queues). */
export async function runPeriodicJob(name: string): Promise<void> {
  await sql(`insert into agenda_jobs (name, data, next_run_at, type) values ($1, '{}', now(), 'normal')`, [name]);
  await drainJobs();
}
