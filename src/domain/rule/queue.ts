// The queue between ticket verbs and the rules engine. A before-commit subscriber
// writes each ticket event a trigger reacts to into ticket_rule_events, in the same
// transaction as the change (so nothing is lost between the commit and the job, and
// nothing is queued for a change that rolls back) — unless a rule caused it: a rule's
// own changes fire no rules, so rules never trigger each other or loop. Only events
// of a trigger some active rule has are queued (a workspace without rules pays one
// statement). After commit the job is woken; it runs the events of a tenant one at a
// time, in order, each in its own unit of work, and deletes each once done. An event
// whose processing fails is retried (by the sweep) up to MAX_ATTEMPTS times, then
// left as failed with its error; it never blocks the events after it.
import { inTenantWork } from '../../db/unit-of-work.js';
import { log } from '../../lib/logger.js';
import { ENABLED_SETTINGS_JSON, knowEnabledSettings } from '../notification/subscriber.js';
import { needsOf } from './actions.js';
import { keptRules } from './cache.js';
import { recordRuns, runRules, type RuleEvent } from './engine.js';
import { eventFactsOf, eventFactsSql, needsParams } from './facts.js';
import { TRIGGER_OF } from './subscriber.js';

export const MAX_ATTEMPTS = 3;

interface QueuedEvent {
  id: number; ticket_id: number; type: string; payload: Record<string, unknown>; rules_version: string | null; facts: unknown;
  notifications: Parameters<typeof knowEnabledSettings>[1];
}

// With the facts, the notifications on (ENABLED_SETTINGS_JSON, for the workspace: $2), for the
// notifications' subscriber: what a rule changes (an assignment…) asks no statement of its own
// to learn that none is on. (Made at first use: the notifications' module is in an import
// cycle with the unit of work, which this one imports too.)
let take: string | undefined;
const TAKE = (): string => take ??= `select l.locked, e.id, e.ticket_id, e.type, e.payload, v.rules_version::text as rules_version,
       case when f."ticketId" is not null then to_json(f) end as facts,
       case when f."ticketId" is not null then ${ENABLED_SETTINGS_JSON.replace(/\$1\b/g, '$$2')} end as notifications
  from (select pg_try_advisory_xact_lock($1, $2) as locked) l
  left join lateral (select id, ticket_id, type, payload from ticket_rule_events
                      where l.locked and tenant_id = $2 and id > $3 and attempts < $4 order by id limit 1) e on true
  left join lateral (select rules_version from ticket_rule_tenants where l.locked and tenant_id = $2) v on true
  left join lateral (${eventFactsSql({ tenant: '$2', ticket: 'e.ticket_id', people: '$6', emailRules: '$7', roundRobin: '$8' })}
                       and e.type = any($5::text[]) offset 0) f on true`;

// (offset 0 keeps the facts a subquery run for the one event taken: flattened, a generic plan read every ticket's.)
const NO_NEEDS = needsParams({ people: false, emailRules: [], roundRobin: [] });

/** What the rules kept for a workspace need read with its next event: for which event types, and what (as the statement's parameters). */
const prefetches = new WeakMap<object, { types: string; typeList: string[]; params: unknown[] }>();
function prefetchFor(tenantId: number): { version: string; types: string; typeList: string[]; params: unknown[] } | undefined {
  const kept = keptRules(tenantId);
  if (!kept) return undefined;
  let p = prefetches.get(kept);
  if (!p) {
    const typeList = [...TRIGGER_OF].filter(([, trigger]) => kept.rules.some((r) => r.trigger === trigger)).map(([type]) => type);
    p = { typeList, types: `{${typeList.map((t) => `"${t}"`).join(',')}}`, params: needsParams(needsOf(kept.rules)) };
    prefetches.set(kept, p);
  }
  return { version: kept.version, ...p };
}

/** Serialises a tenant's rule runs across workers (transaction-scoped: released at commit). */
const LOCK_CLASS = 1_907_013;

/** Takes the next event after `after`, runs its rules and deletes it; 'empty' / 'busy' when there is none / another worker runs them. */
async function processNext(tenantId: number, after: number): Promise<{ done: number } | { failed: number; error: unknown } | 'empty' | 'busy'> {
  let taken: QueuedEvent | undefined;
  try {
    return await inTenantWork(tenantId, async (work) => {
      // The lock first, then the next event and the workspace's rules version (cache.ts), in one
      // round trip (the laterals run after the lock is taken) — and, when rules are kept for the
      // event's trigger, the ticket's facts they need (used if the version is still theirs).
      const kept = prefetchFor(tenantId);
      const [next] = await work.sql.query<QueuedEvent & { locked: boolean; facts: unknown }>(TAKE(),
        [LOCK_CLASS, tenantId, after, MAX_ATTEMPTS, kept?.types ?? '{}', ...(kept?.params ?? NO_NEEDS)]);
      if (!next?.locked) return 'busy' as const;
      if (next.id === null) {
        // Nothing left for the sweep to find (an event committed meanwhile notes the workspace again).
        await work.sql.query(
          'update ticket_rule_tenants set events_since = null where tenant_id = $1 and not exists (select 1 from ticket_rule_events where tenant_id = $1 and attempts < $2)',
          [tenantId, MAX_ATTEMPTS]);
        return 'empty' as const;
      }
      taken = next;
      knowEnabledSettings(work, taken.notifications);
      const trigger = TRIGGER_OF.get(taken.type);
      const { ruleIds, eventKey, ...payload } = taken.payload as { ruleIds?: number[]; eventKey?: string };
      const event: RuleEvent = { ticketId: taken.ticket_id, type: taken.type, payload, ruleIds, eventKey };
      // What the rules changed and their runs are written, and the event deleted, in one statement,
      // and the commit sent behind it without waiting for its answer (TenantWork.behind).
      const prefetched = kept && kept.version === taken.rules_version && kept.typeList.includes(taken.type)
        ? { loaded: taken.facts ? eventFactsOf(taken.facts) : null } : undefined;
      const { runs, writes } = trigger ? await runRules(work, [trigger], event, taken.rules_version, prefetched) : { runs: [], writes: undefined };
      work.behind(recordRuns(work, event, runs, taken.id, writes));
      return { done: taken.id };
    }, { kind: 'system', name: 'ticket-rules' });
  } catch (error) {
    if (!taken) throw error;
    return { failed: taken.id, error };
  }
}

async function recordFailure(tenantId: number, eventId: number, error: unknown): Promise<void> {
  const message = (error instanceof Error ? error.message : String(error)).slice(0, 2000);
  await inTenantWork(tenantId, (work) => work.sql.query(
    'update ticket_rule_events set attempts = attempts + 1, last_error = $3 where tenant_id = $1 and id = $2', [tenantId, eventId, message]));
  log.warn({ err: error, tenantId, eventId }, 'ticket rules failed on an event; it will be retried');
}

/** Runs the tenant's queued events, oldest first, until none is left (or another worker has them). Returns how many ran. */
export async function processRuleEvents(tenantId: number): Promise<number> {
  let after = 0;
  let ran = 0;
  for (;;) {
    const next = await processNext(tenantId, after);
    if (next === 'empty' || next === 'busy') return ran;
    if ('done' in next) {
      ran += 1;
      after = next.done;
    } else {
      await recordFailure(tenantId, next.failed, next.error);
      after = next.failed;
    }
  }
}
