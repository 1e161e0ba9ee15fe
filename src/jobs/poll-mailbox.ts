import { pollMailbox } from '../inbound/poll.js';
import type { JobDefinition } from './registry.js';

export const POLL_MAILBOX = 'poll-mailbox';

/** Polls one mailbox of one tenant (the lease in mailbox_polls keeps it to one worker at a time). */
export const pollMailboxJob: JobDefinition = {
  name: POLL_MAILBOX,
  concurrency: 2,
  async run(data) {
    await pollMailbox(Number(data.tenantId), Number(data.mailboxId), { onlyIfDue: true });
  },
};
