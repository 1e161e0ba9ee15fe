// What each Graph problem and each test step is called, as literal catalogue keys (the
// catalogue test finds keys by their literals): the pages say them in the reader's words.
import type { GraphProblem } from './graph-client.js';
import type { TestStep } from './entra-sync.js';

export const PROBLEM_WORDS: Record<GraphProblem, string> = {
  directoryNotFound: 'entra.problems.directoryNotFound',
  applicationNotFound: 'entra.problems.applicationNotFound',
  wrongSecret: 'entra.problems.wrongSecret',
  expiredSecret: 'entra.problems.expiredSecret',
  unauthorizedClient: 'entra.problems.unauthorizedClient',
  noPermission: 'entra.problems.noPermission',
  groupNotFound: 'entra.problems.groupNotFound',
  throttled: 'entra.problems.throttled',
  unreachable: 'entra.problems.unreachable',
  deltaExpired: 'entra.problems.deltaExpired',
  unexpected: 'entra.problems.unexpected',
};

export const STEP_WORDS: Record<TestStep, string> = {
  token: 'entra.test.steps.token',
  users: 'entra.test.steps.users',
  group: 'entra.test.steps.group',
};
