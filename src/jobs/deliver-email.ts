import { deliverEmail } from '../outbound/deliver.js';
import type { JobDefinition } from './registry.js';

export const DELIVER_EMAIL = 'deliver-email';

export const deliverEmailJob: JobDefinition = {
  name: DELIVER_EMAIL,
  concurrency: 5,
  async run(data, scheduler) {
    const tenantId = Number(data.tenantId);
    const emailId = Number(data.emailId);
    const outcome = await deliverEmail(tenantId, emailId);
    if (outcome.result === 'retry') await scheduler.at(outcome.retryAt, DELIVER_EMAIL, { tenantId, emailId });
  },
};
