// Row-level security beneath the ORM's tenant filter: on a pool of two
// connections, many interleaved units of work for acme and globex never see each
// other's rows — through em.find, the QueryBuilder without filters, and raw SQL.
import { expect } from 'chai';
import { MikroORM } from '@mikro-orm/postgresql';
import { entities } from '../../src/db/entities.js';
import { assertRuntimeRoleIsUnprivileged, openRuntimeOrm, RUNTIME_ROLE, type Em } from '../../src/db/orm.js';
import { Contact } from '../../src/domain/contact/contact.js';
import { Customer } from '../../src/domain/customer/customer.js';
import { getOrm, inTenantWork, setOrm } from '../../src/db/unit-of-work.js';
import { NotFoundError } from '../../src/lib/validation.js';
import { h, loadFixtures, sql, type Fixtures } from '../support/index.js';

/** A unit of work as the app runs it (src/db/unit-of-work.ts) — on the small pool, made the app's ORM in `before`. */
function unit<T>(tenantId: number, work: (em: Em) => Promise<T>): Promise<T> {
  return inTenantWork(tenantId, (u) => work(u.em));
}

/** A transaction with no tenant set at all (a unit of work refuses that; RLS must hold anyway). */
function tenantless<T>(orm: MikroORM, work: (em: Em) => Promise<T>): Promise<T> {
  return orm.em.fork().transactional((tx) => work(tx as Em));
}

describe('Row-level security', function () {
  this.timeout(60_000);
  let small: MikroORM;
  let f: Fixtures;
  let expected: Record<number, { customers: string[]; contacts: number }>;

  let appOrm: MikroORM;

  before(async () => {
    small = await openRuntimeOrm(h().databaseUrl, 2);
    await assertRuntimeRoleIsUnprivileged(small);
    appOrm = getOrm();
    setOrm(small); // units of work here share a pool of two connections
  });
  after(async () => {
    setOrm(appOrm);
    await small.close(true);
  });

  beforeEach(async () => {
    f = await loadFixtures();
    expected = {};
    for (const t of [f.acme, f.globex]) {
      const customers = (await sql<{ name: string }>('select name from customers where tenant_id = $1 order by name', [t.id])).map((r) => r.name);
      const [{ n }] = await sql<{ n: number }>('select count(*)::int as n from contacts where tenant_id = $1', [t.id]);
      expected[t.id] = { customers, contacts: n };
    }
    expect(expected[f.acme.id].customers).to.include('Rossi Impianti');
    expect(expected[f.globex.id].customers).to.include('Springfield');
  });

  it('keeps interleaved units of work for two tenants apart on a pool of two connections', async () => {
    const pause = (em: Em) => em.execute('select pg_sleep(0.005)');
    const one = (tenantId: number) => inTenantWork(tenantId, async ({ em, sql: plain }) => {
      // Prepared once per connection, run for both tenants: the generic plan must not carry a tenant.
      const viaPrepared = await plain.query<{ name: string; tenant_id: number }>('select name, tenant_id from customers order by name');
      const viaOrm = await em.find(Customer, {}, { orderBy: { name: 'asc' } });
      await pause(em);
      // The QueryBuilder ignores the ORM filter (no applyFilters here): only RLS scopes it.
      const viaQb = await em.createQueryBuilder(Customer, 'c').select(['c.name', 'c.tenant']).orderBy({ name: 'asc' }).execute<{ name: string; tenant: number }[]>();
      await pause(em);
      const viaSql = await em.execute<{ name: string; tenant_id: number }[]>('select name, tenant_id from customers order by name');
      const contacts = await em.execute<{ n: number }[]>('select count(*)::int as n from contacts');
      const viaOrmContacts = await em.count(Contact, {});
      const [{ setting }] = await em.execute<{ setting: string }[]>("select current_setting('app.tenant_id', true) as setting");
      return { tenantId, viaOrm, viaQb, viaSql, viaPrepared, contacts: contacts[0].n, viaOrmContacts, setting };
    });
    const runs = await Promise.all(Array.from({ length: 40 }, (_, i) => one(i % 2 ? f.globex.id : f.acme.id)));
    for (const run of runs) {
      const want = expected[run.tenantId];
      expect(run.setting).to.equal(String(run.tenantId));
      expect(run.viaOrm.map((c) => c.name)).to.deep.equal(want.customers);
      expect(run.viaQb.map((c) => c.name)).to.deep.equal(want.customers);
      expect(run.viaSql.map((c) => c.name)).to.deep.equal(want.customers);
      expect(run.viaSql.every((c) => c.tenant_id === run.tenantId)).to.equal(true);
      expect(run.viaPrepared).to.deep.equal(run.viaSql);
      expect(run.contacts).to.equal(want.contacts);
      expect(run.viaOrmContacts).to.equal(want.contacts);
    }
    // The tenant setting is transaction-local: a connection returned to the pool carries none.
    const [{ setting }] = await small.em.fork().getConnection().execute<{ setting: string | null }[]>("select current_setting('app.tenant_id', true) as setting");
    expect(setting ?? '').to.equal('');
  });

  it('returns nothing to a query with no tenant set', async () => {
    const client = await h().runtimePool.connect();
    try {
      const { rows: [me] } = await client.query<{ user: string }>('select current_user as user');
      expect(me.user).to.equal(RUNTIME_ROLE);
      const { rows } = await client.query('select * from customers');
      expect(rows).to.deep.equal([]);
      expect((await client.query('select * from contacts')).rows).to.deep.equal([]);
      expect((await client.query('select * from technicians')).rows).to.deep.equal([]);
    } finally {
      client.release();
    }
    // The same through the ORM's unit of work without a tenant: the QueryBuilder and raw SQL see nothing.
    const rows = await tenantless(small, async (em) => ({
      qb: await em.createQueryBuilder(Customer, 'c').select('*').execute(),
      raw: await em.execute('select * from customers'),
    }));
    expect(rows).to.deep.equal({ qb: [], raw: [] });
    // ...and the ORM's own finder refuses to run without the tenant filter's parameter.
    let refused: unknown;
    try { await tenantless(small, (em) => em.find(Customer, {})); } catch (error) { refused = error; }
    expect(String((refused as Error)?.message), 'em.find without a tenant').to.equal("No arguments provided for filter 'tenant'");
  });

  it("answers findOneOrFail for another tenant's record with the app's NotFoundError (a 404), the same as for a missing one", async () => {
    const outcomes: string[] = [];
    for (const id of [f.customers.Springfield.id, 2_000_000_000]) {
      try { await unit(f.acme.id, (em) => em.findOneOrFail(Customer, { id })); outcomes.push('found'); } catch (e) { outcomes.push(e instanceof NotFoundError ? 'not found' : String(e)); }
    }
    expect(outcomes).to.deep.equal(['not found', 'not found']);
    expect((await unit(f.globex.id, (em) => em.findOneOrFail(Customer, { id: f.customers.Springfield.id }))).name).to.equal('Springfield');
  });

  it('refuses to write a row for another tenant', async () => {
    let error: unknown;
    try {
      await unit(f.acme.id, (em) => em.execute('insert into customers (tenant_id, name) values (?, ?)', [f.globex.id, 'Smuggled']));
    } catch (e) { error = e; }
    expect(String((error as Error)?.message)).to.match(/row-level security/);
    let moved: unknown;
    try {
      await unit(f.acme.id, (em) => em.execute('update customers set tenant_id = ? where name = ?', [f.globex.id, 'Rossi Impianti']));
    } catch (e) { moved = e; }
    expect(String((moved as Error)?.message)).to.match(/row-level security/);
    // Another tenant's rows cannot be changed or deleted either: they are not there.
    const touched = await unit(f.acme.id, (em) => em.execute("update customers set notes = 'x' where name = 'Springfield'", [], 'run'));
    expect((touched as unknown as { affectedRows: number }).affectedRows).to.equal(0);
    expect(await sql("select name from customers where name in ('Smuggled') or notes = 'x' or (name = 'Rossi Impianti' and tenant_id <> $1)", [f.acme.id])).to.deep.equal([]);
  });

  it("refuses a row that points at another tenant's record, even with the right tenant_id", async () => {
    const globexSite = f.customers.Springfield.id;
    let error: unknown;
    try {
      await unit(f.acme.id, (em) => em.execute(
        "insert into contacts (tenant_id, customer_id, email) values (?, ?, 'smuggler@acme.test')", [f.acme.id, globexSite]));
    } catch (e) { error = e; }
    expect(String((error as Error)?.message)).to.match(/foreign key/);
    let retargeted: unknown;
    try {
      await unit(f.acme.id, (em) => em.execute('update contacts set customer_id = ? where email = ?', [globexSite, 'mario@rossi.test']));
    } catch (e) { retargeted = e; }
    expect(String((retargeted as Error)?.message)).to.match(/foreign key/);
    expect(await sql("select * from contacts where email = 'smuggler@acme.test' or (email = 'mario@rossi.test' and customer_id = $1)", [globexSite])).to.deep.equal([]);
  });

  it('connects as the runtime role itself, which cannot switch back to a privileged role', async () => {
    const em = small.em.fork();
    const [who] = await em.getConnection().execute<{ current: string; session: string }[]>('select current_user as current, session_user as session');
    expect(who).to.deep.equal({ current: 'sportello_app', session: 'sportello_app' });
    await em.getConnection().execute('reset role');
    const [after] = await em.getConnection().execute<{ current: string }[]>('select current_user as current');
    expect(after.current).to.equal('sportello_app');
    let error: unknown;
    try { await em.getConnection().execute('set role postgres'); } catch (e) { error = e; }
    expect(String((error as Error)?.message)).to.match(/permission denied/);
  });

  it('refuses to serve from a connection that could bypass row-level security', async () => {
    // Connected as the owner (a superuser here), without switching to the runtime role.
    const privileged = await MikroORM.init({ clientUrl: h().databaseUrl, entities, allowGlobalContext: false, pool: { min: 0, max: 1 } });
    try {
      let error: unknown;
      try { await assertRuntimeRoleIsUnprivileged(privileged); } catch (e) { error = e; }
      expect(String((error as Error)?.message)).to.match(/^Refusing to serve: the runtime database role must be sportello_app/);
      // Why it matters: a superuser sees every tenant's rows despite FORCE ROW LEVEL SECURITY.
      const rows = await privileged.em.fork().execute<{ n: number }[]>('select count(distinct tenant_id)::int as n from customers');
      expect(rows[0].n).to.equal(2);
    } finally {
      await privileged.close(true);
    }
  });
});
