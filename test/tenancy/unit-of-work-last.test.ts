// sql.last: a unit of work's last statements take its commit with them, in the same socket
// write; they still run inside the transaction, with its tenant for row-level security; nothing
// is sent after them; a unit that used the ORM or raised an event commits at its end as before.
import { expect } from 'chai';
import { raise } from '../../src/domain/events.js';
import { inTenantWork, subscribe } from '../../src/db/unit-of-work.js';
import { Customer } from '../../src/domain/customer/customer.js';
import { loadFixtures, type Fixtures } from '../support/index.js';
import { socketWrites } from '../support/socket-writes.js';

describe('The last statements of a unit of work (sql.last)', () => {
  let f: Fixtures;
  beforeEach(async () => {
    f = await loadFixtures();
  });

  it('send the commit in the same socket write, and run in the transaction with its tenant', async () => {
    const { value, writes } = await socketWrites(() => inTenantWork(f.acme.id, async ({ sql }) => {
      const first = await sql.one<{ at: string }>('select now()::text as at, 1 as n');
      const [a, b] = await sql.last(Promise.all([
        sql.one<{ at: string; tenant: string }>("select now()::text as at, current_setting('app.tenant_id', true) as tenant, 2 as n"),
        sql.query<{ tenant_id: number }>('select tenant_id from customers'),
      ]));
      return { first, a, customers: b };
    }));
    const ofUnit = writes.filter((w) => /begin;|as n|from customers|commit/.test(w));
    expect(ofUnit.map((w) => ['begin;', '1 as n', '2 as n', 'from customers', 'commit'].filter((s) => w.includes(s))))
      .to.deep.equal([['begin;', '1 as n'], ['2 as n', 'from customers', 'commit']]);
    // now() is the transaction's start; the tenant is set; RLS shows acme's customers only.
    expect(value.a?.at).to.equal(value.first?.at);
    expect(value.a?.tenant).to.equal(String(f.acme.id));
    expect(value.customers).to.have.length.above(0);
    expect(value.customers.map((c) => c.tenant_id)).to.deep.equal(value.customers.map(() => f.acme.id));
  });

  it('commit what the unit wrote through sql', async () => {
    await inTenantWork(f.acme.id, async ({ sql }) => {
      await sql.last(sql.query("update customers set notes = 'written before the commit' where tenant_id = $1 and is_default", [sql.tenantId]));
    });
    const row = await inTenantWork(f.acme.id, ({ sql }) => sql.one<{ notes: string }>('select notes from customers where tenant_id = $1 and is_default', [sql.tenantId]));
    expect(row?.notes).to.equal('written before the commit');
  });

  it('refuse a statement sent after them, and the ORM', async () => {
    const after = await inTenantWork(f.acme.id, async (work) => {
      await work.sql.last(work.sql.query('select 1'));
      return Promise.allSettled([work.sql.query('select 2'), Promise.resolve().then(() => work.em)]);
    });
    expect(after.map((r) => r.status)).to.deep.equal(['rejected', 'rejected']);
  });

  it('leave a unit that used the ORM or raised an event to commit at its end, after its flush', async () => {
    const { writes } = await socketWrites(() => inTenantWork(f.acme.id, async (work) => {
      const customer = await work.em.findOneOrFail(Customer, { isDefault: true });
      customer.notes = 'flushed before the commit';
      await work.sql.last(work.sql.query('select 1 as n'));
    }));
    expect(writes.some((w) => w.includes('1 as n') && w.includes('commit')), 'the commit sent with the last statement').to.equal(false);
    const row = await inTenantWork(f.acme.id, ({ sql }) => sql.one<{ notes: string }>('select notes from customers where tenant_id = $1 and is_default', [sql.tenantId]));
    expect(row?.notes).to.equal('flushed before the commit');

    const raised = await socketWrites(() => inTenantWork(f.acme.id, async ({ sql }) => {
      raise({ type: 'test.nothing' } as never);
      await sql.last(sql.query('select 2 as n'));
    }));
    expect(raised.writes.some((w) => w.includes('2 as n') && w.includes('commit'))).to.equal(false);
  });

  it('change nothing when the last statements fail: the unit throws and nothing it wrote stays', async () => {
    const failed = await inTenantWork(f.acme.id, async ({ sql }) => {
      await sql.query("update customers set notes = 'never committed' where tenant_id = $1 and is_default", [sql.tenantId]);
      await sql.last(sql.query('select 1 / 0'));
    }).then(() => 'committed', (error: Error) => error.message);
    expect(failed).to.match(/division by zero/);
    const row = await inTenantWork(f.acme.id, ({ sql }) => sql.one<{ notes: string }>('select notes from customers where tenant_id = $1 and is_default', [sql.tenantId]));
    expect(row?.notes).not.to.equal('never committed');
  });
  describe('in the last before-commit subscriber', () => {
    let unsubscribe: (() => void) | undefined;
    afterEach(() => unsubscribe?.());

    const lastSubscriber = (statement: string, before?: (sql: import('../../src/db/sql.js').Sql) => Promise<unknown>) => {
      unsubscribe = subscribe({
        name: 'test-last',
        async beforeCommit(_events, { sql }) {
          await before?.(sql);
          await sql.last(sql.query(statement, [sql.tenantId]));
        },
      });
    };

    it('send the commit with the statement (the unit raised events, no ORM), and commit what the unit and it wrote', async () => {
      lastSubscriber("update customers set notes = notes || ' and by the subscriber' where tenant_id = $1 and is_default");
      const { writes } = await socketWrites(() => inTenantWork(f.acme.id, async ({ sql }) => {
        raise({ type: 'test.nothing' } as never);
        await sql.query("update customers set notes = 'written by the unit' where tenant_id = $1 and is_default", [sql.tenantId]);
      }));
      expect(writes.some((w) => w.includes('by the subscriber') && w.includes('commit')), 'the commit sent with the subscriber\'s statement').to.equal(true);
      expect(writes.filter((w) => w.includes('commit'))).to.have.length(1);
      const row = await inTenantWork(f.acme.id, ({ sql }) => sql.one<{ notes: string }>('select notes from customers where tenant_id = $1 and is_default', [sql.tenantId]));
      expect(row?.notes).to.equal('written by the unit and by the subscriber');
    });

    it('leave a subscriber that is not the last, or a unit that used the ORM, to commit at the end', async () => {
      lastSubscriber("update customers set notes = 'by the first' where tenant_id = $1 and is_default");
      const second = subscribe({ name: 'test-after', async beforeCommit(_events, { sql }) { await sql.query("update customers set notes = notes || ', then the second' where tenant_id = $1 and is_default", [sql.tenantId]); } });
      try {
        const { writes } = await socketWrites(() => inTenantWork(f.acme.id, async () => { raise({ type: 'test.nothing' } as never); }));
        expect(writes.some((w) => w.includes('by the first') && w.includes('commit'))).to.equal(false);
      } finally {
        second();
      }
      const row = await inTenantWork(f.acme.id, ({ sql }) => sql.one<{ notes: string }>('select notes from customers where tenant_id = $1 and is_default', [sql.tenantId]));
      expect(row?.notes).to.equal('by the first, then the second');

      const orm = await socketWrites(() => inTenantWork(f.acme.id, async (work) => {
        const customer = await work.em.findOneOrFail(Customer, { isDefault: true });
        customer.notes = 'flushed';
        raise({ type: 'test.nothing' } as never);
      }));
      expect(orm.writes.some((w) => w.includes('by the first') && w.includes('commit'))).to.equal(false);
      const after = await inTenantWork(f.acme.id, ({ sql }) => sql.one<{ notes: string }>('select notes from customers where tenant_id = $1 and is_default', [sql.tenantId]));
      expect(after?.notes).to.equal('by the first');
    });

    it('roll the whole unit back when that statement fails', async () => {
      lastSubscriber('select 1 / (0 * $1::int)');
      const failed = await inTenantWork(f.acme.id, async ({ sql }) => {
        raise({ type: 'test.nothing' } as never);
        await sql.query("update customers set notes = 'never committed' where tenant_id = $1 and is_default", [sql.tenantId]);
      }).then(() => 'committed', (error: Error) => error.message);
      expect(failed).to.match(/division by zero/);
      const row = await inTenantWork(f.acme.id, ({ sql }) => sql.one<{ notes: string }>('select notes from customers where tenant_id = $1 and is_default', [sql.tenantId]));
      expect(row?.notes).not.to.equal('never committed');
    });
  });
});
