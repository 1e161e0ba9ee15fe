// bench/pages: the technician ticket list and the portal's My tickets, signed in,
// 50 rows, against a bare express + pg + ejs handler running the same query, in
// the same run. Targets: ≥ 0.5× the baseline's req/s at 50 connections, p99 < 50 ms
// at 10 connections. Exits 1 when a target is missed.
//   npm run bench:pages            (BENCH_TENANTS, BENCH_TICKETS, BENCH_SECONDS to change the size)
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
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query('drop database if exists sportello_bench with (force)');
  await admin.query('create database sportello_bench');
  await admin.end();
  const url = new URL(serverUrl!);
  url.pathname = '/sportello_bench';
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
  try {
    const techCookie = await signIn(appPort, host, '/login', 'tech@bench1.test');
    const portalCookie = await signIn(appPort, host, '/portal/login', 'contact1@bench1.test');
    const pages = [
      { name: 'technician ticket list', path: '/tickets', cookie: techCookie, baseline: '/tickets?tenant=1' },
      { name: 'portal My tickets', path: '/portal/tickets', cookie: portalCookie, baseline: `/tickets?tenant=1&contact=${contact.id}` },
    ];
    let failed = false;
    for (const page of pages) {
      const check = await request(appPort, host, 'GET', page.path, undefined, page.cookie);
      const rows = (check.text.match(/<tr/g) ?? []).length - 1;
      if (check.status !== 200 || rows < 50) throw new Error(`${page.path} answered ${check.status} with ${rows} rows (expected 200 and ≥ 50 rows)`);
      for (const connections of [10, 50]) {
        const ours = await load(appPort, page.path, { host, cookie: page.cookie }, connections);
        const bare = await load(basePort, page.baseline, {}, connections);
        const ratio = ours.rps / bare.rps;
        const target = connections === 50 ? ratio >= 0.5 : ours.p99 < 50;
        failed ||= !target || ours.errors > 0 || ours.non2xx > 0;
        console.log(`${page.name.padEnd(24)} c=${String(connections).padEnd(3)} sportello ${ours.rps.toFixed(0).padStart(6)} req/s p99 ${String(ours.p99).padStart(4)} ms | bare ${bare.rps.toFixed(0).padStart(6)} req/s p99 ${String(bare.p99).padStart(4)} ms | ratio ${ratio.toFixed(2)} ${connections === 50 ? '(target ≥ 0.50)' : '(target p99 < 50 ms)'} ${target ? 'OK' : 'MISSED'}${ours.non2xx ? ` non-2xx ${ours.non2xx}` : ''}`);
      }
    }
    if (failed) process.exitCode = 1;
  } finally {
    app.kill('SIGTERM');
    base.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 500));
    await embedded?.stop();
  }
}

main().then(() => process.exit(process.exitCode ?? 0), (error) => {
  console.error(error);
  process.exit(1);
});
