// Agenda on PostgreSQL (the same database, through the runtime role's pool) or,
// when AGENDA_MONGODB_URL is set, on MongoDB. `process` decides whether this
// process runs jobs (ROLE=worker|all) or only queues them (ROLE=web).
import { Agenda } from 'agenda';
import { PostgresBackend } from '@agendajs/postgres-backend';
import type pg from 'pg';
import { log } from '../lib/logger.js';
import { setDispatcher } from '../outbound/outbox.js';
import { DELIVER_EMAIL } from './deliver-email.js';
import { setJobScheduler } from './queue.js';
import { jobs, type JobScheduler } from './registry.js';
import { setRuleWaker } from '../domain/rule/subscriber.js';
import { TICKET_RULES } from './ticket-rules.js';

export interface JobQueue {
  agenda: Agenda;
  scheduler: JobScheduler;
  stop(): Promise<void>;
}

export interface QueueOptions {
  pool: pg.Pool;
  mongoUrl?: string;
  process: boolean;
  processEvery?: string | number;
  lockLifetimeMs?: number;
}

export async function startJobQueue(options: QueueOptions): Promise<JobQueue> {
  const backend = options.mongoUrl
    ? new (await import('@agendajs/mongo-backend')).MongoBackend({ address: options.mongoUrl })
    : new PostgresBackend({ pool: options.pool, ensureSchema: false });
  const agenda = new Agenda({
    backend,
    processEvery: options.processEvery ?? '5 seconds',
    defaultLockLifetime: options.lockLifetimeMs ?? 60_000,
    removeOnComplete: true,
  });
  agenda.on('error', (error) => log.error({ err: error }, 'job queue error'));
  // The LISTEN connection that wakes workers emits 'error' when the database drops it
  // (a restart, or the embedded server stopping): with no listener that ended the
  // process. The channel reconnects by itself; jobs are polled meanwhile.
  const channel = (backend as { notificationChannel?: { on(event: 'error', listener: (error: unknown) => void): void } }).notificationChannel;
  channel?.on('error', (error) => log.warn({ err: error }, 'job notifications lost their database connection; reconnecting'));
  await agenda.ready;

  const scheduler: JobScheduler = {
    async now(name, data) { await agenda.now(name, data); },
    async at(when, name, data) { await agenda.schedule(when, name, data); },
  };
  for (const job of jobs) {
    agenda.define(job.name, async (agendaJob) => {
      await job.run((agendaJob.attrs.data ?? {}) as Record<string, unknown>, scheduler);
    }, { concurrency: job.concurrency ?? 1 });
  }
  const previousDispatcher = setDispatcher((tenantId, emailId) => scheduler.now(DELIVER_EMAIL, { tenantId, emailId }));
  const previousScheduler = setJobScheduler(scheduler);
  const previousRuleWaker = setRuleWaker((tenantId) => scheduler.now(TICKET_RULES, { tenantId }));

  if (options.process) {
    await agenda.start();
    for (const job of jobs) if (job.every) await agenda.every(job.every, job.name);
    log.info('job worker started');
  }
  return {
    agenda,
    scheduler,
    async stop() {
      setDispatcher(previousDispatcher);
      setJobScheduler(previousScheduler);
      setRuleWaker(previousRuleWaker);
      if (options.process) await agenda.drain(10_000).catch(() => undefined);
      await agenda.stop(false).catch(() => undefined);
    },
  };
}
