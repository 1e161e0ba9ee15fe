// Opening the database for a process: the embedded server when DATABASE_URL is
// unset, migrations applied by the owner, then the runtime ORM and pool on the
// unprivileged role (checked before anything is served).
import type { MikroORM } from '@mikro-orm/postgresql';
import type pg from 'pg';
import { config } from '../config.js';
import { log } from '../lib/logger.js';
import { startEmbeddedPostgres, type EmbeddedDatabase } from './embedded.js';
import { assertRuntimeRoleIsUnprivileged, migrate, openRuntimeOrm } from './orm.js';
import { createRuntimePool } from './pool.js';
import { setOrm } from './unit-of-work.js';

export interface Database {
  url: string;
  orm: MikroORM;
  pool: pg.Pool;
  close(): Promise<void>;
}

export async function openDatabase(options: { migrate?: boolean } = {}): Promise<Database> {
  const c = config();
  let embedded: EmbeddedDatabase | undefined;
  let url = c.databaseUrl;
  if (!url) {
    embedded = await startEmbeddedPostgres(c.dataDir, c.embeddedPgPort);
    url = await ensureDatabase(embedded.url, 'sportello');
  }
  if (options.migrate !== false) {
    const applied = await migrate(url);
    if (applied.length) log.info({ applied }, 'migrations applied');
  }
  const orm = await openRuntimeOrm(url);
  await assertRuntimeRoleIsUnprivileged(orm);
  setOrm(orm);
  const pool = createRuntimePool(url);
  return {
    url, orm, pool,
    async close() {
      setOrm(undefined);
      await pool.end().catch(() => undefined);
      await orm.close(true).catch(() => undefined);
      await embedded?.stop().catch(() => undefined);
    },
  };
}

/** Creates the database named `name` on the server of `adminUrl` if it is missing; returns its URL. */
export async function ensureDatabase(adminUrl: string, name: string): Promise<string> {
  const { default: pgModule } = await import('pg');
  const client = new pgModule.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const found = await client.query('select 1 from pg_database where datname = $1', [name]);
    if (found.rowCount === 0) await client.query(`create database "${name.replace(/"/g, '')}"`);
  } finally {
    await client.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}
