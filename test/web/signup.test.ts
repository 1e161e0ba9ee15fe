import { expect } from 'chai';
import { browserFor, sql } from '../support/index.js';

const valid = { companyName: 'Rossi Impianti', slug: 'rossi', edition: 'msp', plan: 'pro', adminName: 'Maria Rossi', adminEmail: 'maria@rossi.test', password: 'a long enough passphrase' };

describe('Signing up a workspace', () => {
  it('creates the workspace and lands its admin signed in on the workspace host', async () => {
    const root = browserFor();
    await root.get('/signup');
    const res = await root.post('/signup', valid);
    expect(res.status).to.equal(303);
    const landing = new URL(res.headers.location);
    expect(landing.host).to.equal('rossi.localhost:3000');

    const tenantSide = browserFor('rossi');
    const handedOver = await tenantSide.get(landing.pathname);
    expect(handedOver.status).to.equal(303);
    expect(handedOver.headers.location).to.equal('/');
    const dashboard = await tenantSide.get('/');
    expect(dashboard.status).to.equal(200);
    expect(dashboard.text).to.contain('Rossi Impianti').and.contain('Maria Rossi').and.contain('Customer Portal').and.contain('Pro').and.contain('30 days left');

    // The hand-over token is single-use.
    const again = await browserFor('rossi').get(landing.pathname);
    expect(again.headers.location).to.equal('/login');
  });

  it('speaks the IT edition words for an IT department', async () => {
    const root = browserFor();
    await root.get('/signup');
    const res = await root.post('/signup', { ...valid, slug: 'initech', edition: 'it', plan: 'enterprise' });
    const tenantSide = browserFor('initech');
    await tenantSide.get(new URL(res.headers.location).pathname);
    const dashboard = await tenantSide.get('/');
    expect(dashboard.text).to.contain('Service Portal').and.contain('Sites').and.contain('Enterprise');
  });

  const refusals: Array<[string, Record<string, string>, string, RegExp]> = [
    ['a reserved subdomain', { slug: 'www' }, 'slug', /reserved/],
    ['a malformed subdomain', { slug: 'Not_Valid!' }, 'slug', /lower-case letters/],
    ['an invalid email', { adminEmail: 'maria-at-rossi' }, 'adminEmail', /valid email/],
    ['a short password', { password: 'short' }, 'password', /at least 12/],
    ['a common password', { password: '1q2w3e4r5t6y' }, 'password', /common passwords/],
    ['a missing company name', { companyName: '' }, 'companyName', /required/],
    ['a missing edition', { edition: '' }, 'edition', /edition/],
  ];
  for (const [what, change, field, message] of refusals) {
    it(`refuses ${what} with 422, the message by the field and the input kept`, async () => {
      const root = browserFor();
      await root.get('/signup');
      const res = await root.post('/signup', { ...valid, ...change });
      expect(res.status).to.equal(422);
      expect(res.text).to.match(message);
      expect(res.text).to.match(new RegExp(`id="e-${field}"|name="${field}"`));
      if (field !== 'companyName') expect(res.text).to.contain('value="Rossi Impianti"');
      expect(res.text).not.to.contain(valid.password);
      expect(await sql('select * from tenants')).to.have.length(0);
    });
  }

  it('refuses a subdomain that is taken', async () => {
    const root = browserFor();
    await root.get('/signup');
    await root.post('/signup', valid);
    const res = await root.post('/signup', { ...valid, adminEmail: 'other@rossi.test' });
    expect(res.status).to.equal(422);
    expect(res.text).to.contain('already taken');
    expect(await sql('select * from tenants')).to.have.length(1);
  });

  it('makes exactly one workspace from two simultaneous signups for the same subdomain', async () => {
    const a = browserFor();
    const b = browserFor();
    await Promise.all([a.get('/signup'), b.get('/signup')]);
    const results = await Promise.all([a.post('/signup', valid), b.post('/signup', { ...valid, adminEmail: 'twin@rossi.test' })]);
    expect(results.map((r) => r.status).sort()).to.deep.equal([303, 422]);
    expect(await sql('select * from tenants')).to.have.length(1);
    expect(await sql('select * from technicians')).to.have.length(1);
  });

  it('answers an unknown subdomain with a 404 page', async () => {
    const res = await browserFor('nosuch').get('/login');
    expect(res.status).to.equal(404);
    expect(res.text).to.contain('No such workspace');
  });
});

describe('Finding a workspace', () => {
  it('goes to the workspace sign-in from its name or address, and says when there is none', async () => {
    const root = browserFor();
    await root.get('/signup');
    await root.post('/signup', valid);
    await root.get('/find');
    const found = await root.post('/find', { workspace: 'https://Rossi.localhost:3000/' });
    expect(found.status).to.equal(303);
    expect(found.headers.location).to.equal('http://rossi.localhost:3000/login');
    const missing = await root.post('/find', { workspace: 'nowhere' });
    expect(missing.status).to.equal(422);
    expect(missing.text).to.contain('no workspace called “nowhere”');
  });
});

describe('Signup limits', () => {
  it('lets one address create ten workspaces an hour, then says to wait — keeping the input', async () => {
    const root = browserFor();
    await root.get('/signup');
    for (let i = 0; i < 10; i++) {
      const res = await root.post('/signup', { ...valid, slug: `rossi${i}`, adminEmail: `maria${i}@rossi.test` });
      expect(res.status).to.equal(303);
    }
    // Only workspaces actually created count; the eleventh is refused before anything is made.
    const blocked = await root.post('/signup', { ...valid, slug: 'rossi-eleven' });
    expect(blocked.status).to.equal(429);
    expect(blocked.text).to.contain('Too many workspaces').and.contain('value="Rossi Impianti"');
    expect(await sql("select * from tenants where slug = 'rossi-eleven'")).to.have.length(0);
  });
});
