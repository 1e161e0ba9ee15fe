// bench/pages: the technician ticket list and the portal's My tickets, signed in,
// 50 rows, against a bare express + pg + ejs handler running the same query, in
// the same run. Targets: ≥ 0.5× the baseline's req/s at 50 connections, p99 < 50 ms
// at 10 connections. Exits 1 when a target is missed.
//   npm run bench:pages            (BENCH_TENANTS, BENCH_TICKETS, BENCH_SECONDS to change the size)
//   BENCH_OTHER=/path/to/another/worktree npm run bench:pages
//     also measures that checkout's server (an older commit: `git worktree add --detach DIR COMMIT`,
//     its node_modules linked) on the same database, in the same run, turn about with this one —
//     on a shared, noisy machine only same-run ratios compare.
import { fork, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import autocannon from 'autocannon';
import pg from 'pg';
import { startEmbeddedPostgres } from '../src/db/embedded.js';
import { migrate } from '../src/db/orm.js';
import { hashPassword } from '../src/lib/passwords.js';
import { seed } from './seed.js';

const TENANTS = Number(process.env.BENCH_TENANTS ?? 100);
const TICKETS = Number(process.env.BENCH_TICKETS ?? 1000);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const PASSWORD = 'bench password 123';
const root = path.resolve(import.meta.dirname, '..');
const SECRET = 'bench-secret-bench-secret-bench-secret!!';
process.env.APP_SECRET = SECRET; // the runtime role's password derives from it (see src/db/orm.ts)

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

function start(script: string, env: Record<string, string>, cwd = root): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const child = fork(script, [], { cwd, env: { ...process.env, ...env }, execArgv: script.endsWith('.js') ? [] : ['--import', 'tsx'], stdio: ['ignore', 'pipe', 'inherit', 'ipc'] });
    child.stdout!.on('data', (chunk: Buffer) => { if (/running at|ready/.test(String(chunk))) resolve(child); });
    child.on('message', (m) => m === 'ready' && resolve(child));
    child.on('exit', (code) => reject(new Error(`${script} exited with ${code}`)));
  });
}

function request(port: number, host: string, method: string, pathname: string, body?: string, cookie?: string): Promise<{ status: number; headers: http.IncomingHttpHeaders; text: string }> {
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

async function signIn(port: number, host: string, loginPath: string, email: string): Promise<string> {
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

interface Result { rps: number; p99: number; errors: number; non2xx: number; cpuMs: number }

/** CPU time (user + system) a process has used, in ms (Linux /proc; 0 elsewhere). */
function cpuOf(pid: number | undefined): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10; // utime, stime in clock ticks of 10 ms
  } catch {
    return 0;
  }
}

/**
 * A load of `connections` for SECONDS, and the server process's CPU time per request: on a
 * machine other work loads, req/s swings with it, while the CPU a request costs the server
 * (its Node.js process; PostgreSQL's share is not in it) stays put.
 */
async function load(port: number, pathname: string, headers: Record<string, string>, connections: number, server?: ChildProcess): Promise<Result> {
  const before = cpuOf(server?.pid);
  const r = await autocannon({ url: `http://127.0.0.1:${port}${pathname}`, headers, connections, duration: SECONDS });
  const cpuMs = r.requests.total ? (cpuOf(server?.pid) - before) / r.requests.total : 0;
  return { rps: r.requests.average, p99: r.latency.p99, errors: r.errors, non2xx: r.non2xx, cpuMs };
}

async function main(): Promise<void> {
  let serverUrl = process.env.DATABASE_URL;
  let embedded: { stop(): Promise<void> } | undefined;
  if (!serverUrl) {
    embedded = await startEmbeddedPostgres(path.join(root, '.data/bench'), 54349);
    serverUrl = embedded && (embedded as unknown as { url: string }).url;
  }
  // Its own database per worktree (TEST_DB_SUFFIX), so two benchmarks on one server do not drop each other's.
  const dbName = `sportello_bench${process.env.TEST_DB_SUFFIX ? `_${process.env.TEST_DB_SUFFIX.replace(/\W/g, '')}` : ''}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`drop database if exists ${dbName} with (force)`);
  await admin.query(`create database ${dbName}`);
  await admin.end();
  const url = new URL(serverUrl!);
  url.pathname = `/${dbName}`;
  const databaseUrl = url.toString();
  await migrate(databaseUrl);
  const owner = new pg.Pool({ connectionString: databaseUrl, max: 2 });
  const t0 = Date.now();
  process.stdout.write(`seeding ${TENANTS} tenants × ${TICKETS} tickets… `);
  await seed(owner, { tenants: TENANTS, ticketsPerTenant: TICKETS, passwordHash: await hashPassword(PASSWORD) });
  process.stdout.write(`done in ${((Date.now() - t0) / 1000).toFixed(1)} s\n`);
  const { rows: [contact] } = await owner.query<{ id: number }>("select id from contacts where email = 'contact1@bench1.test'");
  await owner.end();

  const appPort = await freePort();
  const basePort = await freePort();
  const domain = `localhost:${appPort}`;
  const app = await start(process.env.BENCH_APP ?? 'src/server.ts', { DATABASE_URL: databaseUrl, ROLE: 'web', PORT: String(appPort), APP_DOMAIN: domain, NODE_ENV: 'production', MAIL_CAPTURE: '1', APP_SCHEME: 'http', APP_SECRET: SECRET, LOG_LEVEL: 'warn' });
  const base = await start('bench/baseline.ts', { DATABASE_URL: databaseUrl, PORT: String(basePort) });
  const host = `bench1.${domain}`;
  const otherDir = process.env.BENCH_OTHER;
  const otherPort = await freePort();
  const otherHost = `bench1.localhost:${otherPort}`;
  const other = otherDir ? await start('src/server.ts', { DATABASE_URL: databaseUrl, ROLE: 'web', PORT: String(otherPort), APP_DOMAIN: `localhost:${otherPort}`, NODE_ENV: 'production', MAIL_CAPTURE: '1', APP_SCHEME: 'http', APP_SECRET: SECRET, LOG_LEVEL: 'warn' }, otherDir) : undefined;
  try {
    const techCookie = await signIn(appPort, host, '/login', 'tech@bench1.test');
    const portalCookie = await signIn(appPort, host, '/portal/login', 'contact1@bench1.test');
    const otherCookies = other ? { tech: await signIn(otherPort, otherHost, '/login', 'tech@bench1.test'), portal: await signIn(otherPort, otherHost, '/portal/login', 'contact1@bench1.test') } : undefined;
    const pages = [
      // All tickets: the baseline's own query (a bare /tickets opens on My open tickets, a narrower one).
      { name: 'technician ticket list', path: '/tickets?view=all', cookie: techCookie, baseline: '/tickets?tenant=1', other: { path: process.env.BENCH_OTHER_PATH ?? '/tickets', cookie: otherCookies?.tech } },
      { name: 'portal My tickets', path: '/portal/tickets', cookie: portalCookie, baseline: `/tickets?tenant=1&contact=${contact.id}`, other: { path: '/portal/tickets', cookie: otherCookies?.portal } },
    ];
    let failed = false;
    for (const page of pages) {
      const check = await request(appPort, host, 'GET', page.path, undefined, page.cookie);
      const rows = (check.text.match(/<tr/g) ?? []).length - 1;
      if (check.status !== 200 || rows < 50) throw new Error(`${page.path} answered ${check.status} with ${rows} rows (expected 200 and ≥ 50 rows)`);
      for (const connections of [10, 50]) {
        const ours = await load(appPort, page.path, { host, cookie: page.cookie }, connections, app);
        const bare = await load(basePort, page.baseline, {}, connections, base);
        const ratio = ours.rps / bare.rps;
        const target = connections === 50 ? ratio >= 0.5 : ours.p99 < 50;
        failed ||= !target || ours.errors > 0 || ours.non2xx > 0;
        if (other) {
          const theirs = await load(otherPort, page.other.path, { host: otherHost, cookie: page.other.cookie! }, connections, other);
          console.log(`${page.name.padEnd(24)} c=${String(connections).padEnd(3)} other     ${theirs.rps.toFixed(0).padStart(6)} req/s p99 ${String(theirs.p99).padStart(4)} ms ${theirs.cpuMs.toFixed(2)} cpu-ms/req | ratio ${(theirs.rps / bare.rps).toFixed(2)}${theirs.non2xx ? ` non-2xx ${theirs.non2xx}` : ''} (${otherDir})`);
        }
        console.log(`${page.name.padEnd(24)} c=${String(connections).padEnd(3)} sportello ${ours.rps.toFixed(0).padStart(6)} req/s p99 ${String(ours.p99).padStart(4)} ms ${ours.cpuMs.toFixed(2)} cpu-ms/req | bare ${bare.rps.toFixed(0).padStart(6)} req/s p99 ${String(bare.p99).padStart(4)} ms ${bare.cpuMs.toFixed(2)} cpu-ms/req | ratio ${ratio.toFixed(2)} ${connections === 50 ? '(target ≥ 0.50)' : '(target p99 < 50 ms)'} ${target ? 'OK' : 'MISSED'}${ours.non2xx ? ` non-2xx ${ours.non2xx}` : ''}`);
      }
    }
    if (failed) process.exitCode = 1;
  } finally {
    app.kill('SIGTERM');
    base.kill('SIGTERM');
    other?.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 500));
    await embedded?.stop();
  }
}

main().then(() => process.exit(process.exitCode ?? 0), (error) => {
  console.error(error);
  process.exit(1);
});
