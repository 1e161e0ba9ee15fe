// The rules engine's jobs. `ticket-rules` runs a workspace's queued ticket events (woken
// after the commit that queued them); the sweep covers a lost wake-up or a failed event
// due for another attempt; `ticket-rules-unanswered` checks the time-based trigger every
// few minutes; runs are pruned daily. Workspaces with work are found in
// ticket_rule_tenants (ids and times, no RLS), never by looping over every tenant.
import { globalEm } from '../db/unit-of-work.js';
import { processRuleEvents } from '../domain/rule/queue.js';
import { pruneRuleRecords } from '../domain/rule/prune.js';
import { queueUnansweredTickets } from '../domain/rule/time.js';
import { Tenant } from '../domain/tenant/tenant.js';
import type { JobDefinition } from './registry.js';
import { tenantIdOf, tenantJob } from './tenant-job.js';

export const TICKET_RULES = 'ticket-rules';
const UNANSWERED_TENANT = 'ticket-rules-unanswered-tenant';
const PRUNE_TENANT = 'ticket-rules-prune-tenant';

export const ticketRulesJob: JobDefinition = {
  name: TICKET_RULES,
  concurrency: 2,
  async run(data) {
    const tenantId = tenantIdOf(data);
    if (tenantId) await processRuleEvents(tenantId);
  },
};

async function tenantsWith(condition: string): Promise<number[]> {
  const rows = await globalEm().getConnection().execute<Array<{ tenant_id: number }>>(`select tenant_id from ticket_rule_tenants where ${condition} order by tenant_id`);
  return rows.map((r) => r.tenant_id);
}

export const ticketRulesSweepJob: JobDefinition = {
  name: 'ticket-rules-sweep',
  every: '1 minute',
  async run(_data, scheduler) {
    for (const tenantId of await tenantsWith("events_since < now() - interval '1 minute'")) await scheduler.now(TICKET_RULES, { tenantId });
  },
};

export const ticketRulesUnansweredJob: JobDefinition = {
  name: 'ticket-rules-unanswered',
  every: '5 minutes',
  async run(_data, scheduler) {
    for (const tenantId of await tenantsWith('timed')) await scheduler.now(UNANSWERED_TENANT, { tenantId });
  },
};

export const ticketRulesUnansweredTenantJob = tenantJob({
  name: UNANSWERED_TENANT,
  async run(work) {
    await queueUnansweredTickets(work);
  },
});

export const ticketRulesPruneJob: JobDefinition = {
  name: 'ticket-rules-prune',
  every: '1 day',
  async run(_data, scheduler) {
    const tenants = await globalEm().find(Tenant, {}, { fields: ['id'] });
    for (const { id: tenantId } of tenants) await scheduler.now(PRUNE_TENANT, { tenantId });
  },
};

export const ticketRulesPruneTenantJob = tenantJob({
  name: PRUNE_TENANT,
  async run({ sql }) {
    await pruneRuleRecords(sql);
  },
});
