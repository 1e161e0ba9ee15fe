import { expect } from 'chai';
import { browserFor, drainJobs, h, linkIn, loadFixtures, PASSWORD, signInToPortal, sql } from '../support/index.js';

const NEW_PASSWORD = 'a fresh portal passphrase';

describe('Portal > Forgot password', () => {
  beforeEach(async () => {
    await loadFixtures();
  });

  it('offers "Forgot password?" on the sign-in page', async () => {
    const page = await browserFor('acme').get('/portal/login');
    expect(page.text).to.contain('href="/portal/forgot-password"').and.contain('Forgot password?');
  });

  it('answers an existing and an unknown address identically, and emails only the existing one', async () => {
    const browser = browserFor('acme');
    await browser.get('/portal/forgot-password');
    const known = await browser.post('/portal/forgot-password', { email: 'mario@rossi.test' });
    const unknown = await browser.post('/portal/forgot-password', { email: 'nobody@rossi.test' });
    expect(known.status).to.equal(200);
    expect(unknown.status).to.equal(known.status);
    expect(unknown.text.replace('nobody@rossi.test', 'X')).to.equal(known.text.replace('mario@rossi.test', 'X'));
    expect(Object.keys(unknown.headers).sort()).to.deep.equal(Object.keys(known.headers).sort());
    await drainJobs();
    expect(h().mail.messages.map((m) => m.to[0])).to.deep.equal(['mario@rossi.test']);
  });

  it('sends a one-hour link that sets a new password, ends other sessions, and then no longer works', async () => {
    const phone = await signInToPortal('mario');
    const browser = browserFor('acme');
    await browser.get('/portal/forgot-password');
    await browser.post('/portal/forgot-password', { email: 'MARIO@rossi.test ' });
    await drainJobs();
    const mail = h().mail.last('mario@rossi.test');
    expect(mail.subject).to.contain('Reset your Customer Portal password');
    expect(mail.headers.get('auto-submitted')).to.equal('auto-generated');
    const link = new URL(linkIn(mail.text, /\/portal\/reset\//));
    expect(link.host).to.equal('acme.localhost:3000');
    expect(mail.html).to.contain(`href="${link.href}"`);
    const [token] = await sql<{ purpose: string; minutes: number }>(
      "select purpose, round(extract(epoch from expires_at - created_at) / 60)::int as minutes from password_tokens where contact_id is not null");
    expect(token).to.deep.equal({ purpose: 'reset', minutes: 60 });

    // The old password keeps working until the link is used.
    await signInToPortal('mario');

    const form = await browser.get(link.pathname);
    expect(form.status).to.equal(200);
    const weak = await browser.post(link.pathname, { password: 'short', confirmation: 'short' });
    expect(weak.status).to.equal(422);
    expect(weak.text).to.contain('at least 12 characters');
    const common = await browser.post(link.pathname, { password: 'password1234', confirmation: 'password1234' });
    expect(common.status).to.equal(422);
    const set = await browser.post(link.pathname, { password: NEW_PASSWORD, confirmation: NEW_PASSWORD });
    expect(set.status).to.equal(303);
    expect(set.headers.location).to.equal('/portal/login');

    expect((await phone.get('/portal/account')).headers.location).to.match(/^\/portal\/login/);
    let failed = false;
    try { await signInToPortal('mario'); } catch { failed = true; }
    expect(failed, 'the old password is refused').to.equal(true);
    const fresh = await signInToPortal('mario', NEW_PASSWORD);
    expect((await fresh.get('/portal/account')).status).to.equal(200);

    expect((await browserFor('acme').get(link.pathname)).status).to.equal(410);
    const reuse = browserFor('acme');
    await reuse.get('/portal/login');
    expect((await reuse.post(link.pathname, { password: 'yet another passphrase', confirmation: 'yet another passphrase' })).status).to.equal(410);

    const actions = (await sql<{ action: string }>("select action from audit_events where subject_type = 'contact' order by id")).map((r) => r.action);
    expect(actions).to.include.members(['contact.password_reset_link_requested', 'contact.password_link_minted', 'contact.password_link_sent', 'contact.password_link_used', 'contact.password_changed']);
  });

  it('sets a password from one link once when two submissions race', async () => {
    const browser = browserFor('acme');
    await browser.get('/portal/forgot-password');
    await browser.post('/portal/forgot-password', { email: 'mario@rossi.test' });
    await drainJobs();
    const link = new URL(linkIn(h().mail.last('mario@rossi.test').text, /\/portal\/reset\//));
    await browser.get(link.pathname);
    const answers = await Promise.all(['first racing passphrase', 'second racing passphrase', 'third racing passphrase'].map((password) =>
      browser.agent.post(link.pathname).set('Host', browser.host).type('form').send({ _csrf: browser.csrfToken, password, confirmation: password })));
    expect(answers.map((r) => r.status).filter((s) => s === 303)).to.have.length(1);
    expect(await sql("select * from audit_events where action = 'contact.password_link_used'")).to.have.length(1);
  });

  it('refuses an expired link', async () => {
    const browser = browserFor('acme');
    await browser.get('/portal/forgot-password');
    await browser.post('/portal/forgot-password', { email: 'luigi@rossi.test' });
    await drainJobs();
    const link = new URL(linkIn(h().mail.last('luigi@rossi.test').text, /\/portal\/reset\//));
    await sql("update password_tokens set expires_at = now() - interval '1 second' where contact_id is not null");
    expect((await browser.get(link.pathname)).status).to.equal(410);
    const res = await browser.post(link.pathname, { password: NEW_PASSWORD, confirmation: NEW_PASSWORD });
    expect(res.status).to.equal(410);
    await signInToPortal('luigi', PASSWORD);
  });

  it('voids a link once the password changes another way', async () => {
    const browser = browserFor('acme');
    await browser.get('/portal/forgot-password');
    await browser.post('/portal/forgot-password', { email: 'mario@rossi.test' });
    await drainJobs();
    const link = new URL(linkIn(h().mail.last('mario@rossi.test').text, /\/portal\/reset\//));
    const mario = await signInToPortal('mario');
    await mario.get('/portal/account/password');
    expect((await mario.post('/portal/account/password', { current: PASSWORD, password: NEW_PASSWORD, confirmation: NEW_PASSWORD })).status).to.equal(303);
    expect((await browserFor('acme').get(link.pathname)).status).to.equal(410);
  });

  it('rate-limits requests per address, with the same answer for an unknown address', async () => {
    const browser = browserFor('acme');
    await browser.get('/portal/forgot-password');
    for (let i = 0; i < 3; i++) expect((await browser.post('/portal/forgot-password', { email: 'mario@rossi.test' })).status).to.equal(200);
    for (let i = 0; i < 3; i++) expect((await browser.post('/portal/forgot-password', { email: 'ghost@rossi.test' })).status).to.equal(200);
    const known = await browser.post('/portal/forgot-password', { email: 'mario@rossi.test' });
    const unknown = await browser.post('/portal/forgot-password', { email: 'ghost@rossi.test' });
    expect(known.status).to.equal(429);
    expect(unknown.status).to.equal(429);
    await drainJobs();
    expect(h().mail.to('mario@rossi.test')).to.have.length(3);
  });

  it('rate-limits requests per client address', async () => {
    const browser = browserFor('acme');
    await browser.get('/portal/forgot-password');
    for (let i = 0; i < 20; i++) expect((await browser.post('/portal/forgot-password', { email: `someone${i}@example.test` })).status).to.equal(200);
    expect((await browser.post('/portal/forgot-password', { email: 'mario@rossi.test' })).status).to.equal(429);
    await drainJobs();
    expect(h().mail.messages).to.have.length(0);
  });

  it('sends nothing to a contact without portal access', async () => {
    await sql("update contacts set portal_access = false where email = 'peach@bianchi.test'");
    const browser = browserFor('acme');
    await browser.get('/portal/forgot-password');
    expect((await browser.post('/portal/forgot-password', { email: 'peach@bianchi.test' })).status).to.equal(200);
    await drainJobs();
    expect(h().mail.messages).to.have.length(0);
  });
});
