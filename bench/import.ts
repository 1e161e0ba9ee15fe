// bench/import: 50,000 CSV rows (names, phones, a customer named on half of them, the
// rest placed by the Enterprise domain rule) through the import-contacts job with all
// its database work — every contact, its audit event, its outcome row, the progress —
// beside csv-parse alone reading the same file in the same run. The ratio is the figure
// (target ≥ 0.10: batched statements, not one round trip per row).
//   npm run bench:import        (BENCH_ROWS to change the size; exits 1 on a miss)
import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { parse } from 'csv-parse';
import pg from 'pg';
import { migrate, openRuntimeOrm } from '../src/db/orm.js';
import { inTenant, setOrm } from '../src/db/unit-of-work.js';
import { uploadImport } from '../src/domain/contact/import.js';
import { Technician } from '../src/domain/technician/technician.js';
import { Tenant } from '../src/domain/tenant/tenant.js';
import { signUp } from '../src/domain/tenant/signup.js';
import { importContactsJob } from '../src/jobs/import-contacts.js';
import { benchDatabase, cpuOf } from './machinery.js';

const ROWS = Number(process.env.BENCH_ROWS ?? 50_000);
process.env.APP_SECRET ??= 'bench-secret-bench-secret-bench-secret!!';
process.env.NODE_ENV = 'test';

/** Statements sent to PostgreSQL (every pg copy in node_modules: the ORM has its own), by their first words when BENCH_STATEMENTS is set. */
let statements = 0;
let counting = false;
const byKind = new Map<string, { n: number; ms: number }>();
{
  const require = createRequire(path.join(process.cwd(), 'package.json'));
  for (const dir of ['pg', '@mikro-orm/postgresql/node_modules/pg']) {
    const folder = path.join(process.cwd(), 'node_modules', dir);
    if (!existsSync(folder)) continue;
    const Client = require(folder).Client;
    const query = Client.prototype.query;
    Client.prototype.query = function (config: unknown, ...rest: unknown[]) {
      statements += 1;
      const result = query.call(this, config, ...rest);
      if (counting && process.env.BENCH_STATEMENTS) {
        // Each statement's time from sent to answered (pipelined statements overlap the one before).
        const text = typeof config === 'string' ? config : (config as { text?: string })?.text ?? '';
        const kind = text.replace(/\s+/g, ' ').trim().slice(0, 60);
        const entry = byKind.get(kind) ?? { n: 0, ms: 0 };
        byKind.set(kind, entry);
        entry.n += 1;
        const t = performance.now();
        if (result && typeof result.then === 'function') result.then(() => { entry.ms += performance.now() - t; }, () => undefined);
      }
      return result;
    };
  }
}

/** CPU (ms) the PostgreSQL backends serving `database` have used (the server is on this machine: /proc). */
async function backendCpu(owner: pg.Pool, database: string, seen: Map<number, number>): Promise<number> {
  const { rows } = await owner.query<{ pid: number }>(`select pid from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()`, [database]);
  let total = 0;
  for (const { pid } of rows) {
    const now = cpuOf(pid);
    total += now - (seen.get(pid) ?? 0);
    seen.set(pid, now);
  }
  return total;
}

/** The file: Excel-in-Italy style (semicolons), Italian headers, quoted cells now and then. */
function corpus(): Buffer {
  const lines = ['E-mail;Nome;Cognome;Telefono;Cliente;Contatto principale;Accesso al portale'];
  for (let i = 0; i < ROWS; i++) {
    const customer = i % 2 === 0 ? `Cliente ${i % 20}` : '';
    lines.push(`persona${i}@azienda${i % 50}.test;Nome ${i};"Cognome; ${i}";+39 02 ${String(i).padStart(6, '0')};${customer};${i % 100 === 0 ? 'sì' : 'no'};${i % 7 === 0 ? 'no' : 'sì'}`);
  }
  return Buffer.from(lines.join('\r\n') + '\r\n');
}

async function parseAlone(data: Buffer): Promise<number> {
  const parser = parse({ delimiter: ';', bom: true, skip_empty_lines: true, relax_column_count: true, info: true });
  Readable.from([data.toString('utf8')]).pipe(parser);
  let n = 0;
  for await (const _ of parser) n += 1;
  return n - 1;
}

async function main(): Promise<void> {
  const db = await benchDatabase('import');
  await migrate(db.url);
  const orm = await openRuntimeOrm(db.url, 4);
  setOrm(orm);
  const owner = new pg.Pool({ connectionString: db.url, max: 1 });
  let failed = false;
  try {
    const { tenant, admin } = await signUp({ companyName: 'Bench Support', slug: 'bench', edition: 'msp', plan: 'enterprise', adminName: 'Bench Admin', adminEmail: 'admin@bench.test', password: 'bench password 123' });
    await owner.query(`update email_settings set send_welcome_email = true,
      welcome_template_id = (select id from email_templates t where t.tenant_id = email_settings.tenant_id and t.name like 'New % welcome')`);
    await owner.query(`insert into customers (tenant_id, name) select $1, 'Cliente ' || n from generate_series(0, 19) n`, [tenant.id]);
    // Ten of the fifty domains belong to a customer: those rows without a customer are placed there.
    await owner.query(`insert into customer_domains (tenant_id, customer_id, domain)
      select $1, (select id from customers where tenant_id = $1 and name = 'Cliente ' || n), 'azienda' || (n * 5 + 1) || '.test' from generate_series(0, 9) n`, [tenant.id]);
    const data = corpus();
    console.log(`corpus: ${ROWS} rows, ${(data.length / 1024 / 1024).toFixed(1)} MB`);

    // csv-parse alone, twice (the first warms it up); the faster run counts.
    let parseRate = 0;
    for (let run = 0; run < 2; run++) {
      const t = performance.now();
      const rows = await parseAlone(data);
      if (rows !== ROWS) throw new Error(`csv-parse read ${rows} rows`);
      parseRate = Math.max(parseRate, ROWS / ((performance.now() - t) / 1000));
    }

    const importId = await inTenant(tenant.id, async (em) => {
      const upload = await uploadImport(em, await em.findOneOrFail(Tenant, { id: tenant.id }), await em.findOneOrFail(Technician, { id: admin.id }), { name: 'bench.csv', data });
      upload.status = 'queued';
      await em.flush();
      return upload.id;
    });
    const database = new URL(db.url).pathname.slice(1);
    const backends = new Map<number, number>();
    await backendCpu(owner, database, backends);
    const statementsBefore = statements;
    counting = true;
    const nodeCpu = process.cpuUsage();
    const t = performance.now();
    await importContactsJob.run({ tenantId: tenant.id, importId }, { now: async () => undefined, at: async () => undefined });
    const jobRate = ROWS / ((performance.now() - t) / 1000);
    const { user, system } = process.cpuUsage(nodeCpu);
    const sent = statements - statementsBefore;
    counting = false;
    const pgCpu = await backendCpu(owner, database, backends);

    const [result] = (await owner.query(`select status, created, failed, (select count(*)::int from contacts where tenant_id = $1 and source = 'csv') as contacts,
        (select count(*)::int from audit_events where tenant_id = $1 and action = 'contact.created') as events,
        (select count(*)::int from outbound_emails where tenant_id = $1) as emails
      from imports where id = $2`, [tenant.id, importId])).rows;
    const ratio = jobRate / parseRate;
    const ok = ratio >= 0.1 && result.status === 'done' && result.created === ROWS && result.contacts === ROWS && result.events === ROWS && result.emails === 0;
    failed ||= !ok;
    console.log(`import: ${result.status}, ${result.created} created, ${result.failed} failed; ${result.events} audit events; ${result.emails} welcome emails`);
    console.log(`per 1,000 rows: ${(sent / ROWS * 1000).toFixed(1)} statements, Node.js ${((user + system) / 1000 / ROWS * 1000).toFixed(0)} cpu-ms, PostgreSQL ${(pgCpu / ROWS * 1000).toFixed(0)} cpu-ms${pgCpu === 0 ? ' (not on this machine)' : ''}`);
    if (process.env.BENCH_STATEMENTS) for (const [kind, { n, ms }] of [...byKind].sort((a, b) => b[1].ms - a[1].ms)) console.log(`  ${String(n).padStart(6)} × ${(ms / n).toFixed(2).padStart(7)} ms  ${kind}`);
    console.log(`csv-parse alone ${parseRate.toFixed(0).padStart(7)} rows/s | the import job with its database work ${jobRate.toFixed(0).padStart(7)} rows/s | ratio ${ratio.toFixed(3)} (target ≥ 0.10) ${ok ? 'OK' : 'MISSED'}`);
  } finally {
    await owner.end();
    await orm.close(true);
    await db.stop();
  }
  if (failed) process.exitCode = 1;
}

await main();
