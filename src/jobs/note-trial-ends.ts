// Hourly: a workspace whose trial is over is noted once even if no one visits it (a
// request notes it too, whichever comes first; noteTrialEnd's conditional update keeps
// it to one audit event).
import { endedTrialsUnnoted, noteTrialEnd } from '../domain/tenant/trial.js';
import type { JobDefinition } from './registry.js';

export const noteTrialEndsJob: JobDefinition = {
  name: 'note-trial-ends',
  every: '1 hour',
  async run() {
    for (const tenantId of await endedTrialsUnnoted()) await noteTrialEnd(tenantId);
  },
};
