// A unit of work's begin is not waited for: its first statement leaves behind it on
// the same connection (pg's pipeline mode, for the unit's life), and still runs inside
// the transaction, with the tenant set; the connection goes back to the pool answering
// one statement at a time, as every other user of the pool expects.
import { expect } from 'chai';
import pg from 'pg';
import { getOrm, inTenantWork } from '../../src/db/unit-of-work.js';
import { loadFixtures, type Fixtures } from '../support/index.js';
import { socketWrites } from '../support/socket-writes.js';

describe('The begin of a unit of work', () => {
  let f: Fixtures;
  beforeEach(async () => {
    f = await loadFixtures();
  });

  it('shares its round trip with the first statement, which runs in the transaction with its tenant', async () => {
    // What the client writes on its socket (a query's submit) before the server has answered the begin.
    const proto = (pg as unknown as { Query: { prototype: Record<string, (...args: unknown[]) => unknown> } }).Query.prototype;
    const { submit, handleReadyForQuery } = proto;
    const sentBeforeBegun: string[] = [];
    let begun = true;
    proto.submit = function (this: { text?: string }, ...args: unknown[]) {
      if (!begun) sentBeforeBegun.push(this.text ?? '');
      if (this.text?.startsWith('begin;')) begun = false;
      return submit.apply(this, args);
    };
    proto.handleReadyForQuery = function (this: { text?: string }, ...args: unknown[]) {
      if (this.text?.startsWith('begin;')) begun = true;
      return handleReadyForQuery.apply(this, args);
    };
    try {
      // now() is the transaction's start: a first statement run outside it would see another.
      const [first, second] = await inTenantWork(f.acme.id, async ({ sql }) => [
        await sql.one<{ at: string; tenant: string }>("select now()::text as at, current_setting('app.tenant_id', true) as tenant"),
        await sql.one<{ at: string }>('select pg_sleep(0.01), now()::text as at'),
      ]);
      expect(sentBeforeBegun, 'statements sent before the begin was answered').to.have.length(1);
      expect(first?.tenant).to.equal(String(f.acme.id));
      expect(first?.at).to.equal(second?.at);
    } finally {
      Object.assign(proto, { submit, handleReadyForQuery });
    }
  });

  it('writes the begin and the first statement to the socket at once, and statements sent together at once', async () => {
    // Each socket write of the unit, as the text it carries.
    const { value: [one, two, three], writes } = await socketWrites(() => inTenantWork(f.acme.id, async ({ sql }) => {
      const first = await sql.one<{ n: number }>('select 1 as n');
      const [a, b] = await Promise.all([sql.one<{ n: number }>('select 2 as n'), sql.one<{ n: number }>('select 3 as n')]);
      return [first?.n, a?.n, b?.n];
    }));
    expect([one, two, three]).to.deep.equal([1, 2, 3]);
    const ofUnit = writes.filter((w) => /begin;|select [123] as n|commit/.test(w));
    expect(ofUnit.map((w) => ['begin;', 'select 1 as n', 'select 2 as n', 'select 3 as n', 'commit'].filter((s) => w.includes(s))))
      .to.deep.equal([['begin;', 'select 1 as n'], ['select 2 as n', 'select 3 as n'], ['commit']]);
  });

  it('hands the connection back answering one statement at a time', async () => {
    await inTenantWork(f.acme.id, ({ sql }) => sql.query('select 1'));
    await inTenantWork(f.acme.id, async () => { throw new Error('no'); }).catch(() => undefined);
    const client = getOrm().em.getConnection().getKnex().client as unknown as {
      acquireConnection(): Promise<{ pipeline: boolean }>; releaseConnection(c: unknown): Promise<void>; pool: { max: number };
    };
    const connections = await Promise.all(Array.from({ length: client.pool.max }, () => client.acquireConnection()));
    try {
      expect(connections.map((c) => c.pipeline)).to.deep.equal(connections.map(() => false));
    } finally {
      for (const c of connections) await client.releaseConnection(c);
    }
  });
});
