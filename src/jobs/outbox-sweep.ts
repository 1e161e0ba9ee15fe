// Covers a wake-up lost between a commit and the queue (a crash, a queue outage):
// every minute, queued emails that are overdue are handed to the deliver job again.
import { globalEm } from '../db/unit-of-work.js';
import { Tenant } from '../domain/tenant/tenant.js';
import { dueEmailIds } from '../outbound/deliver.js';
import { DELIVER_EMAIL } from './deliver-email.js';
import type { JobDefinition } from './registry.js';

export const outboxSweepJob: JobDefinition = {
  name: 'outbox-sweep',
  every: '1 minute',
  async run(_data, scheduler) {
    const tenants = await globalEm().find(Tenant, {}, { fields: ['id'] });
    for (const { id: tenantId } of tenants) {
      for (const emailId of await dueEmailIds(tenantId)) await scheduler.now(DELIVER_EMAIL, { tenantId, emailId });
    }
  },
};
