// What the benchmarks share: a fresh bench database (on DATABASE_URL, or an embedded
// server), a free port, a child server (the app or a baseline), plain HTTP requests,
// signing in, and an autocannon run summed up with the server's CPU per request.
import { fork, spawnSync, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import autocannon from 'autocannon';
import pg from 'pg';
import { startEmbeddedPostgres } from '../src/db/embedded.js';

export const PASSWORD = 'bench password 123';
export const root = path.resolve(import.meta.dirname, '..');
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);

/** A database named `sportello_bench_<name>`, made afresh, on DATABASE_URL's server or an embedded one under .data/bench. */
export async function benchDatabase(name: string): Promise<{ url: string; stop(): Promise<void> }> {
  let serverUrl = process.env.DATABASE_URL;
  let embedded: { url: string; stop(): Promise<void> } | undefined;
  if (!serverUrl) {
    embedded = await startEmbeddedPostgres(path.join(root, '.data/bench'), 54349) as unknown as { url: string; stop(): Promise<void> };
    serverUrl = embedded.url;
  }
  const database = `sportello_bench_${name}${process.env.TEST_DB_SUFFIX ? `_${process.env.TEST_DB_SUFFIX}` : ''}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`drop database if exists ${database} with (force)`);
  await admin.query(`create database ${database}`);
  await admin.end();
  const url = new URL(serverUrl!);
  url.pathname = `/${database}`;
  return { url: url.toString(), stop: async () => { await embedded?.stop(); } };
}

/**
 * The server to measure: BENCH_APP if set (`src/server.ts` runs the sources through tsx),
 * else the production build, made afresh (`npm run build`) so it is this checkout's code.
 */
export function appScript(): string {
  if (process.env.BENCH_APP) return process.env.BENCH_APP;
  process.stdout.write('building the production build (npm run build)… ');
  const build = spawnSync('npm', ['run', 'build'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
  if (build.status !== 0) throw new Error('npm run build failed');
  process.stdout.write('done\n');
  return 'dist/src/server.js';
}

export async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

const counter = pathToFileURL(path.join(root, 'bench/statements.mjs')).href;

/**
 * The node flags the product starts with: those of package.json's `start:prod` (the Dockerfile's
 * CMD and `npm start` carry the same, test/start-flags.test.ts holds them together), so a bench
 * measures the server as production runs it. BENCH_NODE_FLAGS (space-separated, may be empty)
 * measures others instead.
 */
export function productNodeFlags(cwd = root): string[] {
  if (process.env.BENCH_NODE_FLAGS !== undefined) return process.env.BENCH_NODE_FLAGS.split(/\s+/).filter(Boolean);
  const scripts = JSON.parse(readFileSync(path.join(cwd, 'package.json'), 'utf8')).scripts as Record<string, string>;
  return scripts['start:prod'].split(/\s+/).filter((word) => word.startsWith('--'));
}

/**
 * Starts `script` (this checkout's, or `cwd`'s: another checkout measured in the same run),
 * with bench/statements.mjs preloaded to count its SQL statements (`statementsOf`). The
 * product's server (`product`) starts with the product's node flags.
 */
export function start(script: string, env: Record<string, string>, cwd = root, product = false): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const execArgv = [...(product ? productNodeFlags(cwd) : []), ...(script.endsWith('.js') ? [] : ['--import', 'tsx']), '--import', counter];
    const child = fork(script, [], { cwd, env: { ...process.env, ...env }, execArgv, stdio: ['ignore', 'pipe', 'inherit', 'ipc'] });
    child.stdout!.on('data', (chunk: Buffer) => { if (/running at|ready/.test(String(chunk))) resolve(child); });
    child.on('message', (m) => m === 'ready' && resolve(child));
    child.on('exit', (code) => reject(new Error(`${script} exited with ${code}`)));
  });
}

export function request(port: number, host: string, method: string, pathname: string, body?: string, cookie?: string): Promise<{ status: number; headers: http.IncomingHttpHeaders; text: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ port, host: '127.0.0.1', method, path: pathname, headers: {
      host, ...(cookie ? { cookie } : {}), ...(body ? { 'content-type': 'application/x-www-form-urlencoded', 'content-length': Buffer.byteLength(body) } : {}),
    } }, (res) => {
      let text = '';
      res.on('data', (c) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text }));
    });
    req.on('error', reject);
    if (body) req.write(body);
    req.end();
  });
}

export async function signIn(port: number, host: string, loginPath: string, email: string): Promise<string> {
  const page = await request(port, host, 'GET', loginPath);
  // Every cookie the sign-in page and the sign-in set (session, CSRF, …), the later one of a name winning.
  const jar = new Map<string, string>();
  const keep = (headers: http.IncomingHttpHeaders) => {
    for (const c of headers['set-cookie'] ?? []) {
      const pair = c.split(';')[0];
      jar.set(pair.split('=')[0], pair);
    }
  };
  keep(page.headers);
  const cookie = [...jar.values()].join('; ');
  const csrf = page.text.match(/name="_csrf" value="([^"]+)"/)?.[1] ?? '';
  const form = new URLSearchParams({ _csrf: csrf, email, password: PASSWORD }).toString();
  const res = await request(port, host, 'POST', loginPath, form, cookie);
  if (res.status !== 303) throw new Error(`sign-in at ${host}${loginPath} answered ${res.status}`);
  keep(res.headers);
  return [...jar.values()].join('; ');
}

export interface Result { rps: number; p99: number; errors: number; non2xx: number; cpuMs: number }

/** CPU time (user + system) a process has used, in ms (Linux /proc; 0 elsewhere). */
export function cpuOf(pid: number | undefined): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10; // utime, stime in clock ticks of 10 ms
  } catch {
    return 0;
  }
}

/** CPU time (user + system) of each thread of a process, in ms, by thread id (Linux /proc; empty elsewhere). */
export function threadCpuOf(pid: number | undefined): Map<number, number> {
  const threads = new Map<number, number>();
  try {
    for (const tid of readdirSync(`/proc/${pid}/task`)) {
      try {
        const fields = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8').split(') ')[1].split(' ');
        threads.set(Number(tid), (Number(fields[11]) + Number(fields[12])) * 10);
      } catch {
        // The thread ended in between.
      }
    }
  } catch {
    // Not Linux, or the process is gone.
  }
  return threads;
}

/**
 * A load of `connections` for SECONDS, and the server process's CPU time per request: on a
 * machine other work loads, req/s swings with it, while the CPU a request costs the server
 * (its Node.js process; PostgreSQL's share is not in it) stays put.
 */
export async function load(port: number, pathname: string, headers: Record<string, string>, connections: number, server?: ChildProcess): Promise<Result> {
  const before = cpuOf(server?.pid);
  const r = await autocannon({ url: `http://127.0.0.1:${port}${pathname}`, headers, connections, duration: SECONDS });
  const cpuMs = r.requests.total ? (cpuOf(server?.pid) - before) / r.requests.total : 0;
  return { rps: r.requests.average, p99: r.latency.p99, errors: r.errors, non2xx: r.non2xx, cpuMs };
}

export interface Statement { text: string; values: unknown[] }

/** The number of SQL statements `server` has sent so far, and those it sent since the last call. */
export function statementsOf(server: ChildProcess): Promise<{ statements: number; sent: Statement[] }> {
  return new Promise((resolve) => {
    const on = (m: unknown) => {
      if (m && typeof m === 'object' && 'statements' in m) {
        server.off('message', on);
        resolve(m as { statements: number; sent: Statement[] });
      }
    };
    server.on('message', on);
    server.send({ statements: 'mark' });
  });
}

/** The statements one GET of `pathname` makes `server` send (nothing else is in flight). */
export async function statementsFor(server: ChildProcess, port: number, host: string, pathname: string, cookie?: string): Promise<Statement[]> {
  await statementsOf(server);
  const res = await request(port, host, 'GET', pathname, undefined, cookie);
  if (res.status !== 200) throw new Error(`${pathname} answered ${res.status}`);
  await new Promise((r) => setTimeout(r, 20)); // a session's save after the answer is the request's too
  return (await statementsOf(server)).sent;
}

/** A process's resident memory now and at its peak, in MB (Linux /proc; 0 elsewhere). */
export function rssOf(pid: number | undefined): { now: number; peak: number } {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const mb = (field: string) => Number(status.match(new RegExp(`${field}:\\s+(\\d+) kB`))?.[1] ?? 0) / 1024;
    return { now: mb('VmRSS'), peak: mb('VmHWM') };
  } catch {
    return { now: 0, peak: 0 };
  }
}

/** Prints a server's RSS (now and peak) against the 300 MB target; false when the peak is over it. */
export function reportRss(name: string, pid: number | undefined, limitMb = 300): boolean {
  const { now, peak } = rssOf(pid);
  const ok = peak < limitMb;
  console.log(`RSS ${name}: ${now.toFixed(0)} MB now, ${peak.toFixed(0)} MB at its peak (target < ${limitMb} MB) ${ok ? 'OK' : 'MISSED'}`);
  return ok;
}

/** CPU time of the bench database's server processes so far, when they run on this machine (else null). */
export async function backendCpuMs(owner: pg.Pool): Promise<number | null> {
  const { rows } = await owner.query<{ pid: number }>('select pid from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()');
  let ticks = 0;
  try {
    for (const { pid } of rows) {
      const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
      ticks += Number(fields[11]) + Number(fields[12]);
    }
  } catch {
    return null;
  }
  return ticks * 10; // USER_HZ is 100 on Linux
}

/** Counts the statements sent to PostgreSQL (each a round trip) by every client of this process;
 * BENCH_TRACE=1 prints them by text, the most sent first, when it stops. */
export function roundTrips(): { count: number; stop(): void } {
  const proto = pg.Client.prototype as unknown as { query: (...args: unknown[]) => unknown };
  const original = proto.query;
  const texts = new Map<string, { n: number; ms: number }>();
  const counter = { count: 0, stop: () => {
    proto.query = original;
    if (process.env.BENCH_TRACE) {
      for (const [text, { n, ms }] of [...texts].sort((a, b) => b[1].ms - a[1].ms)) console.log(String(n).padStart(6), `${(ms / n).toFixed(2).padStart(7)} ms`, text);
    }
  } };
  proto.query = function (this: unknown, ...args: unknown[]) {
    counter.count++;
    if (!process.env.BENCH_TRACE) return original.apply(this, args);
    // With BENCH_TRACE: each statement's text, how often it ran, and how long its answer took on average (from sending it, queued behind others when pipelined).
    const q = args[0] as string | { text: string };
    const text = (typeof q === 'string' ? q : q.text).replace(/\s+/g, ' ').replace(/'[^']*'|\b\d+\b/g, '?').slice(0, 200);
    const entry = texts.get(text) ?? { n: 0, ms: 0 };
    texts.set(text, entry);
    entry.n += 1;
    const start = performance.now();
    const done = () => { entry.ms += performance.now() - start; };
    const last = args.length - 1;
    if (typeof args[last] === 'function') {
      const callback = args[last] as (...a: unknown[]) => void;
      args[last] = (...a: unknown[]) => { done(); callback(...a); };
    } else if (q && typeof q === 'object' && typeof (q as { callback?: unknown }).callback === 'function') {
      const query = q as unknown as { callback: (...a: unknown[]) => void };
      const callback = query.callback;
      query.callback = (...a: unknown[]) => { done(); callback(...a); };
    }
    const result = original.apply(this, args);
    if (result && typeof (result as Promise<unknown>).then === 'function') (result as Promise<unknown>).then(done, done);
    return result;
  };
  return counter;
}
