// Finds the mailboxes whose poll is due, across tenants, from mailbox_polls (ids and
// times only, no RLS: the worker needs no tenant to find due work, and no loop over
// every tenant) and queues a poll for each. The schedule row is written with its
// mailbox, in the same transaction, so it survives restarts and never outlives it.
import { dueMailboxes } from '../inbound/schedule.js';
import { POLL_MAILBOX } from './poll-mailbox.js';
import type { JobDefinition } from './registry.js';

export const pollDueMailboxesJob: JobDefinition = {
  name: 'poll-due-mailboxes',
  every: '30 seconds',
  async run(_data, scheduler) {
    for (const { tenantId, mailboxId } of await dueMailboxes()) await scheduler.now(POLL_MAILBOX, { tenantId, mailboxId });
  },
};
