// Daily: the raw bytes of handled incoming messages are dropped after 30 days (the
// log row stays). Rejected and failed ones keep theirs until an admin acts on them.
import { globalEm } from '../db/unit-of-work.js';
import { Tenant } from '../domain/tenant/tenant.js';
import { pruneRawMessages } from '../inbound/prune.js';
import type { JobDefinition } from './registry.js';

export const inboundPruneJob: JobDefinition = {
  name: 'inbound-prune',
  every: '1 day',
  async run() {
    const tenants = await globalEm().find(Tenant, {}, { fields: ['id'] });
    for (const { id } of tenants) await pruneRawMessages(id);
  },
};
