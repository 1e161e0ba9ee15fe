import { expect } from 'chai';
import { browserFor, drainJobs, h, linkIn, loadFixtures, PASSWORD, people, signIn, sql, type Browser, type Fixtures, type PersonName } from '../support/index.js';

const NEW_PASSWORD = 'another long passphrase';
const FIREFOX = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0';
const SAFARI_IPHONE = 'Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1';

/** Signs in from a browser that names itself (and keeps naming itself on every request). */
async function signInWith(who: PersonName, userAgent: string, password = PASSWORD): Promise<Browser> {
  const browser = browserFor(people[who].tenant);
  browser.agent.set('User-Agent', userAgent);
  await browser.get('/login');
  const res = await browser.post('/login', { email: people[who].email, password });
  if (res.status !== 303) throw new Error(`sign-in of ${who} answered ${res.status}`);
  await browser.get('/');
  return browser;
}

async function stillSignedIn(browser: Browser): Promise<boolean> {
  return (await browser.get('/profile')).status === 200;
}

async function auditActions(prefix: string): Promise<string[]> {
  return (await sql<{ action: string }>('select action from audit_events where action like $1 order by id', [`${prefix}%`])).map((r) => r.action);
}

/** The public ids of the sign-out forms on the profile page. */
function sessionIdsOn(html: string): string[] {
  return [...html.matchAll(/action="\/profile\/sessions\/([0-9a-f]{64})\/deletion"/g)].map((m) => m[1]);
}

describe('Technicians > Profile', () => {
  let fx: Fixtures;
  beforeEach(async () => {
    fx = await loadFixtures();
  });

  it('changes the name and the time zone, both audited; dates then show in the technician\'s own zone', async () => {
    const bob = await signIn('bob');
    const empty = await bob.post('/profile/name', { name: '  ' });
    expect(empty.status).to.equal(422);
    expect(empty.text).to.contain('Name is required');
    expect((await bob.post('/profile/name', { name: 'Robert Tech' })).status).to.equal(303);
    const page = await bob.get('/profile');
    expect(page.text).to.contain('Your name is saved.').and.contain('value="Robert Tech"');
    expect(page.text).to.contain('Workspace&#39;s time zone (UTC)');

    const forged = await bob.post('/profile/language', { language: '', timeZone: 'Mars/Olympus' });
    expect(forged.status).to.equal(422);
    expect(forged.text).to.contain('Choose a time zone from the list.');
    expect((await bob.post('/profile/language', { language: '', timeZone: 'Asia/Tokyo' })).status).to.equal(303);
    const [row] = await sql<{ name: string; time_zone: string }>('select name, time_zone from technicians where id = $1', [fx.technicians.bob.id]);
    expect(row).to.deep.equal({ name: 'Robert Tech', time_zone: 'Asia/Tokyo' });
    expect((await bob.get('/profile')).text).to.contain('<option value="Asia/Tokyo" selected>');
    // Alice's page about Bob reads in her zone (the workspace's), his own in his.
    await sql("update technicians set last_login_at = '2026-06-01T12:00:00Z' where id = $1", [fx.technicians.bob.id]);
    const alice = await signIn('alice');
    expect((await alice.get(`/admin/technicians/${fx.technicians.bob.id}`)).text).to.contain('12:00 UTC');
    await sql("update technicians set role = 'admin' where id = $1", [fx.technicians.bob.id]);
    expect((await bob.get(`/admin/technicians/${fx.technicians.bob.id}`)).text).to.contain('21:00 Asia/Tokyo');
    expect(await auditActions('technician.')).to.include.members(['technician.renamed', 'technician.time_zone_changed']);
  });

  describe('email', () => {
    it('changes only once the link sent to the new address is used; the old address is told, without the link', async () => {
      const bob = await signIn('bob');
      const form = await bob.get('/profile/email');
      expect(form.status).to.equal(200);
      const wrong = await bob.post('/profile/email', { email: 'robert@acme.test', current: 'not my password' });
      expect(wrong.status).to.equal(422);
      expect(wrong.text).to.contain('Your password is not right.').and.contain('value="robert@acme.test"');
      const taken = await bob.post('/profile/email', { email: 'ALICE@acme.test', current: PASSWORD });
      expect(taken.status).to.equal(422);
      expect(taken.text).to.contain('Another technician of this workspace already uses that email.');
      const invalid = await bob.post('/profile/email', { email: 'not an address', current: PASSWORD });
      expect(invalid.status).to.equal(422);

      const asked = await bob.post('/profile/email', { email: ' Robert@ACME.test', current: PASSWORD });
      expect(asked.status).to.equal(303);
      const profile = await bob.get('/profile');
      expect(profile.text).to.contain('A confirmation link is on its way to robert@acme.test.');
      await drainJobs();
      expect((await bob.get('/profile')).text).to.match(/Waiting for confirmation: a link was sent to <strong[^>]*>robert@acme.test<\/strong>/);

      // Nothing has changed yet: the old address still signs in, the new one does not.
      const [before] = await sql<{ email: string }>('select email from technicians where id = $1', [fx.technicians.bob.id]);
      expect(before.email).to.equal('bob@acme.test');
      await signIn('bob');

      const toNew = h().mail.to('robert@acme.test');
      const toOld = h().mail.to('bob@acme.test');
      expect(toNew).to.have.length(1);
      expect(toOld).to.have.length(1);
      expect(toNew[0].subject).to.equal('Confirm your new email for Acme Services on Sportello');
      expect(toOld[0].subject).to.equal('Your Sportello email for Acme Services is being changed');
      expect(toOld[0].text).to.contain('robert@acme.test').and.not.to.match(/\/profile\/email\//);
      expect(toOld[0].raw).not.to.match(/\/profile\/email\/[A-Za-z0-9_-]{20,}/);
      const link = new URL(linkIn(toNew[0].text, /\/profile\/email\//)).pathname;

      // Opening the link (a mail scanner would) changes nothing: the page asks to confirm.
      const stranger = browserFor('acme');
      const confirmPage = await stranger.get(link);
      expect(confirmPage.status).to.equal(200);
      expect(confirmPage.text).to.contain('robert@acme.test').and.contain('Confirm my new email');
      expect((await sql<{ email: string }>('select email from technicians where id = $1', [fx.technicians.bob.id]))[0].email).to.equal('bob@acme.test');

      // Confirmed — in a browser not signed in, too: the token is the proof.
      const done = await stranger.post(link, {});
      expect(done.status).to.equal(303);
      expect(done.headers.location).to.equal('/login');
      expect((await sql<{ email: string }>('select email from technicians where id = $1', [fx.technicians.bob.id]))[0].email).to.equal('robert@acme.test');
      const signedIn = browserFor('acme');
      await signedIn.get('/login');
      expect((await signedIn.post('/login', { email: 'robert@acme.test', password: PASSWORD })).status).to.equal(303);
      const oldAddress = browserFor('acme');
      await oldAddress.get('/login');
      expect((await oldAddress.post('/login', { email: 'bob@acme.test', password: PASSWORD })).status).to.equal(401);

      // Once only.
      expect((await browserFor('acme').get(link)).status).to.equal(410);
      expect((await stranger.post(link, {})).status).to.equal(410);
      expect(await auditActions('technician.email')).to.deep.equal(['technician.email_change_requested', 'technician.email_change_link_sent', 'technician.email_changed']);
    });

    it('voids a pending change when the password changes, and an earlier link when a newer change is asked for', async () => {
      const bob = await signIn('bob');
      await bob.get('/profile/email');
      await bob.post('/profile/email', { email: 'first@acme.test', current: PASSWORD });
      await drainJobs();
      const first = new URL(linkIn(h().mail.last('first@acme.test').text, /\/profile\/email\//)).pathname;
      await bob.post('/profile/email', { email: 'second@acme.test', current: PASSWORD });
      await drainJobs();
      const second = new URL(linkIn(h().mail.last('second@acme.test').text, /\/profile\/email\//)).pathname;
      expect((await browserFor('acme').get(first)).status).to.equal(410);
      expect((await browserFor('acme').get(second)).status).to.equal(200);
      await bob.get('/profile/password');
      expect((await bob.post('/profile/password', { current: PASSWORD, password: NEW_PASSWORD, confirmation: NEW_PASSWORD })).status).to.equal(303);
      expect((await browserFor('acme').get(second)).status).to.equal(410);
      expect((await sql<{ email: string }>('select email from technicians where id = $1', [fx.technicians.bob.id]))[0].email).to.equal('bob@acme.test');
    });

    it('refuses the link when the address was taken since it was sent', async () => {
      const bob = await signIn('bob');
      await bob.get('/profile/email');
      await bob.post('/profile/email', { email: 'carla@acme.test', current: PASSWORD });
      await drainJobs();
      const link = new URL(linkIn(h().mail.last('carla@acme.test').text, /\/profile\/email\//)).pathname;
      await sql("insert into technicians (tenant_id, email, name, role) values ($1, 'carla@acme.test', 'Carla', 'technician')", [fx.acme.id]);
      const res = await bob.post(link, {});
      expect(res.status).to.equal(410);
      expect(res.text).to.contain('has started using that email since the link was sent');
      expect((await sql<{ email: string }>('select email from technicians where id = $1', [fx.technicians.bob.id]))[0].email).to.equal('bob@acme.test');
    });
  });

  describe('password and sessions', () => {
    it('changes the password with the current one: every other session ends, this one carries on', async () => {
      const laptop = await signInWith('bob', FIREFOX);
      const phone = await signInWith('bob', SAFARI_IPHONE);
      const alice = await signIn('alice');
      await laptop.get('/profile/password');
      const wrong = await laptop.post('/profile/password', { current: 'not it', password: NEW_PASSWORD, confirmation: NEW_PASSWORD });
      expect(wrong.status).to.equal(422);
      expect(wrong.text).to.contain('Your current password is not right.');
      const weak = await laptop.post('/profile/password', { current: PASSWORD, password: 'password1234', confirmation: 'password1234' });
      expect(weak.status).to.equal(422);
      const differ = await laptop.post('/profile/password', { current: PASSWORD, password: NEW_PASSWORD, confirmation: 'something else entirely' });
      expect(differ.status).to.equal(422);
      expect(differ.text).to.contain('The two passwords do not match.');
      expect(await stillSignedIn(phone), 'a refused change ends nothing').to.equal(true);

      const changed = await laptop.post('/profile/password', { current: PASSWORD, password: NEW_PASSWORD, confirmation: NEW_PASSWORD });
      expect(changed.status).to.equal(303);
      const page = await laptop.get('/profile');
      expect(page.status).to.equal(200);
      expect(page.text).to.contain('Your password is changed. 1 other session was signed out.');
      expect(await stillSignedIn(phone)).to.equal(false);
      expect(await stillSignedIn(alice), 'another technician\'s session is not theirs to end').to.equal(true);
      await signIn('bob', NEW_PASSWORD);
      const [audited] = await sql<{ details: { otherSessionsEnded: number } }>("select details from audit_events where action = 'technician.password_changed'");
      expect(audited.details.otherSessionsEnded).to.equal(1);
    });

    it('lists the technician\'s sessions (browser, address, last active, this one marked) and signs out everywhere else', async () => {
      const laptop = await signInWith('bob', FIREFOX);
      const phone = await signInWith('bob', SAFARI_IPHONE);
      const alice = await signInWith('alice', FIREFOX);
      const page = await laptop.get('/profile');
      const sessions = page.text.slice(page.text.indexOf('id="sessions"'));
      expect(sessions).to.contain('Firefox on Windows').and.contain('Safari on iPhone').and.contain('127.0.0.1');
      expect(sessions.match(/<tr class="current">[\s\S]*?<\/tr>/)?.[0]).to.contain('Firefox on Windows').and.contain('this browser');
      expect(sessions).to.match(/<time datetime="[^"]+" title="[^"]+">[^<]*(now|second|minute)/);
      expect(sessionIdsOn(page.text), 'a sign-out button for the other session only').to.have.length(1);
      // Alice's session is not in Bob's list.
      expect(sessions.match(/<tr[ >]/g)).to.have.length(3); // the header row and Bob's two

      const res = await laptop.post('/profile/sessions/others/deletion');
      expect(res.status).to.equal(303);
      const after = await laptop.get('/profile');
      expect(after.text).to.contain('1 other session was signed out.');
      expect(after.text).not.to.contain('Safari on iPhone');
      expect(await stillSignedIn(phone)).to.equal(false);
      expect(await stillSignedIn(laptop)).to.equal(true);
      expect(await stillSignedIn(alice)).to.equal(true);
      expect(await auditActions('technician.signed_out')).to.deep.equal(['technician.signed_out_elsewhere']);
    });

    it('signs out one session of theirs; another technician\'s session, or their own current one, is a 404', async () => {
      const laptop = await signInWith('bob', FIREFOX);
      const phone = await signInWith('bob', SAFARI_IPHONE);
      const alice = await signInWith('alice', FIREFOX);
      const aliceSessions = sessionIdsOn((await alice.get('/profile')).text);
      const [bobsOther] = sessionIdsOn((await laptop.get('/profile')).text);
      // Alice sees Bob's phone? No: her list has only her own sessions; Bob's id is not hers to end.
      expect(aliceSessions).to.not.include(bobsOther);
      const forged = await alice.post(`/profile/sessions/${bobsOther}/deletion`);
      expect(forged.status).to.equal(404);
      expect(await stillSignedIn(phone)).to.equal(true);
      const [ownCurrent] = await sql<{ id: string }>(
        `select encode(sha256(convert_to(sid, 'UTF8')), 'hex') as id from session where sess->'passport'->'user'->>'id' = $1`, [String(fx.technicians.alice.id)]);
      expect((await alice.post(`/profile/sessions/${ownCurrent.id}/deletion`)).status).to.equal(404);
      expect(await stillSignedIn(alice)).to.equal(true);
      expect((await alice.post('/profile/sessions/not-a-session/deletion')).status).to.equal(404);

      const ended = await laptop.post(`/profile/sessions/${bobsOther}/deletion`);
      expect(ended.status).to.equal(303);
      expect((await laptop.get('/profile')).text).to.contain('That session is signed out.');
      expect(await stillSignedIn(phone)).to.equal(false);
      expect(await stillSignedIn(laptop)).to.equal(true);
    });

    it('cannot end a session of a technician of another workspace', async () => {
      const gina = await signInWith('gina', SAFARI_IPHONE);
      const [ginas] = await sql<{ id: string }>(
        `select encode(sha256(convert_to(sid, 'UTF8')), 'hex') as id from session where sess->'passport'->'user'->>'tenantId' = $1`, [String(fx.globex.id)]);
      const bob = await signIn('bob');
      expect((await bob.post(`/profile/sessions/${ginas.id}/deletion`)).status).to.equal(404);
      expect(await stillSignedIn(gina)).to.equal(true);
    });

    it('finds a technician\'s sessions through the index on the session store, not by reading every session', async () => {
      await signInWith('bob', FIREFOX);
      const client = await h().owner.connect();
      try {
        // With a handful of rows the planner would rather scan: forbid that, to see the index serves the query.
        await client.query('set enable_seqscan = off');
        const plan = await client.query(`explain select sid from session where sess->'passport'->'user'->>'tenantId' = '1'
          and sess->'passport'->'user'->>'kind' = 'technician' and sess->'passport'->'user'->>'id' = '2'`);
        expect(plan.rows.map((r: Record<string, string>) => r['QUERY PLAN']).join('\n')).to.contain('session_signed_in_user');
      } finally {
        await client.query('reset enable_seqscan');
        client.release();
      }
    });
  });
});
