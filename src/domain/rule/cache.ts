// A workspace's active rules, with their conditions and actions, kept in memory between
// events: read once, then again only when the workspace's rules version moved (migration
// 0025: every write to a rule, a condition, an action or an email template sets it to its
// transaction's id). The templates the email actions send are kept with them. The version is
// read with each event, in the statement that takes it (queue.ts), so an edit counts from
// the next event on, in every worker. Keyed by tenant: a workspace's rules are read
// through its own unit of work (RLS beneath) and only ever handed to its own events.
// The round-robin turn the engine itself writes is not kept here (facts.ts reads it).
// Each rule's conditions are kept compiled (conditions.ts): folded once, not per event.
import type { Query } from './facts.js';
import type { ActionShape } from './actions.js';
import { compileConditions, type CompiledCondition } from './conditions.js';
import type { ConditionValue, RuleOperator, RuleProperty, RuleTrigger } from './vocabulary.js';

export interface RuleShape {
  id: number;
  name: string;
  ignoreFlow: boolean;
  trigger: RuleTrigger;
  triggerHours: number | null;
  conditions: Array<{ property: RuleProperty; operator: RuleOperator; value: ConditionValue }>;
  /** The conditions compiled for evaluation (conditions.ts), once per rule set. */
  compiled: CompiledCondition[];
  actions: ActionShape[];
}

const RULES = `select r.id, r.name, r.ignore_flow as "ignoreFlow", r.trigger, r.trigger_hours as "triggerHours",
    coalesce((select json_agg(json_build_object('property', c.property, 'operator', c.operator, 'value', c.value) order by c.position, c.id)
      from ticket_rule_conditions c where c.tenant_id = r.tenant_id and c.rule_id = r.id), '[]') as conditions,
    coalesce((select json_agg(json_build_object('id', a.id, 'kind', a.kind, 'templateId', a.template_id, 'technicianId', a.technician_id,
        'value', a.value, 'lastTechnicianId', a.last_technician_id,
        'template', (select json_build_object('id', e.id, 'name', e.name, 'subject', e.subject, 'body', e.body)
                       from email_templates e where e.tenant_id = a.tenant_id and e.id = a.template_id)) order by a.position, a.id)
      from ticket_rule_actions a where a.tenant_id = r.tenant_id and a.rule_id = r.id), '[]') as actions
  from ticket_rules r
  where r.tenant_id = $1 and r.active
  order by r.position, r.id`;

/** Every active rule of the workspace, in order, with its conditions (compiled) and actions: one query. */
export async function readActiveRules(query: Query, tenantId: number): Promise<RuleShape[]> {
  const rows = await query<Omit<RuleShape, 'compiled'>>(RULES, [tenantId]);
  return rows.map((r) => ({ ...r, compiled: compileConditions(r.conditions) }));
}

const MAX_WORKSPACES = 500;
interface Kept { version: string; rules: RuleShape[]; byTriggers: Map<string, RuleShape[]> }
const cache = new Map<number, Kept>();

/**
 * The workspace's active rules of these triggers, in order: from memory when `version`
 * (the workspace's rules version, read in this transaction) is the one they were read at,
 * else read now and kept. Without a version (none recorded yet: null or '0') they are read every time.
 */
export async function activeRules(query: Query, tenantId: number, triggers: readonly RuleTrigger[], version?: string | null): Promise<RuleShape[]> {
  const known = version !== undefined && version !== null && version !== '0';
  let entry = known ? cache.get(tenantId) : undefined;
  if (!entry || entry.version !== version) {
    // Read after the version (same transaction, a later statement): never older than it.
    const rules = await readActiveRules(query, tenantId);
    entry = { version: version ?? '', rules, byTriggers: new Map() };
    if (known) {
      cache.delete(tenantId);
      if (cache.size >= MAX_WORKSPACES) cache.delete(cache.keys().next().value!);
      cache.set(tenantId, entry);
    }
  }
  // The rules of these triggers, picked once per kept set (never changed by the caller).
  const key = triggers.join(' ');
  let picked = entry.byTriggers.get(key);
  if (!picked) entry.byTriggers.set(key, picked = entry.rules.filter((r) => triggers.includes(r.trigger)));
  return picked;
}

/** The workspace's rules as kept now, and the version they were read at (the queue reads the facts they need with the next event). */
export function keptRules(tenantId: number): { version: string; rules: RuleShape[] } | undefined {
  return cache.get(tenantId);
}

/** Forgets every workspace's rules (tests). */
export function forgetRules(): void {
  cache.clear();
}
