// Migration 0042 moved an import's report from one row a line of the file (import_outcomes)
// to one row a batch of up to 1,000 lines (import_outcome_batches), and regrouped the
// outcomes already written. A workspace upgraded with an import's report on file must read
// the same report afterwards: every line, its email, outcome and reason, in file order,
// each workspace's and each import's apart, and `failed` counting a batch's failures.
import { expect } from 'chai';
import { MikroORM } from '@mikro-orm/postgresql';
import { Migrator } from '@mikro-orm/migrations';
import pg from 'pg';
import { migrationsList } from '../../migrations/index.js';
import { h } from '../support/index.js';

const BEFORE = '0041-check-a-tickets-messages-and-history-against-their-ticket-alone';
const REGROUPING = '0042-keep-an-import-s-outcomes-one-row-a-batch';

interface Line { tenant: number; upload: number; line: number; email: string; outcome: string; reason: unknown }

/** A report of `count` lines: every seventh failed with a reason, every fifth skipped, the rest created or updated. */
function report(tenant: number, upload: number, count: number): Line[] {
  return Array.from({ length: count }, (_, i) => {
    const line = i + 2; // line 1 is the header
    const outcome = i % 7 === 3 ? 'failed' : i % 5 === 0 ? 'skipped' : i % 2 ? 'updated' : 'created';
    const reason = outcome === 'failed' ? { key: 'imports.errors.email', values: { line } } : outcome === 'skipped' ? { key: 'imports.reasons.exists' } : null;
    return { tenant, upload, line, email: `person${line}@w${tenant}.example`, outcome, reason };
  });
}

describe('Upgrading to one outcome row a batch (migration 0042)', function () {
  this.timeout(120_000);
  let url: string;
  let client: pg.Client;

  before(async function () {
    const server = new URL(h().databaseUrl);
    const name = `${server.pathname.slice(1)}_regroup`;
    server.pathname = '/postgres';
    const admin = new pg.Client({ connectionString: server.toString() });
    await admin.connect();
    await admin.query(`drop database if exists "${name}" with (force)`);
    await admin.query(`create database "${name}"`);
    await admin.end();
    server.pathname = `/${name}`;
    url = server.toString();
    await migrateTo(url, BEFORE);
    client = new pg.Client({ connectionString: url });
    await client.connect();
  });

  after(async function () {
    await client?.end();
    const server = new URL(url);
    const name = server.pathname.slice(1);
    server.pathname = '/postgres';
    const admin = new pg.Client({ connectionString: server.toString() });
    await admin.connect();
    await admin.query(`drop database if exists "${name}" with (force)`);
    await admin.end();
  });

  it('reads the same report, line by line, for every workspace and import', async function () {
    const tenants = (await client.query<{ id: number }>(`insert into tenants (slug, name, edition, plan, trial_ends_at)
      values ('uno', 'Uno', 'msp', 'pro', now() + interval '30 days'), ('due', 'Due', 'it', 'enterprise', now() + interval '30 days') returning id`)).rows.map((r) => r.id);
    const uploads = (await client.query<{ id: number; tenant_id: number }>(`insert into imports (tenant_id, file_name, encoding, delimiter, row_count, status)
      values ($1, 'big.csv', 'utf-8', ',', 2345, 'done'), ($1, 'small.csv', 'utf-8', ';', 3, 'done'), ($2, 'theirs.csv', 'utf-8', ',', 1000, 'done'),
             ($2, 'empty.csv', 'utf-8', ',', 1, 'mapping') returning id, tenant_id`, tenants)).rows;
    const lines = [...report(tenants[0]!, uploads[0]!.id, 2345), ...report(tenants[0]!, uploads[1]!.id, 3), ...report(tenants[1]!, uploads[2]!.id, 1000)];
    // Written out of file order, as concurrent batches could leave them.
    const shuffled = [...lines].sort((a, b) => ((a.line * 7919) % 1009) - ((b.line * 7919) % 1009) || a.line - b.line);
    await client.query(`insert into import_outcomes (tenant_id, import_id, line, email, outcome, reason)
      select * from unnest($1::int[], $2::int[], $3::int[], $4::text[], $5::text[], $6::jsonb[])`,
    [shuffled.map((l) => l.tenant), shuffled.map((l) => l.upload), shuffled.map((l) => l.line), shuffled.map((l) => l.email),
      shuffled.map((l) => l.outcome), shuffled.map((l) => (l.reason === null ? null : JSON.stringify(l.reason)))]);

    await migrateTo(url, REGROUPING);

    const read = (await client.query<Line>(`select b.tenant_id as tenant, b.import_id as upload, u.line, u.email, u.outcome, u.reason
        from import_outcome_batches b, unnest(b.lines, b.emails, b.outcomes, b.reasons) as u(line, email, outcome, reason)
       order by b.tenant_id, b.import_id, u.line`)).rows;
    expect(read).to.deep.equal(lines);

    const batches = (await client.query<{ upload: number; first_line: number; last_line: number; count: number; failed: number; real_failed: number }>(`
      select import_id as upload, first_line, last_line, cardinality(lines) as count, failed,
             (select count(*)::int from unnest(outcomes) o where o = 'failed') as real_failed
        from import_outcome_batches order by import_id, first_line`)).rows;
    expect(batches.map((b) => [b.upload, b.first_line, b.last_line, b.count])).to.deep.equal([
      [uploads[0]!.id, 2, 1001, 1000], [uploads[0]!.id, 1002, 2001, 1000], [uploads[0]!.id, 2002, 2346, 345],
      [uploads[1]!.id, 2, 4, 3],
      [uploads[2]!.id, 2, 1001, 1000],
    ]);
    for (const b of batches) expect(b.failed, `batch from line ${b.first_line}`).to.equal(b.real_failed);
    expect(batches.reduce((n, b) => n + b.failed, 0)).to.equal(lines.filter((l) => l.outcome === 'failed').length);
    // Each batch is its workspace's: the row-level security policy reads tenant_id.
    const owners = (await client.query<{ import_id: number; tenant_id: number }>('select distinct import_id, tenant_id from import_outcome_batches order by 1')).rows;
    expect(owners).to.deep.equal(uploads.slice(0, 3).map((u) => ({ import_id: u.id, tenant_id: u.tenant_id })));
    const oldTable = await client.query("select to_regclass('import_outcomes') as t");
    expect(oldTable.rows[0].t).to.equal(null);
  });
});

async function migrateTo(url: string, to: string): Promise<void> {
  const orm = await MikroORM.init({
    clientUrl: url,
    entities: [],
    discovery: { warnWhenNoEntities: false },
    extensions: [Migrator],
    migrations: { migrationsList, tableName: 'mikro_orm_migrations', transactional: true, allOrNothing: true, silent: true, snapshot: false },
    pool: { min: 0, max: 1 },
  });
  try {
    await orm.getMigrator().up({ to });
  } finally {
    await orm.close(true);
  }
}
