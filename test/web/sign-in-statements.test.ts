// A sign-in costs two round trips beside the hash (bench/login): the limits counted and
// the account read in one statement; the limits given back, the sign-in dated and the
// session stored in the other (each in its own transaction, begun and committed in the
// same round trip). A wrong password costs the first alone.
import { expect } from 'chai';
import { browserFor, loadFixtures, PASSWORD, sql } from '../support/index.js';
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
});
