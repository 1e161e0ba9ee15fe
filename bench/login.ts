// bench/login: technicians signing in (correct password, each sign-in a different account, so
// the limits never bite) at 10 at a time, beside raw argon2id verifies at the same parameters
// and 10 at a time, in the same run (measured before and after the sign-ins, the mean taken).
// Target ≥ 0.9×: the rest of a sign-in (session, limits, audit) costs little next to the hash.
// Then the ticket list's p99 at 10 connections, quiet and during a burst of sign-ins: hashing
// runs off the event loop (libuv's pool), so the list stays under 2× its quiet p99. The
// server's RSS at the end (target < 300 MB). Exits 1 when a target is missed.
//   npm run bench:login            (BENCH_SECONDS to change the length of each measure)
// It prints where a sign-in's CPU goes: the server's main thread, libuv's pool (the hash), V8's
// other threads, PostgreSQL's backends. BENCH_PROFILE=file.cpuprofile profiles the server's
// sign-ins (the main thread; V8's sampler, wall time); BENCH_PERF=file.data records them with
// `perf record -e cpu-clock -g` (CPU time, every thread; add --perf-basic-prof to BENCH_NODE_FLAGS
// for JavaScript's names); BENCH_SIGN_INS_ONLY=1 skips the ticket list.
// libuv's pool sized by the product's own rule (src/lib/thread-pool.ts), before anything uses it: the raw verifies here hash on a pool of the server's size.
import '../src/lib/thread-pool.js';
import argon2 from 'argon2';
import { spawn, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import path from 'node:path';
import { hashPassword } from '../src/lib/passwords.js';
import { migrate } from '../src/db/orm.js';
import pg from 'pg';
import { seed } from './seed.js';
import { appScript, benchDatabase, cpuOf, freePort, threadCpuOf, load, PASSWORD, reportRss, request, signIn, start } from './machinery.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = 10;
const ACCOUNTS = 3000;
/** libuv's pool, here and in the server (both sized by thread-pool.ts, or UV_THREADPOOL_SIZE). */
const POOL = Number(process.env.UV_THREADPOOL_SIZE);
const SECRET = 'bench-secret-bench-secret-bench-secret!!';
process.env.APP_SECRET = SECRET;

interface Ready { email: string; cookie: string; csrf: string }

/** The sign-in form of one account, loaded before the clock starts: its cookies and CSRF token. */
async function prepare(port: number, host: string, email: string): Promise<Ready> {
  const page = await request(port, host, 'GET', '/login');
  const cookie = (page.headers['set-cookie'] ?? []).map((c) => c.split(';')[0]).join('; ');
  return { email, cookie, csrf: page.text.match(/name="_csrf" value="([^"]+)"/)?.[1] ?? '' };
}

const agent = new http.Agent({ keepAlive: true, maxSockets: CONNECTIONS });

function post(port: number, host: string, ready: Ready): Promise<number> {
  const body = new URLSearchParams({ _csrf: ready.csrf, email: ready.email, password: PASSWORD }).toString();
  return new Promise((resolve, reject) => {
    const req = http.request({ port, host: '127.0.0.1', method: 'POST', path: '/login', agent, headers: {
      host, cookie: ready.cookie, 'content-type': 'application/x-www-form-urlencoded', 'content-length': Buffer.byteLength(body),
    } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode === 303 && res.headers.location !== '/login' ? 1 : 0));
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** Where a server's CPU went, in ms per sign-in: its main thread, libuv's pool (argon2), V8's other threads, PostgreSQL's backends. */
interface Spent { main: number; pool: number; rest: number; pg: number }

/**
 * The CPU of the server `pid` (by thread) and of the bench database's PostgreSQL backends
 * (they run on this machine) from now until the function it returns is called with the
 * sign-ins done in between. Threads are told apart by what they did meanwhile: the busiest
 * `POOL` besides the main thread are libuv's (the hashes), the rest V8's (garbage
 * collection, compiling). A backend opened in between counts from 0.
 */
async function cpuMeter(pid: number, owner: pg.Pool): Promise<(done: number) => Promise<Spent>> {
  const backends = async () => {
    const { rows } = await owner.query<{ pid: number }>('select pid from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()');
    return new Map(rows.map((row) => [row.pid, cpuOf(row.pid)]));
  };
  const threadsBefore = threadCpuOf(pid);
  const pgBefore = await backends();
  return async (done) => {
    const deltas = [...threadCpuOf(pid)].map(([tid, ms]) => ({ tid, ms: ms - (threadsBefore.get(tid) ?? 0) }));
    const pgAfter = await backends();
    const main = deltas.find((d) => d.tid === pid)?.ms ?? 0;
    const others = deltas.filter((d) => d.tid !== pid).map((d) => d.ms).sort((x, y) => y - x);
    const sum = (list: number[]) => list.reduce((x, y) => x + y, 0);
    // A backend gone in between is not counted (the pool keeps its connections while it is busy).
    const pgMs = sum([...pgAfter].map(([backend, ms]) => ms - (pgBefore.get(backend) ?? 0)));
    const per = (ms: number) => (done ? ms / done : 0);
    return { main: per(main), pool: per(sum(others.slice(0, POOL))), rest: per(sum(others.slice(POOL))), pg: per(pgMs) };
  };
}

/**
 * `CONNECTIONS` loops of `task` for SECONDS: how many succeeded per second, and the CPU
 * each cost `pid` (the server; else this process, where the raw verifies run), in ms.
 */
async function loops(task: () => Promise<number>, seconds = SECONDS, pid?: number): Promise<{ done: number; perSecond: number; failed: number; cpuMs: number }> {
  const until = Date.now() + seconds * 1000;
  let done = 0;
  let failed = 0;
  const started = Date.now();
  const cpu = () => (pid ? cpuOf(pid) : (process.cpuUsage().user + process.cpuUsage().system) / 1000);
  const cpuBefore = cpu();
  await Promise.all(Array.from({ length: CONNECTIONS }, async () => {
    while (Date.now() < until) {
      const ok = await task();
      if (ok) done++;
      else failed++;
    }
  }));
  return { done, perSecond: done / ((Date.now() - started) / 1000), failed, cpuMs: done ? (cpu() - cpuBefore) / done : 0 };
}

/** Sends `message` to the server and waits for its answer `{ profile: answer }`. */
function ask(server: ChildProcess, message: object, answer: string): Promise<void> {
  return new Promise((resolve) => {
    const on = (m: unknown) => {
      if ((m as { profile?: string } | null)?.profile !== answer) return;
      server.off('message', on);
      resolve();
    };
    server.on('message', on);
    server.send(message);
  });
}

async function main(): Promise<void> {
  const suffix = process.env.TEST_DB_SUFFIX ? `_${process.env.TEST_DB_SUFFIX.replace(/\W/g, '')}` : '';
  const db = await benchDatabase(`login${suffix}`);
  await migrate(db.url);
  const owner = new pg.Pool({ connectionString: db.url, max: 2 });
  const hash = await hashPassword(PASSWORD);
  await seed(owner, { tenants: 3, ticketsPerTenant: 1000, passwordHash: hash });
  await owner.query(`insert into technicians (tenant_id, email, name, role, password_hash)
    select t.id, 'signin' || g || '@bench1.test', 'Signing In ' || g, 'technician', $1 from tenants t, generate_series(1, $2) g where t.slug = 'bench1'`, [hash, ACCOUNTS]);
  await owner.end();
  const meterPool = new pg.Pool({ connectionString: db.url, max: 1 });

  const port = await freePort();
  const domain = `localhost:${port}`;
  const host = `bench1.${domain}`;
  const app = await start(appScript(), { DATABASE_URL: db.url, ROLE: 'web', PORT: String(port), APP_DOMAIN: domain, NODE_ENV: 'production', MAIL_CAPTURE: '1', APP_SCHEME: 'http', APP_SECRET: SECRET, LOG_LEVEL: 'warn' }, undefined, true);
  let failed = false;
  try {
    // Forms for every account, loaded before any clock starts; each sign-in takes the next.
    let next = 0;
    const forms: Ready[] = [];
    for (let i = 1; i <= ACCOUNTS; i += CONNECTIONS) {
      forms.push(...await Promise.all(Array.from({ length: Math.min(CONNECTIONS, ACCOUNTS - i + 1) }, (_, k) => prepare(port, host, `signin${i + k}@bench1.test`))));
    }
    const signInNext = () => {
      const form = forms[next++];
      if (!form) throw new Error(`more than ${ACCOUNTS} sign-ins: raise ACCOUNTS`);
      return post(port, host, form);
    };
    const verify = () => argon2.verify(hash, PASSWORD).then((ok) => (ok ? 1 : 0));

    await loops(verify, 1); // warm-up
    const raw1 = await loops(verify);
    // BENCH_PROFILE=file.cpuprofile: the server's CPU profile of these sign-ins alone (bench/statements.mjs).
    if (process.env.BENCH_PROFILE) await ask(app, { profile: 'start' }, 'started');
    const perf = process.env.BENCH_PERF ? spawn('perf', ['record', '-q', '-e', 'cpu-clock', '-F', '999', '-g', '-p', String(app.pid), '-o', process.env.BENCH_PERF], { stdio: 'inherit' }) : undefined;
    const meter = await cpuMeter(app.pid!, meterPool);
    const client = process.cpuUsage();
    const signIns = await loops(signInNext, SECONDS, app.pid);
    const spent = await meter(signIns.done);
    const used = process.cpuUsage(client);
    const clientMs = signIns.done ? (used.user + used.system) / 1000 / signIns.done : 0;
    if (perf) {
      perf.kill('SIGINT');
      await new Promise((r) => perf.on('exit', r));
    }
    if (process.env.BENCH_PROFILE) await ask(app, { profile: 'stop', file: path.resolve(process.env.BENCH_PROFILE) }, 'stopped');
    const raw2 = await loops(verify);
    const raw = (raw1.perSecond + raw2.perSecond) / 2;
    const ratio = signIns.perSecond / raw;
    const okRate = ratio >= 0.9 && signIns.failed === 0;
    failed ||= !okRate;
    console.log(`sign-in's CPU, ms each: server ${(spent.main + spent.pool + spent.rest).toFixed(1)} — main thread ${spent.main.toFixed(1)}, libuv's pool (${POOL} threads: the hash) ${spent.pool.toFixed(1)}, V8's threads ${spent.rest.toFixed(1)} — PostgreSQL ${spent.pg.toFixed(1)} — this bench's client ${clientMs.toFixed(1)} (on the same cores)`);
    console.log(`sign-in            c=${CONNECTIONS} ${signIns.perSecond.toFixed(1).padStart(6)} sign-ins/s ${signIns.cpuMs.toFixed(1)} cpu-ms each${signIns.failed ? ` (${signIns.failed} failed)` : ''} | argon2id verify ${raw.toFixed(1).padStart(6)}/s ${((raw1.cpuMs + raw2.cpuMs) / 2).toFixed(1)} cpu-ms each (${raw1.perSecond.toFixed(1)} before, ${raw2.perSecond.toFixed(1)} after; m=19 MiB t=2 p=1) | ratio ${ratio.toFixed(2)} (target ≥ 0.90) ${okRate ? 'OK' : 'MISSED'}`);

    // The ticket list, quiet and while others sign in (BENCH_SIGN_INS_ONLY=1: not measured).
    if (process.env.BENCH_SIGN_INS_ONLY) return;
    const cookie = await signIn(port, host, '/login', 'tech@bench1.test');
    const list = '/tickets?view=all';
    await load(port, list, { host, cookie }, CONNECTIONS, app); // warm-up
    const quiet = await load(port, list, { host, cookie }, CONNECTIONS, app);
    const [busy, burst] = await Promise.all([load(port, list, { host, cookie }, CONNECTIONS, app), loops(signInNext)]);
    const okList = busy.p99 < 2 * quiet.p99 && busy.non2xx === 0 && busy.errors === 0;
    failed ||= !okList;
    console.log(`ticket list        c=${CONNECTIONS} quiet p99 ${quiet.p99} ms (${quiet.rps.toFixed(0)} req/s) | during ${burst.perSecond.toFixed(1)} sign-ins/s p99 ${busy.p99} ms (${busy.rps.toFixed(0)} req/s) | ${(busy.p99 / quiet.p99).toFixed(2)}× (target < 2×) ${okList ? 'OK' : 'MISSED'}`);
    failed = !reportRss('sportello (web)', app.pid) || failed;
    if (failed) process.exitCode = 1;
  } finally {
    agent.destroy();
    await meterPool.end();
    app.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 500));
    await db.stop();
  }
}

main().then(() => process.exit(process.exitCode ?? 0), (error) => {
  console.error(error);
  process.exit(1);
});
