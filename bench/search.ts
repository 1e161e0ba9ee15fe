// bench/search: the ticket search at scale. One workspace with BENCH_SEARCH_TICKETS tickets
// (default a million; a tenth with a message) among smaller ones; each search is run as the
// runtime role, under RLS, through listTickets — the list page's own statement — and timed
// (the median of 5 runs after a warm-up), with its plan printed when BENCH_EXPLAIN=1.
//   npm run bench:search            (DATABASE_URL: a server to make the database on; unset: embedded)
import path from 'node:path';
import pg from 'pg';
import { startEmbeddedPostgres } from '../src/db/embedded.js';
import { migrate, runtimeUrl } from '../src/db/orm.js';
import { Sql } from '../src/db/sql.js';
import { listTickets } from '../src/domain/ticket/queries.js';
import { viewFilters } from '../src/domain/ticket/views.js';

const TICKETS = Number(process.env.BENCH_SEARCH_TICKETS ?? 1_000_000);
const root = path.resolve(import.meta.dirname, '..');
process.env.APP_SECRET ??= 'bench-secret-bench-secret-bench-secret!!';

const SEARCHES = [
  ['a word in many titles', 'printer jammed'],
  ['a rare word of one description', 'f3c1e2'],
  ['a word only in messages', 'toner cartridge'],
  ['Italian stems (workspace in English)', 'stampante'],
  ["a requester's name", 'Contact 1717'],
  ["a requester's email", 'contact42@big.test'],
  ["a customer's name", 'Customer 77'],
  ['part of a word', 'rinte'],
  ['a misspelt name', 'Custmer 77'],
] as const;

async function main(): Promise<void> {
  let serverUrl = process.env.DATABASE_URL;
  const embedded = serverUrl ? undefined : await startEmbeddedPostgres(path.join(root, '.data/bench-search'), 54359);
  serverUrl ??= embedded!.url;
  const dbName = `sportello_bench_search${process.env.TEST_DB_SUFFIX ? `_${process.env.TEST_DB_SUFFIX.replace(/\W/g, '')}` : ''}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`drop database if exists ${dbName} with (force)`);
  await admin.query(`create database ${dbName}`);
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${dbName}`;
  await migrate(url.toString());

  const owner = new pg.Client({ connectionString: url.toString() });
  await owner.connect();
  const t0 = Date.now();
  process.stdout.write(`seeding ${TICKETS} tickets… `);
  await owner.query(`insert into tenants (slug, name, edition, plan, trial_ends_at) select s, s, 'msp', 'pro', now() from unnest(array['big', 'small1', 'small2']) s`);
  await owner.query(`insert into customers (tenant_id, name) select t.id, 'Customer ' || g from tenants t, generate_series(1, 200) g`);
  await owner.query(`insert into contacts (tenant_id, customer_id, email, first_name, last_name)
    select t.id, (select c.id from customers c where c.tenant_id = t.id and lower(c.name) = 'customer ' || (1 + g % 200)), 'contact' || g || '@' || t.slug || '.test', 'Contact', '' || g
    from tenants t, generate_series(1, 5000) g`);
  const tenant = (await owner.query<{ id: number }>("select id from tenants where slug = 'big'")).rows[0].id;
  const words = `array['Printer', 'VPN', 'Laptop', 'Email', 'Outlook', 'Network', 'Server', 'Backup', 'Monitor', 'Keyboard']`;
  const states = `array['jammed', 'down', 'slow', 'broken', 'not working', 'error', 'crashes', 'freezes']`;
  await owner.query(`insert into tickets (tenant_id, number, title, description, status, priority, customer_id, contact_id, created_at, updated_at)
    select t.id, 1000 + g, (${words})[1 + g % 10] || ' ' || (${states})[1 + (g / 10) % 8] || ' (' || g || ')',
      'Seen on ' || md5(g::text) || '. ' || (array['La stampante', 'La rete', 'La posta', 'Il server', 'Il portatile'])[1 + g % 5] || ' non va.',
      (array['open', 'pending', 'resolved', 'closed'])[1 + g % 4], (array['low', 'medium', 'high', 'critical'])[1 + g % 4],
      ct.customer_id, ct.id, now() - g * interval '1 minute', now() - g * interval '1 minute'
    from tenants t, generate_series(1, case when t.slug = 'big' then $1::int else 20000 end) g,
      lateral (select id, customer_id from contacts c where c.tenant_id = t.id and c.email = 'contact' || (1 + g % 5000) || '@' || t.slug || '.test') ct`, [TICKETS]);
  await owner.query(`insert into ticket_messages (tenant_id, ticket_id, author_kind, body)
    select tenant_id, id, 'system', case when number % 1000 = 0 then 'Ordered a new toner cartridge.' else 'Checked again, still happening on floor ' || number % 7 || '.' end
    from tickets where number % 10 = 0`);
  await owner.query('vacuum analyze');
  process.stdout.write(`done in ${((Date.now() - t0) / 1000).toFixed(0)} s\n`);
  await owner.end();

  const runtime = new pg.Client({ connectionString: runtimeUrl(url.toString()) });
  await runtime.connect();
  await runtime.query(`begin; select set_config('app.tenant_id', '${tenant}', true), set_config('plan_cache_mode', 'force_generic_plan', true)`);
  // The statement listTickets sends, kept to explain it.
  let last: { text: string; values: unknown[] } | undefined;
  const recording = new Proxy(runtime, { get: (target, key) => key === 'query'
    ? (q: { text: string; values: unknown[] }) => { last = q; return target.query(q as never); }
    : Reflect.get(target, key) });
  const sql = new Sql(tenant, recording as unknown as pg.ClientBase);
  for (const [what, q] of SEARCHES) {
    const filters = viewFilters('all', { q });
    const found = await listTickets(sql, filters, { id: 0 });
    const times: number[] = [];
    for (let i = 0; i < 5; i++) {
      const start = process.hrtime.bigint();
      await listTickets(sql, filters, { id: 0 });
      times.push(Number(process.hrtime.bigint() - start) / 1e6);
    }
    times.sort((a, b) => a - b);
    console.log(`${what.padEnd(40)} ${JSON.stringify(q).padEnd(24)} ${String(found.total).padStart(8)} found  ${times[2].toFixed(1).padStart(8)} ms`);
    if (process.env.BENCH_EXPLAIN && last) {
      const plan = await runtime.query(`explain (analyze, costs off, timing off) ${last.text}`, last.values);
      console.log(plan.rows.map((r: Record<string, string>) => `    ${r['QUERY PLAN']}`).join('\n'));
    }
  }
  await runtime.query('rollback');
  await runtime.end();
  await embedded?.stop();
}

main().then(() => process.exit(0), (error) => {
  console.error(error);
  process.exit(1);
});
