// Request and application logs never carry a password, a token or a cookie.
import { expect } from 'chai';
import { browserFor, drainJobs, h, linkIn, loadFixtures, PASSWORD, signIn } from '../support/index.js';

function cookieValues(res: { headers: Record<string, unknown> }): string[] {
  const set = (res.headers['set-cookie'] as string[] | undefined) ?? [];
  return set.map((c) => c.split(';')[0].split('=').slice(1).join('=')).filter(Boolean);
}

describe('Logs', () => {
  it('never contain passwords, tokens or cookies', async () => {
    const secrets: string[] = [];
    const keep = (...values: string[]) => { for (const v of values) { secrets.push(v); try { secrets.push(decodeURIComponent(v)); } catch { /* not encoded */ } } };

    // Sign up through the form: the password and the hand-over token travel.
    const visitor = browserFor();
    await visitor.get('/signup');
    const signupPassword = 'a signup passphrase 9';
    keep(signupPassword);
    const signedUp = await visitor.post('/signup', { companyName: 'Initech', slug: 'initech', edition: 'msp', plan: 'pro', adminName: 'Peter', adminEmail: 'peter@initech.test', password: signupPassword });
    expect(signedUp.status).to.equal(303);
    const handover = new URL(signedUp.headers.location);
    keep(handover.pathname.split('/').pop()!, ...handover.searchParams.values());
    const landed = await visitor.at(handover.host).get(handover.pathname + handover.search);
    keep(...cookieValues(landed));

    await loadFixtures();
    // A failed and a good sign-in.
    const stranger = browserFor('acme');
    await stranger.get('/login');
    await stranger.post('/login', { email: 'alice@acme.test', password: 'not the right one at all' });
    keep('not the right one at all', PASSWORD);
    const alice = await signIn('alice');
    const home = await alice.get('/');
    expect(home.status).to.equal(200);
    keep(alice.csrfToken);

    // An invitation, its set-password link, the new password, and the first sign-in with it.
    await alice.get('/admin/technicians');
    await alice.post('/admin/technicians', { name: 'Carla Tech', email: 'carla@acme.test', role: 'technician' });
    await drainJobs();
    const link = new URL(linkIn(h().mail.last('carla@acme.test').text, /\/password\//));
    const token = link.pathname.split('/').pop()!;
    keep(token);
    const carla = browserFor('acme');
    const form = await carla.get(link.pathname);
    keep(...cookieValues(form));
    const newPassword = 'carla sets a long passphrase';
    keep(newPassword);
    await carla.post(link.pathname, { password: newPassword, confirmation: newPassword });
    const login = await carla.post('/login', { email: 'carla@acme.test', password: newPassword });
    expect(login.status).to.equal(303);
    keep(...cookieValues(login), carla.csrfToken);
    // The same cookie sent back (and an Authorization header) on a request that is logged.
    const sid = cookieValues(login)[0];
    await carla.agent.get('/').set('Host', 'acme.localhost:3000').set('Authorization', 'Bearer very-secret-bearer-token').set('Cookie', `sportello.sid=${sid}`);
    keep('very-secret-bearer-token');

    const logs = h().logs.join('\n');
    // The log is really being written: requests to these routes are in it.
    expect(logs).to.include('/login').and.include('/signup').and.include('/password/[redacted]');
    const leaked = [...new Set(secrets)].filter((s) => s.length >= 8 && logs.includes(s));
    expect(leaked, 'secrets found in the log').to.deep.equal([]);
  });
});
