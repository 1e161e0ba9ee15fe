// Every subscriber to the domain events, in one place (as src/jobs/registry.ts
// lists the jobs). A subscriber is run by the unit of work, once per unit of work
// that raised events:
// - `beforeCommit` inside the transaction, after the work has flushed, with the
//   events the work raised — its writes commit or roll back with the unit (the
//   rules engine goes here). It runs as the system named after it unless it says
//   otherwise (`actingAs`: a rule acts as itself), and the events its own changes
//   raise carry that origin. They are not handed to before-commit subscribers
//   again: running is not recursive, so a rule reacting to a rule cannot loop.
// - `afterCommit` once the transaction has committed, with every event of the unit
//   (the subscribers' too); a failure is logged, the commit stands (webhooks go here).
import type { CommitSubscriber } from '../db/unit-of-work.js';
import { notificationSubscriber } from './notification/subscriber.js';
import { ruleEventQueue } from './rule/subscriber.js';

export const subscribers: CommitSubscriber[] = [ruleEventQueue, notificationSubscriber];
