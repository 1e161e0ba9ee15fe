// bench/boot: the time from starting Sportello's production build (`npm run start:prod`:
// web and worker in one process, on a database that already holds its data and migrations)
// to a healthy /healthz, beside `node -e` starting an empty HTTP server, polled the same way,
// in the same run; each started BENCH_BOOTS times (default 5), turn about, the medians
// compared. RSS of the started server once healthy. Builds dist/ first (BENCH_APP: another script).
// Exits 1 when the server does not become healthy, or its RSS is over 300 MB.
//   npm run bench:boot
import { spawn, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import pg from 'pg';
import { migrate } from '../src/db/orm.js';
import { hashPassword } from '../src/lib/passwords.js';
import { seed } from './seed.js';
import { appScript, benchDatabase, freePort, PASSWORD, productNodeFlags, reportRss, root } from './machinery.js';

const BOOTS = Number(process.env.BENCH_BOOTS ?? 5);
const SECRET = 'bench-secret-bench-secret-bench-secret!!';
process.env.APP_SECRET = SECRET;

function healthy(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const req = http.get({ host: '127.0.0.1', port, path: '/healthz', headers: { host: `localhost:${port}` } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode === 200));
    });
    req.on('error', () => resolve(false));
    req.setTimeout(1000, () => req.destroy());
  });
}

/** A free port nothing answers on (other checkouts' servers run on this machine too). */
async function quietPort(): Promise<number> {
  for (;;) {
    const port = await freePort();
    if (!(await healthy(port))) return port;
  }
}

/**
 * Starts `args` with node and polls /healthz every 5 ms: the ms until it answers 200 — once
 * the child says it listens (its stdout), so another process's answer is never taken for it.
 */
async function boot(args: string[], env: Record<string, string>, port: number): Promise<{ ms: number; child: ChildProcess }> {
  const started = process.hrtime.bigint();
  const child = spawn(process.execPath, args, { cwd: root, env: { ...process.env, ...env, PORT: String(port) }, stdio: ['ignore', 'pipe', 'inherit'] });
  let exited = false;
  let listening = false;
  child.on('exit', () => (exited = true));
  child.stdout!.on('data', (chunk: Buffer) => { if (/running at|listening/.test(String(chunk))) listening = true; });
  for (;;) {
    if (exited) throw new Error(`${args.join(' ')} exited before it was healthy`);
    if (listening && await healthy(port)) return { ms: Number(process.hrtime.bigint() - started) / 1e6, child };
    if (Number(process.hrtime.bigint() - started) > 60e9) throw new Error(`${args.join(' ')}: not healthy after 60 s`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

function stop(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.on('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function main(): Promise<void> {
  const script = appScript();
  const suffix = process.env.TEST_DB_SUFFIX ? `_${process.env.TEST_DB_SUFFIX.replace(/\W/g, '')}` : '';
  const db = await benchDatabase(`boot${suffix}`);
  await migrate(db.url);
  const owner = new pg.Pool({ connectionString: db.url, max: 2 });
  await seed(owner, { tenants: 10, ticketsPerTenant: 300, passwordHash: await hashPassword(PASSWORD) });
  await owner.end();

  const env = { DATABASE_URL: db.url, NODE_ENV: 'production', MAIL_CAPTURE: '1', APP_SCHEME: 'http', APP_SECRET: SECRET, LOG_LEVEL: 'warn' };
  const ours: number[] = [];
  const bare: number[] = [];
  let failed = false;
  try {
    for (let i = 0; i < BOOTS; i++) {
      const port = await quietPort();
      const app = await boot([...productNodeFlags(), script], { ...env, APP_DOMAIN: `localhost:${port}` }, port);
      ours.push(app.ms);
      if (i === BOOTS - 1) failed = !reportRss('sportello (web and worker, healthy)', app.child.pid) || failed;
      await stop(app.child);
      const barePort = await quietPort();
      const empty = await boot(['-e', "require('http').createServer((q, s) => s.end('ok')).listen(Number(process.env.PORT), '127.0.0.1', () => console.log('listening'))"], {}, barePort);
      bare.push(empty.ms);
      await stop(empty.child);
    }
    const [a, b] = [median(ours), median(bare)];
    console.log(`boot to a healthy /healthz: sportello ${a.toFixed(0)} ms (${ours.map((x) => x.toFixed(0)).join(', ')}) | empty node HTTP server ${b.toFixed(0)} ms (${bare.map((x) => x.toFixed(0)).join(', ')}) | ${(a / b).toFixed(1)}× (${(a - b).toFixed(0)} ms more)`);
  } catch (error) {
    console.error(error);
    failed = true;
  } finally {
    await db.stop();
  }
  if (failed) process.exitCode = 1;
}

main().then(() => process.exit(process.exitCode ?? 0), (error) => {
  console.error(error);
  process.exit(1);
});
