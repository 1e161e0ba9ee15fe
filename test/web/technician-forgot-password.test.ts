import { expect } from 'chai';
import { browserFor, drainJobs, h, linkIn, loadFixtures, PASSWORD, signIn, sql } from '../support/index.js';

const NEW_PASSWORD = 'a fresh technician passphrase';

async function askForLink(email: string) {
  const browser = browserFor('acme');
  await browser.get('/forgot-password');
  const res = await browser.post('/forgot-password', { email });
  return { browser, res };
}

async function mailedLink(address: string): Promise<string> {
  await drainJobs();
  return new URL(linkIn(h().mail.last(address).text, /\/password\//)).pathname;
}

async function signInFails(email: string, password: string): Promise<boolean> {
  const browser = browserFor('acme');
  await browser.get('/login');
  return (await browser.post('/login', { email, password })).status !== 303;
}

describe('Technicians > Forgot password', () => {
  beforeEach(async () => {
    await loadFixtures();
  });

  it('offers "Forgot password?" on the technicians\' sign-in page', async () => {
    const page = await browserFor('acme').get('/login');
    expect(page.text).to.contain('href="/forgot-password"').and.contain('Forgot password?');
    const form = await browserFor('acme').get('/forgot-password');
    expect(form.status).to.equal(200);
    expect(form.text).to.contain('Forgot your password?').and.contain('action="/forgot-password"');
  });

  it('answers a technician\'s and an unknown address identically, and emails only the technician, through the SMTP server', async () => {
    const browser = browserFor('acme');
    await browser.get('/forgot-password');
    const known = await browser.post('/forgot-password', { email: 'bob@acme.test' });
    const unknown = await browser.post('/forgot-password', { email: 'nobody@acme.test' });
    // A contact of the workspace is not a technician: nothing is sent to them either.
    const contact = await browser.post('/forgot-password', { email: 'mario@rossi.test' });
    expect(known.status).to.equal(200);
    for (const other of [unknown, contact]) {
      expect(other.status).to.equal(known.status);
      expect(other.text.replace(/nobody@acme\.test|mario@rossi\.test/, 'X')).to.equal(known.text.replace('bob@acme.test', 'X'));
      expect(Object.keys(other.headers).sort()).to.deep.equal(Object.keys(known.headers).sort());
    }
    await drainJobs();
    expect(h().mail.messages.map((m) => m.to[0])).to.deep.equal(['bob@acme.test']);
    const mail = h().mail.last('bob@acme.test');
    expect(mail.subject).to.equal('Reset your Sportello password for Acme Services');
    expect(mail.headers.get('auto-submitted')).to.equal('auto-generated');
    expect(new URL(linkIn(mail.text, /\/password\//)).host).to.equal('acme.localhost:3000');
    // The stored copy holds no live link (it was minted when the message was handed to SMTP), and the mail log names the email.
    const [logged] = await sql<{ id: number; text_body: string }>("select id, text_body from outbound_emails where kind = 'technician_password_reset'");
    expect(logged.text_body).not.to.match(/\/password\/[A-Za-z0-9_-]{20,}/);
    const alice = await signIn('alice');
    const shown = await alice.get(`/admin/mail-log/${logged.id}`);
    expect(shown.text).to.contain('Technician password reset').and.contain('••••••••');
  });

  it('sends a one-hour link that sets a new password once, and ends every session of theirs', async () => {
    const open = await signIn('bob');
    const { browser } = await askForLink('BOB@acme.test ');
    const link = await mailedLink('bob@acme.test');
    const [token] = await sql<{ purpose: string; minutes: number; hash_length: number }>(
      "select purpose, round(extract(epoch from expires_at - created_at) / 60)::int as minutes, length(token_hash) as hash_length from password_tokens where technician_id is not null and purpose = 'reset'");
    expect(token).to.deep.equal({ purpose: 'reset', minutes: 60, hash_length: 64 });
    // Only the SHA-256 is stored: the token in the link is not in the table.
    const plain = link.split('/').pop()!;
    expect(await sql('select 1 from password_tokens where token_hash = $1', [plain])).to.have.length(0);

    // The old password works until the link is used.
    expect(await signInFails('bob@acme.test', PASSWORD)).to.equal(false);

    expect((await browser.get(link)).status).to.equal(200);
    const weak = await browser.post(link, { password: 'short', confirmation: 'short' });
    expect(weak.status).to.equal(422);
    expect(weak.text).to.contain('at least 12 characters');
    const set = await browser.post(link, { password: NEW_PASSWORD, confirmation: NEW_PASSWORD });
    expect(set.status).to.equal(303);
    expect(set.headers.location).to.equal('/login');

    expect((await open.get('/')).headers.location, 'the session open before the reset has ended').to.match(/^\/login/);
    expect(await signInFails('bob@acme.test', PASSWORD), 'the old password is refused').to.equal(true);
    await signIn('bob', NEW_PASSWORD);

    // Used once: the link is void.
    expect((await browserFor('acme').get(link)).status).to.equal(410);
    const again = browserFor('acme');
    await again.get('/login');
    expect((await again.post(link, { password: 'yet another passphrase', confirmation: 'yet another passphrase' })).status).to.equal(410);
    await signIn('bob', NEW_PASSWORD);

    const actions = (await sql<{ action: string }>("select action from audit_events where subject_type = 'technician' and action like 'technician.password%' order by id")).map((r) => r.action);
    expect(actions).to.deep.equal(['technician.password_reset_link_requested', 'technician.password_set']);
  });

  it('refuses an expired link', async () => {
    const { browser } = await askForLink('bob@acme.test');
    const link = await mailedLink('bob@acme.test');
    await sql("update password_tokens set expires_at = now() - interval '1 second' where technician_id is not null and purpose = 'reset'");
    const page = await browser.get(link);
    expect(page.status).to.equal(410);
    expect(page.text).to.contain('This link no longer works').and.contain('href="/forgot-password"');
    expect((await browser.post(link, { password: NEW_PASSWORD, confirmation: NEW_PASSWORD })).status).to.equal(410);
    expect(await signInFails('bob@acme.test', PASSWORD)).to.equal(false);
  });

  it('voids the link once the password is changed on the profile', async () => {
    await askForLink('bob@acme.test');
    const link = await mailedLink('bob@acme.test');
    const bob = await signIn('bob');
    await bob.get('/profile/password');
    expect((await bob.post('/profile/password', { current: PASSWORD, password: NEW_PASSWORD, confirmation: NEW_PASSWORD })).status).to.equal(303);
    expect((await browserFor('acme').get(link)).status).to.equal(410);
  });

  it('rate-limits requests per address, with the same answer for an unknown address, apart from the portal\'s', async () => {
    const browser = browserFor('acme');
    await browser.get('/forgot-password');
    for (let i = 0; i < 3; i++) expect((await browser.post('/forgot-password', { email: 'bob@acme.test' })).status).to.equal(200);
    for (let i = 0; i < 3; i++) expect((await browser.post('/forgot-password', { email: 'ghost@acme.test' })).status).to.equal(200);
    const known = await browser.post('/forgot-password', { email: 'bob@acme.test' });
    const unknown = await browser.post('/forgot-password', { email: 'ghost@acme.test' });
    expect(known.status).to.equal(429);
    expect(unknown.status).to.equal(429);
    expect(known.text).to.contain('Too many requests. Try again in 60 minutes.');
    expect(unknown.text.replace('ghost@acme.test', 'X')).to.equal(known.text.replace('bob@acme.test', 'X'));
    await drainJobs();
    expect(h().mail.to('bob@acme.test')).to.have.length(3);
    // The portal's limits are its own: a contact's requests are not counted here.
    const portal = browserFor('acme');
    await portal.get('/portal/forgot-password');
    expect((await portal.post('/portal/forgot-password', { email: 'bob@acme.test' })).status).to.equal(200);
  });

  it('asks for the address, keeping the page', async () => {
    const browser = browserFor('acme');
    await browser.get('/forgot-password');
    const res = await browser.post('/forgot-password', { email: '  ' });
    expect(res.status).to.equal(422);
    expect(res.text).to.contain('Enter your email address.');
  });

  it('sends nothing to a deactivated technician', async () => {
    await sql("update technicians set active = false where email = 'bob@acme.test'");
    const { res } = await askForLink('bob@acme.test');
    expect(res.status).to.equal(200);
    await drainJobs();
    expect(h().mail.messages).to.have.length(0);
  });

  it('writes the email in the technician\'s own language', async () => {
    await sql("update technicians set language = 'it' where email = 'bob@acme.test'");
    await askForLink('bob@acme.test');
    await drainJobs();
    const mail = h().mail.last('bob@acme.test');
    expect(mail.subject).to.equal('Reimposta la tua password di Sportello per Acme Services');
    expect(mail.text).to.contain('Scegli qui una nuova password per bob@acme.test');
    // And the link's page speaks it too.
    const page = await browserFor('acme').get(new URL(linkIn(mail.text, /\/password\//)).pathname);
    expect(page.text).to.contain('<html lang="it"');
  });
});
