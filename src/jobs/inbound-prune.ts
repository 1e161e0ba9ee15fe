// Daily: the raw bytes of handled incoming messages are dropped after 30 days (the
// log row stays). Rejected and failed ones keep theirs until an admin acts on them.
// The daily job only lists the tenants (a table no tenant owns, read without RLS)
// and queues one prune per tenant, each its own job in its own unit of work: one
// tenant's failure or size delays no other.
import { globalEm } from '../db/unit-of-work.js';
import { Tenant } from '../domain/tenant/tenant.js';
import { pruneRawMessagesIn } from '../inbound/prune.js';
import type { JobDefinition } from './registry.js';
import { tenantJob } from './tenant-job.js';

export const PRUNE_TENANT_INBOUND = 'inbound-prune-tenant';

export const inboundPruneJob: JobDefinition = {
  name: 'inbound-prune',
  every: '1 day',
  async run(_data, scheduler) {
    const tenants = await globalEm().find(Tenant, {}, { fields: ['id'] });
    for (const { id: tenantId } of tenants) await scheduler.now(PRUNE_TENANT_INBOUND, { tenantId });
  },
};

export const inboundPruneTenantJob = tenantJob({
  name: PRUNE_TENANT_INBOUND,
  async run({ sql }) {
    await pruneRawMessagesIn(sql);
  },
});
