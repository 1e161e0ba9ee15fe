// bench/kb: portal knowledge-base search (anonymous, ranked, highlighted, first page) in a
// workspace of 20,000 articles with 100 workspaces beside it, against a bare express + pg
// handler running the same search query in the same run. Targets: ≥ 0.5× the baseline's
// req/s, and a p99 under the technician ticket list's, measured in the same run (bench/pages).
// Exits 1 when a target is missed.
//   npm run bench:kb        (BENCH_TENANTS, BENCH_ARTICLES, BENCH_SECONDS, BENCH_QUERY to change them)
import path from 'node:path';
import pg from 'pg';
import { startEmbeddedPostgres } from '../src/db/embedded.js';
import { migrate } from '../src/db/orm.js';
import { hashPassword } from '../src/lib/passwords.js';
import { seed } from './seed.js';
import { seedArticles } from './kb-seed.js';
import { freePort, load, PASSWORD, request, root, signIn, start } from './machinery.js';

const TENANTS = Number(process.env.BENCH_TENANTS ?? 100);
const ARTICLES = Number(process.env.BENCH_ARTICLES ?? 20_000);
const QUERY = process.env.BENCH_QUERY ?? 'stampante rete';
const SECRET = 'bench-secret-bench-secret-bench-secret!!';
process.env.APP_SECRET = SECRET;

async function main(): Promise<void> {
  let serverUrl = process.env.DATABASE_URL;
  let embedded: { stop(): Promise<void> } | undefined;
  if (!serverUrl) {
    embedded = await startEmbeddedPostgres(path.join(root, '.data/bench'), 54349);
    serverUrl = embedded && (embedded as unknown as { url: string }).url;
  }
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query('drop database if exists sportello_bench_kb with (force)');
  await admin.query('create database sportello_bench_kb');
  await admin.end();
  const url = new URL(serverUrl!);
  url.pathname = '/sportello_bench_kb';
  const databaseUrl = url.toString();
  await migrate(databaseUrl);
  const owner = new pg.Pool({ connectionString: databaseUrl, max: 2 });
  const t0 = Date.now();
  process.stdout.write(`seeding ${TENANTS} tenants (200 tickets each), ${ARTICLES} articles in one and 50 in each other… `);
  await seed(owner, { tenants: TENANTS, ticketsPerTenant: 200, passwordHash: await hashPassword(PASSWORD) });
  await seedArticles(owner, { articles: ARTICLES, others: 50 });
  process.stdout.write(`done in ${((Date.now() - t0) / 1000).toFixed(1)} s\n`);
  const { rows: [tenant] } = await owner.query<{ id: number }>("select id from tenants where slug = 'bench1'");
  await owner.end();

  const appPort = await freePort();
  const basePort = await freePort();
  const domain = `localhost:${appPort}`;
  const app = await start(process.env.BENCH_APP ?? 'src/server.ts', { DATABASE_URL: databaseUrl, ROLE: 'web', PORT: String(appPort), APP_DOMAIN: domain, NODE_ENV: 'production', MAIL_CAPTURE: '1', APP_SCHEME: 'http', APP_SECRET: SECRET, LOG_LEVEL: 'warn' }, undefined, true);
  const base = await start('bench/kb-baseline.ts', { DATABASE_URL: databaseUrl, PORT: String(basePort) });
  const host = `bench1.${domain}`;
  const q = encodeURIComponent(QUERY);
  try {
    const search = `/portal/kb/search?q=${q}`;
    const check = await request(appPort, host, 'GET', search);
    const hits = (check.text.match(/<li class="card">/g) ?? []).length;
    const total = check.text.match(/([\d.,]+) article/)?.[1];
    if (check.status !== 200 || hits < 20 || !check.text.includes('<mark>')) throw new Error(`${search} answered ${check.status} with ${hits} results (expected 200, 20 highlighted)`);
    console.log(`“${QUERY}”: ${total} matching articles of ${ARTICLES}`);
    const techCookie = await signIn(appPort, host, '/login', 'tech@bench1.test');

    let failed = false;
    for (const connections of [10, 50]) {
      const list = await load(appPort, '/tickets', { host, cookie: techCookie }, connections);
      const ours = await load(appPort, search, { host }, connections);
      const bare = await load(basePort, `/search?tenant=${tenant.id}&q=${q}`, {}, connections);
      const ratio = ours.rps / bare.rps;
      const ok = ratio >= 0.5 && ours.p99 < list.p99 && ours.errors === 0 && ours.non2xx === 0;
      failed ||= !ok;
      console.log(`portal kb search  c=${String(connections).padEnd(3)} sportello ${ours.rps.toFixed(0).padStart(6)} req/s p99 ${String(ours.p99).padStart(4)} ms | bare ${bare.rps.toFixed(0).padStart(6)} req/s p99 ${String(bare.p99).padStart(4)} ms | ratio ${ratio.toFixed(2)} (target ≥ 0.50) | ticket list p99 ${list.p99} ms (target: under it) ${ok ? 'OK' : 'MISSED'}${ours.non2xx ? ` non-2xx ${ours.non2xx}` : ''}`);
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
