import { expect } from 'chai';
import { browserFor, loadFixtures, PASSWORD, signIn, sql, type Fixtures } from '../support/index.js';

describe('Technicians signing in and out', () => {
  let fx: Fixtures;
  beforeEach(async () => {
    fx = await loadFixtures();
  });

  it('signs a technician in, shows the dashboard, and signs out', async () => {
    const alice = await signIn('alice');
    const dashboard = await alice.get('/');
    expect(dashboard.status).to.equal(200);
    expect(dashboard.text).to.contain('Alice Admin').and.contain('Enterprise');
    const out = await alice.post('/logout');
    expect(out.status).to.equal(303);
    const after = await alice.get('/');
    expect(after.status).to.equal(303);
    expect(after.headers.location).to.match(/^\/login/);
  });

  it('answers a wrong password and an unknown account the same way', async () => {
    const browser = browserFor('acme');
    await browser.get('/login');
    const wrong = await browser.post('/login', { email: 'alice@acme.test', password: 'not the password at all' });
    const unknown = await browser.post('/login', { email: 'nobody@acme.test', password: 'not the password at all' });
    expect(wrong.status).to.equal(401);
    expect(unknown.status).to.equal(401);
    const message = (html: string) => html.match(/<p class="error" role="alert">([^<]*)<\/p>/)?.[1];
    expect(message(wrong.text)).to.equal(message(unknown.text)).and.to.be.a('string');
    expect(wrong.text).to.contain('value="alice@acme.test"');
  });

  it('limits sign-in attempts per account, even with the right password after', async () => {
    const browser = browserFor('acme');
    await browser.get('/login');
    for (let i = 0; i < 5; i++) await browser.post('/login', { email: 'alice@acme.test', password: `wrong guess number ${i}` });
    const blocked = await browser.post('/login', { email: 'alice@acme.test', password: PASSWORD });
    expect(blocked.status).to.equal(429);
    expect(blocked.text).to.contain('Too many sign-in attempts');
    // The limit is per account: bob still signs in from the same place.
    const bob = await browser.post('/login', { email: 'bob@acme.test', password: PASSWORD });
    expect(bob.status).to.equal(303);
  });

  it('refuses a state-changing request without the CSRF token', async () => {
    const alice = await signIn('alice');
    const res = await alice.agent.post('/admin/technicians').set('Host', alice.host).type('form').send({ name: 'Eve', email: 'eve@acme.test', role: 'admin' });
    expect(res.status).to.equal(403);
    const forged = await alice.agent.post('/admin/technicians').set('Host', alice.host).type('form').send({ _csrf: 'forged', name: 'Eve', email: 'eve@acme.test', role: 'admin' });
    expect(forged.status).to.equal(403);
    const list = await alice.get('/admin/technicians');
    expect(list.text).not.to.contain('eve@acme.test');
  });

  it('gives an acme session cookie no power on globex', async () => {
    const alice = await signIn('alice');
    const onGlobex = await alice.at('globex.localhost:3000').get('/');
    expect(onGlobex.status).to.equal(303);
    expect(onGlobex.headers.location).to.match(/^\/login/);
    const admin = await alice.get('/admin/technicians');
    expect(admin.status).to.equal(303);
    expect(admin.text).not.to.contain('Gina');
  });

  it('keeps technicians out of admin screens', async () => {
    const bob = await signIn('bob');
    const res = await bob.get('/admin/technicians');
    expect(res.status).to.equal(403);
  });

  it('regenerates the session at sign-in', async () => {
    const browser = browserFor('acme');
    const first = await browser.get('/login');
    const before = String(first.headers['set-cookie'] ?? '');
    const res = await browser.post('/login', { email: 'alice@acme.test', password: PASSWORD });
    const after = String(res.headers['set-cookie'] ?? '');
    expect(after).to.contain('sportello.sid=');
    expect(after.split(';')[0]).not.to.equal(before.split(';')[0]);
    expect(fx.acme.slug).to.equal('acme');
  });
});

describe('Session lifetimes', () => {
  beforeEach(async () => {
    await loadFixtures();
  });

  it('ends a session left unused for more than two hours', async () => {
    const alice = await signIn('alice');
    await sql(`update session set sess = jsonb_set(sess::jsonb, '{seenAt}', to_jsonb((extract(epoch from now()) * 1000 - 3 * 3600 * 1000)::bigint))::json`);
    const res = await alice.get('/');
    expect(res.status).to.equal(303);
    expect(res.headers.location).to.match(/^\/login/);
  });

  it('does not write the session on every request', async () => {
    const alice = await signIn('alice');
    const [before] = await sql<{ sess: string }>('select sess::text from session');
    await alice.get('/');
    await alice.get('/admin/technicians');
    const [after] = await sql<{ sess: string }>('select sess::text from session');
    expect(after.sess).to.equal(before.sess);
  });
});
