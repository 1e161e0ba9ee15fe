// bench/pages: the pages a technician and a contact live in, signed in, each against a bare
// express + pg + ejs handler running the same queries, in the same run: the ticket list and
// the portal's My tickets against bench/baseline.ts (their list query, by hand); the ticket
// page, the portal's ticket page, the customers and contacts lists, a customer's and a
// contact's page, the dashboard and a ticket search against bench/replay-baseline.ts (the
// very data statements the page sent, replayed). Beside each figure, the SQL statements one
// request sends; the ticket pages must send as many for a ticket of 40 messages as for one of
// 1 (no N+1). Targets: ≥ 0.5× the baseline's req/s at 50 connections, p99 < 50 ms at 10
// connections, the server's RSS under 300 MB at the end. Exits 1 when a target is missed.
//   npm run bench:pages            (BENCH_TENANTS, BENCH_TICKETS, BENCH_SECONDS to change the size;
//                                   BENCH_SMALL=1: 10 × 300 tickets, 3 s loads — a quick run;
//                                   BENCH_PAGES=list,ticket: only the pages whose names contain one;
//                                   BENCH_STATEMENTS=1 prints each page's statements)
//   BENCH_OTHER=/path/to/another/worktree npm run bench:pages
//     also measures that checkout's server (an older commit: `git worktree add --detach DIR COMMIT`,
//     its node_modules linked) on the same database, in the same run, turn about with this one —
//     on a shared, noisy machine only same-run ratios compare.
import type { ChildProcess } from 'node:child_process';
import path from 'node:path';
import pg from 'pg';
import { startEmbeddedPostgres } from '../src/db/embedded.js';
import { migrate } from '../src/db/orm.js';
import { hashPassword } from '../src/lib/passwords.js';
import { seed, TICKET_1, TICKET_20, TICKET_40 } from './seed.js';
import { appScript, freePort, load, PASSWORD, reportRss, request, root, signIn, start, statementsFor, type Statement } from './machinery.js';

const SMALL = Boolean(process.env.BENCH_SMALL);
const TENANTS = Number(process.env.BENCH_TENANTS ?? (SMALL ? 10 : 100));
const TICKETS = Number(process.env.BENCH_TICKETS ?? (SMALL ? 300 : 1000));
if (SMALL) process.env.BENCH_SECONDS ??= '3';
const ONLY = process.env.BENCH_PAGES?.split(',').map((s) => s.trim()).filter(Boolean);
const SECRET = 'bench-secret-bench-secret-bench-secret!!';
process.env.APP_SECRET = SECRET; // the runtime role's password derives from it (see src/db/orm.ts)

/** What a bare handler would not send: the unit of work's transaction and RLS settings, the session, the sign-in limits. */
const PLUMBING = /^\s*(begin|commit|rollback|savepoint|release|set\s|show\s)|set_config\(|\bsession\b|rate_limits/i;

interface Page {
  name: string;
  path: string;
  cookie: string;
  /** A path on the hand-written baseline; else the page's data statements are replayed. */
  baseline?: string;
  /** At least this many table rows. */
  rows?: number;
  /** Pages of the same kind that must send as many statements (no N+1). */
  sameAs?: string[];
  other?: { path: string; cookie?: string };
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
  process.stdout.write(`seeding ${TENANTS} tenants × ${TICKETS} tickets with their conversations… `);
  await seed(owner, { tenants: TENANTS, ticketsPerTenant: TICKETS, passwordHash: await hashPassword(PASSWORD) });
  const { rows: [counts] } = await owner.query<{ messages: number; attachments: number; events: number }>(
    'select (select count(*) from ticket_messages)::int as messages, (select count(*) from attachments)::int as attachments, (select count(*) from ticket_events)::int as events');
  process.stdout.write(`done in ${((Date.now() - t0) / 1000).toFixed(1)} s (${counts.messages} messages, ${counts.attachments} attachments, ${counts.events} history rows)\n`);
  // contact1 (the requester of every 5th ticket) and their customer (a page of tickets and contacts).
  const { rows: [contact] } = await owner.query<{ id: number; customer_id: number }>("select id, customer_id from contacts where email = 'contact1@bench1.test'");
  const customer = { id: contact.customer_id };
  await owner.end();

  const appPort = await freePort();
  const basePort = await freePort();
  const replayPort = await freePort();
  const domain = `localhost:${appPort}`;
  const app = await start(appScript(), { DATABASE_URL: databaseUrl, ROLE: 'web', PORT: String(appPort), APP_DOMAIN: domain, NODE_ENV: 'production', MAIL_CAPTURE: '1', APP_SCHEME: 'http', APP_SECRET: SECRET, LOG_LEVEL: 'warn' }, undefined, true);
  const base = await start('bench/baseline.ts', { DATABASE_URL: databaseUrl, PORT: String(basePort) });
  const replay = await start('bench/replay-baseline.ts', { DATABASE_URL: databaseUrl, PORT: String(replayPort) });
  const host = `bench1.${domain}`;
  const otherDir = process.env.BENCH_OTHER;
  const otherPort = await freePort();
  const otherHost = `bench1.localhost:${otherPort}`;
  const other = otherDir ? await start('src/server.ts', { DATABASE_URL: databaseUrl, ROLE: 'web', PORT: String(otherPort), APP_DOMAIN: `localhost:${otherPort}`, NODE_ENV: 'production', MAIL_CAPTURE: '1', APP_SCHEME: 'http', APP_SECRET: SECRET, LOG_LEVEL: 'warn' }, otherDir, true) : undefined;
  let failed = false;
  try {
    const tech = await signIn(appPort, host, '/login', 'tech@bench1.test');
    const portal = await signIn(appPort, host, '/portal/login', 'contact1@bench1.test');
    const otherCookies = other ? { tech: await signIn(otherPort, otherHost, '/login', 'tech@bench1.test'), portal: await signIn(otherPort, otherHost, '/portal/login', 'contact1@bench1.test') } : undefined;
    const pages: Page[] = [
      // All tickets: the baseline's own query (a bare /tickets opens on My open tickets, a narrower one).
      { name: 'technician ticket list', path: '/tickets?view=all', cookie: tech, baseline: '/tickets?tenant=1', rows: 50, other: { path: process.env.BENCH_OTHER_PATH ?? '/tickets', cookie: otherCookies?.tech } },
      { name: 'portal My tickets', path: '/portal/tickets', cookie: portal, baseline: `/tickets?tenant=1&contact=${contact.id}`, rows: 50, other: { path: '/portal/tickets', cookie: otherCookies?.portal } },
      { name: 'ticket page', path: `/tickets/${TICKET_20}`, cookie: tech, sameAs: [`/tickets/${TICKET_1}`, `/tickets/${TICKET_40}`], other: { path: `/tickets/${TICKET_20}`, cookie: otherCookies?.tech } },
      { name: 'portal ticket page', path: `/portal/tickets/${TICKET_20}`, cookie: portal, sameAs: [`/portal/tickets/${TICKET_1}`, `/portal/tickets/${TICKET_40}`], other: { path: `/portal/tickets/${TICKET_20}`, cookie: otherCookies?.portal } },
      { name: 'customers list', path: '/customers', cookie: tech, rows: 50, other: { path: '/customers', cookie: otherCookies?.tech } },
      { name: 'contacts list', path: '/contacts', cookie: tech, rows: 50, other: { path: '/contacts', cookie: otherCookies?.tech } },
      { name: 'customer page', path: `/customers/${customer.id}`, cookie: tech, other: { path: `/customers/${customer.id}`, cookie: otherCookies?.tech } },
      { name: 'contact page', path: `/contacts/${contact.id}`, cookie: tech, other: { path: `/contacts/${contact.id}`, cookie: otherCookies?.tech } },
      { name: 'dashboard', path: '/', cookie: tech, other: { path: '/', cookie: otherCookies?.tech } },
      { name: 'ticket search', path: '/tickets?view=all&q=printer+restarted', cookie: tech, rows: 50, other: { path: '/tickets?view=all&q=printer+restarted', cookie: otherCookies?.tech } },
    ];
    for (const page of pages) {
      if (ONLY && !ONLY.some((word) => page.name.includes(word))) continue;
      const check = await request(appPort, host, 'GET', page.path, undefined, page.cookie);
      const rows = (check.text.match(/<tr/g) ?? []).length - 1;
      if (check.status !== 200 || (page.rows && rows < page.rows)) throw new Error(`${page.path} answered ${check.status} with ${rows} rows (expected 200${page.rows ? ` and ≥ ${page.rows} rows` : ''})`);
      const sent = await fewestStatements(app, appPort, host, page.path, page.cookie);
      const data = sent.filter((s) => !PLUMBING.test(s.text));
      if (process.env.BENCH_STATEMENTS) console.log(`${page.name}:\n${sent.map((s) => `  ${PLUMBING.test(s.text) ? '(plumbing) ' : ''}${s.text.replace(/\s+/g, ' ').slice(0, 300)}`).join('\n')}`);
      let statements = `${sent.length} statements (${data.length} data)`;
      for (const same of page.sameAs ?? []) {
        const theirs = await fewestStatements(app, appPort, host, same, page.cookie);
        const ok = theirs.length === sent.length;
        failed ||= !ok;
        statements += `, ${same}: ${theirs.length}${ok ? '' : ' — N+1, MISSED'}`;
      }
      let baseline = page.baseline;
      let bareStatements = 2;
      if (!baseline) {
        await replayOf(replay, page.name, data);
        baseline = `/replay/${encodeURIComponent(page.name)}`;
        bareStatements = data.length;
      }
      console.log(`${page.name.padEnd(24)} ${page.path} — sportello ${statements}; bare ${bareStatements}`);
      for (const connections of [10, 50]) {
        const ours = await load(appPort, page.path, { host, cookie: page.cookie }, connections, app);
        const bareServer = page.baseline ? base : replay;
        const port = page.baseline ? basePort : replayPort;
        const bare = await load(port, baseline, {}, connections, bareServer);
        const ratio = ours.rps / bare.rps;
        const target = connections === 50 ? ratio >= 0.5 : ours.p99 < 50;
        failed ||= !target || ours.errors > 0 || ours.non2xx > 0;
        if (other && page.other) {
          const theirs = await load(otherPort, page.other.path, { host: otherHost, cookie: page.other.cookie! }, connections, other);
          console.log(`${page.name.padEnd(24)} c=${String(connections).padEnd(3)} other     ${theirs.rps.toFixed(0).padStart(6)} req/s p99 ${String(theirs.p99).padStart(4)} ms ${theirs.cpuMs.toFixed(2)} cpu-ms/req | ratio ${(theirs.rps / bare.rps).toFixed(2)}${theirs.non2xx ? ` non-2xx ${theirs.non2xx}` : ''} (${otherDir})`);
        }
        console.log(`${page.name.padEnd(24)} c=${String(connections).padEnd(3)} sportello ${ours.rps.toFixed(0).padStart(6)} req/s p99 ${String(ours.p99).padStart(4)} ms ${ours.cpuMs.toFixed(2)} cpu-ms/req | bare ${bare.rps.toFixed(0).padStart(6)} req/s p99 ${String(bare.p99).padStart(4)} ms ${bare.cpuMs.toFixed(2)} cpu-ms/req | ratio ${ratio.toFixed(2)} ${connections === 50 ? '(target ≥ 0.50)' : '(target p99 < 50 ms)'} ${target ? 'OK' : 'MISSED'}${ours.non2xx ? ` non-2xx ${ours.non2xx}` : ''}${ours.errors ? ` errors ${ours.errors}` : ''}`);
      }
    }
    failed = !reportRss('sportello (web)', app.pid) || failed;
    if (failed) process.exitCode = 1;
  } finally {
    app.kill('SIGTERM');
    base.kill('SIGTERM');
    replay.kill('SIGTERM');
    other?.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 500));
    await embedded?.stop();
  }
}

/**
 * The statements of one request, the fewer of two: a cache's refresh (the workspace, every
 * few seconds) is no statement of the page's.
 */
async function fewestStatements(server: ChildProcess, port: number, host: string, pathname: string, cookie: string): Promise<Statement[]> {
  const a = await statementsFor(server, port, host, pathname, cookie);
  const b = await statementsFor(server, port, host, pathname, cookie);
  return a.length <= b.length ? a : b;
}

/** Gives the replaying baseline a page's data statements. */
function replayOf(replay: ChildProcess, name: string, statements: Statement[]): Promise<void> {
  return new Promise((resolve) => {
    const on = (m: unknown) => {
      if ((m as { replayed?: string })?.replayed === name) {
        replay.off('message', on);
        resolve();
      }
    };
    replay.on('message', on);
    replay.send({ replay: name, statements });
  });
}

main().then(() => process.exit(process.exitCode ?? 0), (error) => {
  console.error(error);
  process.exit(1);
});
