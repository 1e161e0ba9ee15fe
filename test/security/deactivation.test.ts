// A technician who is deactivated (or removed) loses their session at the next request.
import { expect } from 'chai';
import { loadFixtures, signIn, sql } from '../support/index.js';

describe('Security: a deactivated technician is signed out', () => {
  beforeEach(async () => {
    await loadFixtures();
  });

  it('ends the session at the next request instead of bouncing between / and /login', async () => {
    const bob = await signIn('bob');
    await sql(`update technicians set active = false where email = 'bob@acme.test'`);
    const refused = await bob.get('/');
    expect(refused.status).to.equal(303);
    expect(refused.headers.location).to.match(/^\/login/);
    const login = await bob.get('/login');
    expect(login.status).to.equal(200);
    expect(login.text).to.contain('Sign in');
    const [row] = await sql<{ n: number }>(`select count(*)::int as n from session where sess::jsonb #> '{passport,user,id}' is not null`);
    expect(row.n).to.equal(0);
  });
});
