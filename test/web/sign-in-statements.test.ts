// A sign-in costs two round trips beside the hash (bench/login): the limits counted and
// the account read in one statement; the limits given back, the sign-in dated and the
// session stored in the other (each in its own transaction, begun and committed in the
// same round trip). A wrong password costs the first alone.
import { expect } from 'chai';
import pg from 'pg';
import { browserFor, h, loadFixtures, PASSWORD, sql } from '../support/index.js';
import { statementsOf } from '../support/statements.js';

const framing = (s: string) => /^(begin;|commit$)/.test(s.trim());

describe('Signing in takes few statements', () => {
  beforeEach(async () => {
    await loadFixtures();
  });

  it('two beside the transactions for a right password, one for a wrong one — and the sign-in still counts, dates and stores', async () => {
    const browser = browserFor('acme');
    await browser.get('/login');
    const wrong = await statementsOf(() => browser.post('/login', { email: 'bob@acme.test', password: 'not the password at all' }));
    expect(wrong.filter((s) => !framing(s))).to.have.length(1);
    expect(wrong).to.have.length(3);
    const right = await statementsOf(async () => {
      const res = await browser.post('/login', { email: 'bob@acme.test', password: PASSWORD });
      expect(res.status).to.equal(303);
      expect(res.headers.location).to.equal('/');
    });
    expect(right.filter((s) => !framing(s)), right.join('\n')).to.have.length(2);
    expect(right).to.have.length(6);
    // The session is stored by the second statement, whole: no save after it, and it signs in.
    expect(right.filter((s) => /\bsession\b/.test(s))).to.have.length(1);
    const [stored] = await sql<{ sess: { passport: { user: { kind: string } }; csrf: string; device: { ip: string } } }>(`select sess from session`);
    expect(stored.sess.passport.user.kind).to.equal('technician');
    expect(stored.sess.csrf).to.be.a('string');
    expect(stored.sess.device.ip).to.be.a('string');
    expect((await browser.get('/')).status).to.equal(200);
    const [bob] = await sql<{ last_login_at: Date | null }>(`select last_login_at from technicians where email = 'bob@acme.test'`);
    expect(bob.last_login_at).to.be.an.instanceOf(Date);
    expect(Date.now() - bob.last_login_at!.getTime()).to.be.below(60_000);
    // The right password gave the wrong one back: bob's account has no count left.
    const counts = await sql<{ key: string; points: number }>(`select key, points from rate_limits where key like 'login:account:%' or key like 'login:pair:%'`);
    expect(counts).to.deep.equal([]);
  });

  it('finds the technician by an index under row-level security, not by walking the technicians', async () => {
    // The sign-in's first statement as it was sent (text and values), planned as the runtime role plans it.
    const sent: { text: string; values: unknown[] }[] = [];
    const original = pg.Client.prototype.query;
    pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
      const q = args[0] as { text?: string; values?: unknown[] };
      if (typeof q === 'object' && q?.text && /from technicians/.test(q.text)) sent.push({ text: q.text, values: q.values ?? [] });
      return (original as (...a: unknown[]) => unknown).apply(this, args);
    } as typeof original;
    try {
      const browser = browserFor('acme');
      await browser.get('/login');
      expect((await browser.post('/login', { email: 'Bob@Acme.test', password: PASSWORD })).status).to.equal(303);
    } finally {
      pg.Client.prototype.query = original;
    }
    const read = sent.find((s) => /password_hash as user_hash/.test(s.text));
    expect(read, 'the sign-in reads the technician').to.exist;
    const [{ id }] = await sql<{ id: number }>(`select id from tenants where slug = 'acme'`);
    const client = await h().runtimePool.connect();
    try {
      await client.query('begin');
      // A table of a few rows is walked whatever the indexes: only a walk that cannot be avoided is left.
      await client.query(`select set_config('app.tenant_id', $1, true), set_config('enable_seqscan', 'off', true)`, [String(id)]);
      const plan = (await client.query(`explain ${read!.text}`, read!.values)).rows.map((row) => row['QUERY PLAN']).join('\n');
      // The address is part of the index's condition: an index on the workspace alone, the address
      // a filter, still walks every technician of the workspace.
      const scan = plan.split('\n').findIndex((line) => / on technicians t\b/.test(line));
      expect(plan.split('\n')[scan], plan).to.match(/Index (Only )?Scan|Bitmap Heap Scan/);
      expect(plan.split('\n').slice(scan + 1).find((line) => /Index Cond|Recheck Cond/.test(line)), plan).to.match(/email/);
    } finally {
      await client.query('rollback');
      client.release();
    }
  });
});
