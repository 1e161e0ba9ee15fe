// Every job by name. Each is a few lines that restore the tenant and call a
// domain verb (`tenantJob` in tenant-job.ts does the restoring: the body gets the
// tenant's unit of work); `scheduler` lets a job queue its own follow-up (e.g. a retry).
export interface JobScheduler {
  now(name: string, data: Record<string, unknown>): Promise<void>;
  at(when: Date, name: string, data: Record<string, unknown>): Promise<void>;
}

export interface JobDefinition {
  name: string;
  run(data: Record<string, unknown>, scheduler: JobScheduler): Promise<void>;
  every?: string;
  concurrency?: number;
}

import { deliverEmailJob } from './deliver-email.js';
import { inboundPruneJob, inboundPruneTenantJob } from './inbound-prune.js';
import { outboxPruneJob } from './outbox-prune.js';
import { outboxSweepJob } from './outbox-sweep.js';
import { portalPasswordResetRequestJob, technicianPasswordResetRequestJob } from './password-reset-request.js';
import { pollDueMailboxesJob } from './poll-due-mailboxes.js';
import { pollMailboxJob } from './poll-mailbox.js';
import { signInThrottledJob } from './sign-in-throttled.js';
import { importContactsJob } from './import-contacts.js';
import { entraSyncJob } from './entra-sync.js';
import { entraDailySyncJob, entraDailySyncsJob } from './entra-daily-sync.js';
import { noteTrialEndsJob } from './note-trial-ends.js';
import { ticketRulesJob, ticketRulesPruneJob, ticketRulesPruneTenantJob, ticketRulesSweepJob, ticketRulesUnansweredJob, ticketRulesUnansweredTenantJob } from './ticket-rules.js';

export const jobs: JobDefinition[] = [deliverEmailJob, outboxSweepJob, outboxPruneJob, portalPasswordResetRequestJob, signInThrottledJob, pollDueMailboxesJob, pollMailboxJob, inboundPruneJob, inboundPruneTenantJob, technicianPasswordResetRequestJob, noteTrialEndsJob,
  ticketRulesJob, ticketRulesSweepJob, ticketRulesUnansweredJob, ticketRulesUnansweredTenantJob, ticketRulesPruneJob, ticketRulesPruneTenantJob, importContactsJob, entraSyncJob, entraDailySyncsJob, entraDailySyncJob];
