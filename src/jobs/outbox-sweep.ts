// Covers a wake-up lost between a commit and the queue (a crash, a queue outage):
// every minute, queued emails that are overdue are handed to the deliver job again.
// They are found across tenants in outbox_schedule (ids and times, no RLS: see
// dueOutboxEmails), never by opening a unit of work in every tenant.
import { dueOutboxEmails } from '../outbound/deliver.js';
import { DELIVER_EMAIL } from './deliver-email.js';
import type { JobDefinition } from './registry.js';

export const outboxSweepJob: JobDefinition = {
  name: 'outbox-sweep',
  every: '1 minute',
  async run(_data, scheduler) {
    for (const { tenantId, emailId } of await dueOutboxEmails()) await scheduler.now(DELIVER_EMAIL, { tenantId, emailId });
  },
};
