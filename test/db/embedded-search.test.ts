// The ticket search's extensions (pg_trgm, unaccent, btree_gin, and PostgreSQL's Italian
// stemmer) exist in the embedded PostgreSQL too: a fresh embedded server is migrated by its
// owner, and the runtime role — which creates nothing — searches with them under RLS.
import { rmSync } from 'node:fs';
import { expect } from 'chai';
import pg from 'pg';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '../../src/db/embedded.js';
import { migrate, runtimeUrl } from '../../src/db/orm.js';
import { Sql } from '../../src/db/sql.js';
import { listTickets } from '../../src/domain/ticket/queries.js';
import { dataDir, freePort } from '../support/embedded.js';

describe('Ticket search on the embedded PostgreSQL', function () {
  this.timeout(120_000);
  let db: EmbeddedDatabase | undefined;
  let dir: string | undefined;
  after(async () => {
    await db?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('has the extensions the migration creates, and the runtime role searches with them', async () => {
    dir = dataDir();
    db = await startEmbeddedPostgres(dir, await freePort());
    const url = new URL(db.url);
    const admin = new pg.Client({ connectionString: db.url });
    await admin.connect();
    await admin.query('create database sportello_search_probe');
    await admin.end();
    url.pathname = '/sportello_search_probe';
    await migrate(url.toString());

    const owner = new pg.Client({ connectionString: url.toString() });
    await owner.connect();
    const { rows: extensions } = await owner.query<{ extname: string }>("select extname from pg_extension where extname in ('pg_trgm', 'unaccent', 'btree_gin') order by extname");
    expect(extensions.map((e) => e.extname)).to.deep.equal(['btree_gin', 'pg_trgm', 'unaccent']);
    const { rows: [tenant] } = await owner.query<{ id: number }>(`insert into tenants (slug, name, edition, plan, trial_ends_at, language) values ('probe', 'Probe', 'msp', 'pro', now(), 'it') returning id`);
    const { rows: [customer] } = await owner.query<{ id: number }>(`insert into customers (tenant_id, name) values ($1, 'Ferramenta Gialli') returning id`, [tenant.id]);
    const { rows: [contact] } = await owner.query<{ id: number }>(`insert into contacts (tenant_id, customer_id, email, first_name, last_name) values ($1, $2, 'giulia@gialli.test', 'Giulia', 'Gialli') returning id`, [tenant.id, customer.id]);
    await owner.query(`insert into tickets (tenant_id, number, title, customer_id, contact_id) values ($1, 1001, 'La stampante non si accende', $2, $3), ($1, 1002, 'Perché la rete è lenta?', $2, $3)`, [tenant.id, customer.id, contact.id]);
    await owner.end();

    const runtime = new pg.Client({ connectionString: runtimeUrl(url.toString()) });
    await runtime.connect();
    try {
      await runtime.query(`begin; select set_config('app.tenant_id', '${tenant.id}', true)`);
      const sql = new Sql(tenant.id, runtime);
      const found = async (q: string) => (await listTickets(sql, { view: 'all', q, page: 1 }, { id: 0 }, 'it')).tickets.map((t) => t.number);
      expect(await found('accendere')).to.deep.equal([1001]); // the Italian stemmer
      expect(await found('perche')).to.deep.equal([1002]); // unaccent
      expect(await found('stampa')).to.deep.equal([1001]); // trigrams
      expect(await found('Gialy')).to.have.members([1001, 1002]); // trigram word similarity on the customer's and requester's names
      await runtime.query('rollback');
    } finally {
      await runtime.end();
    }
  });
});
