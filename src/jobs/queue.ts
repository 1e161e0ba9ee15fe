// Queueing a job from the web layer (work moved after the answer, so its length
// tells the client nothing). The job queue plugs its scheduler in at start.
import type { JobScheduler } from './registry.js';

let scheduler: JobScheduler | undefined;

/** Returns the scheduler it replaces. */
export function setJobScheduler(next: JobScheduler | undefined): JobScheduler | undefined {
  const previous = scheduler;
  scheduler = next;
  return previous;
}

export async function queueJob(name: string, data: Record<string, unknown>): Promise<void> {
  if (!scheduler) throw new Error('the job queue is not started');
  await scheduler.now(name, data);
}
