// Two-factor sign-in for technicians: enrol from the profile, sign in in two steps,
// recovery codes, replay and rate limits, Admin > Security's requirement and reset.
import { expect } from 'chai';
import { totpCode } from '../../src/lib/totp.js';
import { appSecretBox } from '../../src/secret-box.js';
import { browserFor, everythingStored, hostOf, loadFixtures, PASSWORD, people, signIn, sql, type Browser, type Fixtures, type PersonName } from '../support/index.js';

interface Enrolled { secret: string; codes: string[]; firstCode: string }

/** Enrols the signed-in technician, reading the key off the enrolment page as a person would type it. */
async function enrol(browser: Browser): Promise<Enrolled> {
  const page = await browser.get('/profile/two-factor');
  expect(page.status).to.equal(200);
  const secret = /id="totp-secret">([A-Z2-7 ]+)</.exec(page.text)![1].replace(/ /g, '');
  const firstCode = totpCode(secret);
  const done = await browser.post('/profile/two-factor', { code: firstCode });
  expect(done.status).to.equal(200);
  const codes = [...done.text.matchAll(/<li><code>([a-z0-9-]+)<\/code><\/li>/g)].map((m) => m[1]);
  return { secret, codes, firstCode };
}

/** The password step: the browser is now half signed in. */
async function passwordStep(who: PersonName): Promise<Browser> {
  const browser = browserFor(people[who].tenant);
  await browser.get('/login');
  const res = await browser.post('/login', { email: people[who].email, password: PASSWORD, next: '/tickets' });
  expect(res.status).to.equal(303);
  expect(res.headers.location).to.equal('/login/two-factor');
  await browser.get('/login/two-factor');
  return browser;
}

const nextStepCode = (secret: string) => totpCode(secret, Date.now() + 30_000);

function sessionCookie(res: { headers: Record<string, unknown> }): string | undefined {
  const cookies = (res.headers['set-cookie'] as string[] | undefined) ?? [];
  return cookies.find((c) => c.startsWith('sportello'))?.split(';')[0];
}

async function actions(action: string): Promise<Array<{ subject_id: number; actor_name: string | null; details: Record<string, unknown> }>> {
  return sql(`select subject_id, actor_name, details from audit_events where action = $1 order by id`, [action]);
}

describe('Two-factor sign-in', () => {
  let fx: Fixtures;
  beforeEach(async () => {
    fx = await loadFixtures();
  });

  it('enrols from the profile with a QR code and a first code; ten recovery codes are shown once; the secret is stored sealed', async () => {
    const bob = await signIn('bob');
    expect((await bob.get('/profile')).text).to.contain('Bob Tech').and.contain('bob@acme.test').and.contain('Set up two-factor sign-in');
    const page = await bob.get('/profile/two-factor');
    expect(page.text).to.match(/<img class="qr" src="data:image\/png;base64,[A-Za-z0-9+/=]+" alt="QR code/);
    expect(page.text).to.match(/<label for="f-code">/);
    const secret = /id="totp-secret">([A-Z2-7 ]+)</.exec(page.text)![1].replace(/ /g, '');
    expect((await bob.get('/profile/two-factor')).text).to.contain(/id="totp-secret">([A-Z2-7 ]+)</.exec(page.text)![1]); // the same key until confirmed

    const wrong = await bob.post('/profile/two-factor', { code: '000000' === totpCode(secret) ? '111111' : '000000' });
    expect(wrong.status).to.equal(422);
    expect(wrong.text).to.contain('That code is not right');
    const { codes } = await enrol(bob);
    expect(codes).to.have.length(10);
    expect(new Set(codes).size).to.equal(10);
    expect((await bob.get('/profile/two-factor')).headers.location).to.equal('/profile'); // never shown again
    expect((await bob.get('/profile')).text).to.contain('On since').and.contain('10 of your recovery codes are left');

    const [row] = await sql<{ secret_ciphertext: string; key_version: number; tenant_id: number; technician_id: number }>('select * from technician_second_factors');
    expect(row.key_version).to.equal(1);
    expect(appSecretBox().open({ version: row.key_version, ciphertext: row.secret_ciphertext }, `technician_second_factors:${row.tenant_id}:${row.technician_id}`)).to.equal(secret);
    const stored = await everythingStored();
    expect(stored).not.to.contain(secret);
    for (const code of codes) expect(stored).not.to.contain(code).and.not.to.contain(code.replace(/-/g, ''));
    expect(await actions('technician.second_factor_enrolled')).to.have.length(1);
  });

  it('asks for a code after the password: half signed in, nothing opens; a right code signs in on a fresh session; a code is accepted once', async () => {
    const { secret, firstCode } = await enrol(await signIn('bob'));
    const browser = browserFor('acme');
    await browser.get('/login');
    const password = await browser.post('/login', { email: 'bob@acme.test', password: PASSWORD, next: '/tickets' });
    expect(password.headers.location).to.equal('/login/two-factor');
    const halfSession = sessionCookie(password);
    expect(halfSession).to.be.a('string');
    // The half signed-in session is stored (it holds who is expected), for ten minutes only.
    const [half] = await sql<{ minutes: number; user: unknown }>(
      `select extract(epoch from expire - now() at time zone 'utc') / 60 as minutes, sess::jsonb #> '{passport,user}' as user from session where sess::jsonb ? 'pendingSignIn'`);
    expect(half.user).to.equal(null);
    expect(Number(half.minutes)).to.be.within(5, 11);
    // Half signed in is not signed in.
    expect((await browser.get('/')).headers.location).to.match(/^\/login/);
    expect((await browser.hx('get', '/tickets')).headers['hx-redirect']).to.match(/^\/login/);
    const form = await browser.get('/login/two-factor');
    expect(form.text).to.contain('Two-factor sign-in').and.match(/<label for="f-code">Code<\/label>/);

    const replay = await browser.post('/login/two-factor', { code: firstCode }); // the enrolment's own code
    expect(replay.status).to.equal(401);
    expect(replay.text).to.contain('That code is not right');
    const code = nextStepCode(secret);
    const signedIn = await browser.post('/login/two-factor', { code });
    expect(signedIn.status).to.equal(303);
    expect(signedIn.headers.location).to.equal('/tickets');
    expect(sessionCookie(signedIn)).to.be.a('string').and.not.equal(halfSession);
    expect((await browser.get('/')).text).to.contain('Bob Tech');
    const [full] = await sql<{ hours: number }>(
      `select extract(epoch from expire - now() at time zone 'utc') / 3600 as hours from session where sess::jsonb #> '{passport,user}' is not null`);
    expect(Number(full.hours)).to.be.greaterThan(11); // a signed-in session's usual lifetime, not the half sign-in's

    // The same code again, from another browser with the password: refused.
    const other = await passwordStep('bob');
    expect((await other.post('/login/two-factor', { code })).status).to.equal(401);
    const [technician] = await sql<{ last_login_at: Date | null }>(`select last_login_at from technicians where email = 'bob@acme.test'`);
    expect(technician.last_login_at).not.to.equal(null);
  });

  it('accepts one code once even when two sign-ins send it at the same moment', async () => {
    const { secret } = await enrol(await signIn('bob'));
    const [one, two] = [await passwordStep('bob'), await passwordStep('bob')];
    const code = nextStepCode(secret);
    const answers = await Promise.all([one.post('/login/two-factor', { code }), two.post('/login/two-factor', { code })]);
    expect(answers.map((r) => r.status).sort()).to.deep.equal([303, 401]);
  });

  it('keeps a half sign-in to its own workspace', async () => {
    await enrol(await signIn('bob'));
    const browser = await passwordStep('bob');
    const elsewhere = await browser.at(hostOf('globex')).get('/login/two-factor');
    expect(elsewhere.headers.location).to.equal('/login');
  });

  it('accepts each recovery code once, and says how many are left', async () => {
    const { codes } = await enrol(await signIn('bob'));
    const first = await passwordStep('bob');
    const res = await first.post('/login/two-factor', { code: codes[3].toUpperCase() });
    expect(res.status).to.equal(303);
    expect(res.headers.location).to.equal('/profile');
    expect((await first.get('/profile')).text).to.contain('You signed in with a recovery code; 9 are left').and.contain('9 of your recovery codes are left');
    const again = await passwordStep('bob');
    expect((await again.post('/login/two-factor', { code: codes[3] })).status).to.equal(401);
    const used = await actions('technician.recovery_code_used');
    expect(used).to.have.length(1);
    expect(used[0]).to.deep.include({ subject_id: fx.technicians.bob.id, actor_name: 'Bob Tech' });
    expect(used[0].details).to.deep.equal({ left: 9 });
  });

  it('limits codes like passwords, and records going over the limit in the audit log once', async () => {
    const { secret } = await enrol(await signIn('bob'));
    const browser = await passwordStep('bob');
    const wrong = totpCode(secret) === '123456' ? '654321' : '123456';
    for (let i = 0; i < 5; i++) expect((await browser.post('/login/two-factor', { code: wrong })).status).to.equal(401);
    const blocked = await browser.post('/login/two-factor', { code: nextStepCode(secret) });
    expect(blocked.status).to.equal(429);
    expect(blocked.text).to.contain('Too many codes tried');
    expect((await browser.post('/login/two-factor', { code: wrong })).status).to.equal(429);
    const events = await actions('technician.second_factor_limit_reached');
    expect(events).to.have.length(1);
    expect(events[0]).to.deep.include({ subject_id: fx.technicians.bob.id, actor_name: null });
    expect((await browser.get('/')).status).to.equal(303); // still not signed in
  });

  it('ends a half sign-in when the technician is deactivated meanwhile', async () => {
    const { secret } = await enrol(await signIn('bob'));
    const browser = await passwordStep('bob');
    await sql(`update technicians set active = false where email = 'bob@acme.test'`);
    const res = await browser.post('/login/two-factor', { code: nextStepCode(secret) });
    expect(res.status).to.equal(303);
    expect(res.headers.location).to.equal('/login');
    expect((await browser.get('/login/two-factor')).headers.location).to.equal('/login');
  });

  it('Admin > Security: once two-factor sign-in is required, a technician without it is sent to enrol before anything else', async () => {
    const bob = await signIn('bob');
    await bob.get('/tickets');
    const alice = await signIn('alice');
    await alice.get('/admin/security');
    const on = await alice.post('/admin/security', { require_second_factor: 'on' });
    expect(on.status).to.equal(303);
    expect(on.headers.location).to.equal('/profile/two-factor'); // she has none either
    expect(await actions('tenant.second_factor_required')).to.have.length(1);

    // Bob's open session: pages, htmx and forms all lead to the enrolment page.
    expect((await bob.get('/tickets')).headers.location).to.equal('/profile/two-factor');
    const hx = await bob.hx('get', '/tickets?status=open');
    expect(hx.headers['hx-redirect']).to.equal('/profile/two-factor');
    expect((await bob.get('/profile')).headers.location).to.equal('/profile/two-factor');
    const page = await bob.get('/profile/two-factor');
    expect(page.status).to.equal(200);
    expect(page.text).to.contain('Your workspace requires two-factor sign-in');
    await enrol(bob);
    expect((await bob.get('/tickets')).status).to.equal(200);

    // The admin too, at her next page (even the setting itself).
    expect((await alice.get('/admin/security')).headers.location).to.equal('/profile/two-factor');
    // A fresh sign-in without a second factor lands on the enrolment page after the password.
    const fresh = browserFor('acme');
    await fresh.get('/login');
    expect((await fresh.post('/login', { email: 'alice@acme.test', password: PASSWORD })).headers.location).to.equal('/');
    expect((await fresh.get('/')).headers.location).to.equal('/profile/two-factor');
    const gina = await signIn('gina'); // another workspace: not required there
    expect((await gina.get('/tickets')).status).to.equal(200);
  });

  it('lets an admin reset a technician\'s second factor, audited; bob then signs in with his password alone', async () => {
    const bob = await signIn('bob');
    await enrol(bob);
    const alice = await signIn('alice');
    const page = await alice.get(`/admin/technicians/${fx.technicians.bob.id}`);
    expect(page.text).to.contain('Reset two-factor sign-in');
    expect((await bob.post(`/admin/technicians/${fx.technicians.alice.id}/second-factor/deletion`)).status).to.equal(403);
    const res = await alice.post(`/admin/technicians/${fx.technicians.bob.id}/second-factor/deletion`);
    expect(res.status).to.equal(303);
    expect((await alice.get(`/admin/technicians/${fx.technicians.bob.id}`)).text).to.contain('two-factor sign-in is reset');
    expect(await sql('select id from technician_second_factors')).to.have.length(0);
    expect(await sql('select id from technician_recovery_codes')).to.have.length(0);
    const reset = await actions('technician.second_factor_reset');
    expect(reset).to.have.length(1);
    expect(reset[0]).to.deep.include({ subject_id: fx.technicians.bob.id, actor_name: 'Alice Admin' });
    const again = browserFor('acme');
    await again.get('/login');
    expect((await again.post('/login', { email: 'bob@acme.test', password: PASSWORD })).headers.location).to.equal('/');
  });
});
