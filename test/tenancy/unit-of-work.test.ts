// A unit of work is one connection and one transaction: what the ORM writes and
// what plain SQL writes commit together or not at all, each sees the other's
// writes, and the connection goes back to the pool with no transaction or tenant.
import { expect } from 'chai';
import { getOrm, inTenantWork } from '../../src/db/unit-of-work.js';
import { columnsOf } from '../../src/db/columns.js';
import { Contact } from '../../src/domain/contact/contact.js';
import { Customer } from '../../src/domain/customer/customer.js';
import { Technician } from '../../src/domain/technician/technician.js';
import type { Tenant } from '../../src/domain/tenant/tenant.js';
import { loadFixtures, sql, type Fixtures } from '../support/index.js';

describe('A unit of work', () => {
  let f: Fixtures;
  beforeEach(async () => {
    f = await loadFixtures();
  });

  const customersNamed = async (...names: string[]) =>
    (await sql<{ name: string }>('select name from customers where name = any($1) order by name', [names])).map((r) => r.name);

  it('commits what the ORM and plain SQL wrote, each seeing the other in the transaction', async () => {
    const seen = await inTenantWork(f.acme.id, async ({ em, sql: plain }) => {
      em.create(Customer, { tenant: em.getReference('Tenant', f.acme.id) as Tenant, name: 'Via ORM' });
      await em.flush();
      await plain.query("insert into customers (tenant_id, name) values ($1, 'Via SQL')", [f.acme.id]);
      const bySql = await plain.query<{ name: string }>("select name from customers where name like 'Via %' order by name");
      const byOrm = await em.find(Customer, { name: { $like: 'Via %' } }, { orderBy: { name: 'asc' } });
      return { bySql: bySql.map((r) => r.name), byOrm: byOrm.map((c) => c.name) };
    });
    expect(seen).to.deep.equal({ bySql: ['Via ORM', 'Via SQL'], byOrm: ['Via ORM', 'Via SQL'] });
    expect(await customersNamed('Via ORM', 'Via SQL')).to.deep.equal(['Via ORM', 'Via SQL']);
  });

  it('rolls both back when the work throws, including what the ORM had not flushed yet', async () => {
    let error: unknown;
    try {
      await inTenantWork(f.acme.id, async ({ em, sql: plain }) => {
        em.create(Customer, { tenant: em.getReference('Tenant', f.acme.id) as Tenant, name: 'Flushed' });
        await em.flush();
        await plain.query("insert into customers (tenant_id, name) values ($1, 'Plain')", [f.acme.id]);
        em.create(Customer, { tenant: em.getReference('Tenant', f.acme.id) as Tenant, name: 'Pending' });
        throw new Error('changed my mind');
      });
    } catch (e) { error = e; }
    expect((error as Error).message).to.equal('changed my mind');
    expect(await customersNamed('Flushed', 'Plain', 'Pending')).to.deep.equal([]);
  });

  it('rolls back the plain SQL writes when the ORM cannot flush at the end', async () => {
    let error: unknown;
    try {
      await inTenantWork(f.acme.id, async ({ em, sql: plain }) => {
        await plain.query("insert into customers (tenant_id, name) values ($1, 'Before the bad flush')", [f.acme.id]);
        // A customer of another tenant: RLS refuses the insert when the unit of work flushes.
        em.create(Customer, { tenant: em.getReference('Tenant', f.globex.id) as Tenant, name: 'Smuggled' });
      });
    } catch (e) { error = e; }
    expect(String((error as Error)?.message)).to.match(/row-level security/);
    expect(await customersNamed('Before the bad flush', 'Smuggled')).to.deep.equal([]);
  });

  it('runs a transaction nested inside it as a savepoint of its own transaction', async () => {
    let error: unknown;
    try {
      await inTenantWork(f.acme.id, async ({ em }) => {
        await em.transactional(async (inner) => {
          inner.create(Customer, { tenant: inner.getReference('Tenant', f.acme.id) as Tenant, name: 'Nested' });
        });
        expect(await em.count(Customer, { name: 'Nested' })).to.equal(1);
        throw new Error('the outer work fails');
      });
    } catch (e) { error = e; }
    expect(String((error as Error)?.message)).to.equal('the outer work fails');
    expect(await customersNamed('Nested')).to.deep.equal([]);
  });

  it('lets nothing kept past its end reach the connection, which is back in the pool', async () => {
    const kept = await inTenantWork(f.acme.id, async (unit) => ({ em: unit.em, sql: unit.sql }));
    const refusals: string[] = [];
    for (const late of [() => kept.sql.query('select 1'), () => kept.em.find(Customer, {}), () => kept.em.execute('select 1')]) {
      try { await late(); refusals.push('ran'); } catch (e) { refusals.push((e as Error).message); }
    }
    expect(refusals).to.deep.equal(Array(3).fill('This unit of work has ended: its connection is no longer ours'));
  });

  it('selects every column of the signed-in user\'s tables, so an entity made from the row is whole', async () => {
    for (const [entity, table] of [[Technician, 'technicians'], [Contact, 'contacts'], [Customer, 'customers']] as const) {
      const inTable = (await sql<{ name: string }>("select column_name as name from information_schema.columns where table_schema = 'public' and table_name = $1", [table])).map((r) => r.name);
      expect([...columnsOf(entity)].sort(), table).to.deep.equal(inTable.sort());
    }
  });

  it('refuses to start without a tenant', async () => {
    for (const bad of [0, -1, Number.NaN, 1.5]) {
      let error: unknown;
      try { await inTenantWork(bad, async () => undefined); } catch (e) { error = e; }
      expect(String((error as Error)?.message), String(bad)).to.match(/Not a tenant id/);
    }
  });

  it('hands every connection back with no transaction open and no tenant set, after failures too', async () => {
    const failures = await Promise.allSettled(Array.from({ length: 30 }, (_, i) => inTenantWork(i % 2 ? f.acme.id : f.globex.id, async ({ sql: plain }) => {
      if (i % 3 === 0) await plain.query('select 1 / 0');
      if (i % 3 === 1) throw new Error('thrown');
      return plain.query('select 1');
    })));
    expect(failures.filter((r) => r.status === 'rejected')).to.have.length(20);
    // Every pooled connection, taken at once, outside any unit of work. In a transaction
    // left open, now() would be that transaction's start, not this statement's.
    const client = getOrm().em.getConnection().getKnex().client as unknown as {
      acquireConnection(): Promise<{ query(text: string): Promise<{ rows: Array<Record<string, unknown>> }> }>;
      releaseConnection(c: unknown): Promise<void>;
      pool: { max: number };
    };
    const connections = await Promise.all(Array.from({ length: client.pool.max }, () => client.acquireConnection()));
    try {
      for (const connection of connections) {
        const { rows: [state] } = await connection.query(
          "select coalesce(current_setting('app.tenant_id', true), '') as tenant, current_setting('plan_cache_mode') as plans, now() = statement_timestamp() as fresh");
        expect(state).to.deep.equal({ tenant: '', plans: 'auto', fresh: true });
      }
    } finally {
      for (const connection of connections) await client.releaseConnection(connection);
    }
  });
});

describe('A savepoint in a unit of work', () => {
  let f: Fixtures;
  beforeEach(async () => {
    f = await loadFixtures();
  });
  const customerNames = async () => (await sql<{ name: string }>("select name from customers where name like 'SP %' order by name")).map((r) => r.name);
  const newCustomer = (em: Parameters<Parameters<typeof inTenantWork>[1]>[0]['em'], name: string) =>
    em.create(Customer, { tenant: em.getReference('Tenant', f.acme.id) as Tenant, name });

  it('undoes only the failed part — ORM and plain SQL — and the rest commits', async () => {
    const outcomes = await inTenantWork(f.acme.id, async (work) => {
      newCustomer(work.em, 'SP before');
      const tried: string[] = [];
      for (const email of ['new@rossi.test', 'mario@rossi.test', 'other@rossi.test']) {
        try {
          await work.savepoint(async (em) => {
            await work.sql.query("insert into customers (tenant_id, name) values ($1, $2)", [f.acme.id, `SP for ${email}`]);
            em.create(Contact, { tenant: em.getReference('Tenant', f.acme.id) as Tenant, customer: em.getReference(Customer, f.customers['Rossi Impianti'].id), email, firstName: 'X' });
            await em.flush(); // mario@rossi.test exists: a unique violation
          });
          tried.push(`${email}: added`);
        } catch (error) {
          tried.push(`${email}: ${(error as { code?: string }).code}`);
        }
      }
      // The transaction is usable after the failure, by both ways in.
      newCustomer(work.em, 'SP after');
      await work.em.flush();
      const [row] = await work.sql.query<{ n: number }>("select count(*)::int as n from contacts where email like '%@rossi.test'");
      return { tried, contacts: row.n };
    });
    expect(outcomes).to.deep.equal({ tried: ['new@rossi.test: added', 'mario@rossi.test: 23505', 'other@rossi.test: added'], contacts: 4 });
    expect(await customerNames()).to.deep.equal(['SP after', 'SP before', 'SP for new@rossi.test', 'SP for other@rossi.test']);
    const emails = (await sql<{ email: string }>("select email from contacts where email in ('new@rossi.test', 'other@rossi.test') order by email")).map((r) => r.email);
    expect(emails).to.deep.equal(['new@rossi.test', 'other@rossi.test']);
  });

  it('nests, keeps the tenant for row-level security, and rolls back with its unit of work', async () => {
    let error: unknown;
    try {
      await inTenantWork(f.acme.id, async (work) => {
        await work.savepoint(async (outer) => {
          newCustomer(outer, 'SP outer');
          await outer.flush();
          await work.savepoint(async (inner) => {
            const [row] = await work.sql.query<{ tenant: string }>("select current_setting('app.tenant_id') as tenant");
            expect(row.tenant).to.equal(String(f.acme.id));
            expect(await inner.count(Customer, { name: 'SP outer' })).to.equal(1);
            inner.create(Customer, { tenant: inner.getReference('Tenant', f.globex.id) as Tenant, name: 'SP smuggled' });
          }).catch((e: Error) => expect(e.message).to.match(/row-level security/));
          newCustomer(outer, 'SP kept');
        });
        throw new Error('the whole unit of work fails');
      });
    } catch (e) { error = e; }
    expect((error as Error).message).to.equal('the whole unit of work fails');
    expect(await customerNames()).to.deep.equal([]);
  });
});
