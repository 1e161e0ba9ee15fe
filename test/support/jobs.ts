// Runs queued jobs to completion, outside any request or tenant context (a job
// that forgets to restore its tenant fails here). Jobs a job queues run too.
import { jobs } from '../../src/jobs/registry.js';
import type { JobScheduler } from '../../src/jobs/registry.js';
import { h } from './harness.js';

const scheduler: JobScheduler = {
  async now(name, data) {
    await h().owner.query(`insert into agenda_jobs (name, data, next_run_at, type) values ($1, $2, now(), 'normal')`, [name, JSON.stringify(data)]);
  },
  async at(when, name, data) {
    await h().owner.query(`insert into agenda_jobs (name, data, next_run_at, type) values ($1, $2, $3, 'normal')`, [name, JSON.stringify(data), when]);
  },
};

/**
 * Runs every due job (and, with `includeFuture`, scheduled retries too, as if
 * their time had come). Returns how many ran.
 */
export async function drainJobs(options: { includeFuture?: boolean; maxRounds?: number } = {}): Promise<number> {
  let ran = 0;
  for (let round = 0; round < (options.maxRounds ?? 20); round++) {
    if (options.includeFuture) {
      await h().owner.query(`update outbound_emails set next_attempt_at = now() where status = 'queued'`);
    }
    const { rows } = await h().owner.query<{ id: string; name: string; data: Record<string, unknown> }>(
      `delete from agenda_jobs where next_run_at is not null and ${options.includeFuture ? 'true' : 'next_run_at <= now()'} and repeat_interval is null returning id, name, data`);
    if (rows.length === 0) return ran;
    for (const row of rows) {
      const job = jobs.find((j) => j.name === row.name);
      if (!job) throw new Error(`No job is defined as ${row.name}`);
      await job.run(row.data ?? {}, scheduler);
      ran += 1;
    }
  }
  throw new Error('Jobs kept queueing jobs: gave up after maxRounds');
}
