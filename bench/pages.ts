// bench/pages: the technician ticket list and the portal's My tickets, signed in,
// 50 rows, against a bare express + pg + ejs handler running the same query, in
// the same run. Targets: ≥ 0.5× the baseline's req/s at 50 connections, p99 < 50 ms
// at 10 connections. Exits 1 when a target is missed.
//   npm run bench:pages            (BENCH_TENANTS, BENCH_TICKETS, BENCH_SECONDS to change the size)
//   BENCH_OTHER=/path/to/another/worktree npm run bench:pages
//     also measures that checkout's server (an older commit: `git worktree add --detach DIR COMMIT`,
//     its node_modules linked) on the same database, in the same run, turn about with this one —
//     on a shared, noisy machine only same-run ratios compare.
import path from 'node:path';
import pg from 'pg';
import { startEmbeddedPostgres } from '../src/db/embedded.js';
import { migrate } from '../src/db/orm.js';
import { hashPassword } from '../src/lib/passwords.js';
import { seed } from './seed.js';
import { freePort, load, PASSWORD, request, root, signIn, start } from './machinery.js';

const TENANTS = Number(process.env.BENCH_TENANTS ?? 100);
const TICKETS = Number(process.env.BENCH_TICKETS ?? 1000);
const SECRET = 'bench-secret-bench-secret-bench-secret!!';
process.env.APP_SECRET = SECRET; // the runtime role's password derives from it (see src/db/orm.ts)

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
