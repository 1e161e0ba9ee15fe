// Boots Sportello for the test run: a fresh database (DATABASE_URL's server if
// set, else an embedded one), migrations, the app, the SMTP sink, the job queue
// (queueing only: tests run jobs with `drainJobs`), and a log capture.
import { createHash } from 'node:crypto';
import { Writable } from 'node:stream';
import type { Express } from 'express';
import type { MikroORM } from '@mikro-orm/postgresql';
import pg from 'pg';
import path from 'node:path';
import { createApp } from '../../src/app.js';
import { startEmbeddedPostgres } from '../../src/db/embedded.js';
import { assertRuntimeRoleIsUnprivileged, migrate, openRuntimeOrm } from '../../src/db/orm.js';
import { createRuntimePool } from '../../src/db/pool.js';
import { setOrm } from '../../src/db/unit-of-work.js';
import { startJobQueue } from '../../src/jobs/agenda.js';
import { createLogger, setLogger } from '../../src/lib/logger.js';
import { resetTransports } from '../../src/outbound/transport.js';
import { forgetTenant } from '../../src/web/middleware/tenant-cache.js';
import { MailSink } from './mail-sink.js';
import { createSnapshotFunctions } from './snapshot.js';

process.env.NODE_ENV = 'test';
process.env.APP_DOMAIN = 'localhost:3000';
process.env.APP_SECRET ??= 'test-secret-test-secret-test-secret-0123';

export interface Harness {
  app: Express;
  orm: MikroORM;
  owner: pg.Pool;
  runtimePool: pg.Pool;
  databaseUrl: string;
  mail: MailSink;
  logs: string[];
  close(): Promise<void>;
}

let harness: Harness | undefined;

export function h(): Harness {
  if (!harness) throw new Error('The test harness is not booted (test/support/hooks.ts)');
  return harness;
}

function testDatabaseName(): string {
  const suffix = process.env.TEST_DB_SUFFIX ?? createHash('sha1').update(process.cwd()).digest('hex').slice(0, 8);
  return `sportello_test_${suffix}`;
}

export async function bootHarness(): Promise<Harness> {
  const mail = new MailSink();
  await mail.start();
  process.env.SMTP_URL = mail.url;


  const logs: string[] = [];
  setLogger(createLogger('debug', new Writable({ write(chunk, _enc, done) { logs.push(String(chunk)); if (process.env.TEST_LOG) process.stderr.write(chunk); done(); } })));

  let serverUrl = process.env.DATABASE_URL;
  let embedded: { stop(): Promise<void> } | undefined;
  if (!serverUrl) {
    const started = await startEmbeddedPostgres(path.resolve('.data/test'), Number(process.env.TEST_EMBEDDED_PG_PORT ?? 54339));
    embedded = started;
    serverUrl = started.url;
  }
  const name = testDatabaseName();
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`drop database if exists "${name}" with (force)`);
  await admin.query(`create database "${name}"`);
  // A test database holds nothing worth a WAL flush at every commit: commits return before
  // the flush (a crash could lose the last few, which a test run never needs).
  await admin.query(`alter database "${name}" set synchronous_commit = off`);
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const databaseUrl = url.toString();
  process.env.DATABASE_URL = databaseUrl;

  await migrate(databaseUrl);
  const orm = await openRuntimeOrm(databaseUrl, 8);
  await assertRuntimeRoleIsUnprivileged(orm);
  setOrm(orm);
  const runtimePool = createRuntimePool(databaseUrl);
  const owner = new pg.Pool({ connectionString: databaseUrl, max: 3 });
  await createResetFunction(owner);
  await createSnapshotFunctions(owner);
  resetTransports();
  const queue = await startJobQueue({ pool: runtimePool, process: false });
  const app = createApp(runtimePool);

  harness = {
    app, orm, owner, runtimePool, databaseUrl, mail, logs,
    async close() {
      await queue.stop();
      await runtimePool.end();
      await owner.end();
      await orm.close(true);
      await mail.stop();
      await embedded?.stop();
    },
  };
  return harness;
}

/**
 * Empties every table between tests, as the owner, in one round trip. DELETE, not TRUNCATE:
 * a test leaves a few rows in a few of ~70 tables, and TRUNCATE makes new files for every
 * table and index (a third of a second a test, most of the suite's database time). Foreign
 * keys are not checked while it runs (session_replication_role, a superuser's setting; the
 * test server's user is one), and the sequences start again, as TRUNCATE … RESTART IDENTITY did.
 */
export async function resetDatabase(): Promise<void> {
  await h().owner.query('select sportello_test_reset()');
  h().mail.clear();
  h().logs.length = 0;
  forgetTenant();
}

async function createResetFunction(owner: pg.Pool): Promise<void> {
  await owner.query(`
    create or replace function sportello_test_reset() returns void language plpgsql as $$
    declare r record;
    begin
      set local session_replication_role = replica;
      for r in select tablename from pg_tables where schemaname = 'public' and tablename <> 'mikro_orm_migrations' loop
        execute format('delete from public.%I', r.tablename);
      end loop;
      for r in select s.schemaname, s.sequencename, s.start_value from pg_sequences s
               where s.schemaname = 'public' and s.last_value is not null loop
        perform setval(format('%I.%I', r.schemaname, r.sequencename), r.start_value, false);
      end loop;
    end $$`);
}
