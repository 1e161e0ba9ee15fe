import { expect } from 'chai';
import { browserFor, drainJobs, h, linkIn, loadFixtures, signIn, sql } from '../support/index.js';

describe('Admin > Technicians', () => {
  beforeEach(async () => {
    await loadFixtures();
  });

  it('invites a technician, who sets a password from the emailed link and signs in', async () => {
    const alice = await signIn('alice');
    await alice.get('/admin/technicians');
    const res = await alice.post('/admin/technicians', { name: 'Carla Tech', email: 'Carla@Acme.test', role: 'technician' });
    expect(res.status).to.equal(303);
    const list = await alice.get('/admin/technicians');
    expect(list.text).to.contain('carla@acme.test').and.contain('Invited').and.contain('Carla Tech is invited');
    // The message is shown once.
    expect((await alice.get('/admin/technicians')).text).not.to.contain('Carla Tech is invited');

    expect(h().mail.messages).to.have.length(0); // nothing leaves before the job runs
    await drainJobs();
    const mail = h().mail.last('carla@acme.test');
    expect(mail.subject).to.contain('Acme Services');
    expect(mail.headers.get('auto-submitted')).to.equal('auto-generated');
    const link = new URL(linkIn(mail.text, /\/password\//));
    expect(link.host).to.equal('acme.localhost:3000');

    // The mail log's copy holds no live token.
    const token = link.pathname.split('/').pop()!;
    const [logged] = await sql<{ text_body: string; status: string; attempts: number }>('select text_body, status, attempts from outbound_emails');
    expect(logged.status).to.equal('sent');
    expect(logged.attempts).to.equal(1);
    expect(logged.text_body).not.to.contain(token);
    const shown = await alice.get('/admin/mail-log');
    expect(shown.text).to.contain('carla@acme.test').and.contain('sent');

    const carla = browserFor('acme');
    const form = await carla.get(link.pathname);
    expect(form.status).to.equal(200);
    const set = await carla.post(link.pathname, { password: 'a brand new passphrase', confirmation: 'a brand new passphrase' });
    expect(set.status).to.equal(303);
    expect(set.headers.location).to.equal('/login');
    const login = await carla.post('/login', { email: 'carla@acme.test', password: 'a brand new passphrase' });
    expect(login.status).to.equal(303);
    expect((await carla.get('/')).text).to.contain('Carla Tech');

    // The link is single-use.
    const again = await browserFor('acme').get(link.pathname);
    expect(again.status).to.equal(410);
    // Posting to a used link answers the same as opening it (as the portal's does).
    const reused = await browserFor('acme').post(link.pathname, { password: 'another passphrase here', confirmation: 'another passphrase here' });
    expect(reused.status).to.equal(410);
    expect(reused.text).to.contain('Link expired');
  });

  it('refuses a duplicate email and keeps the input', async () => {
    const alice = await signIn('alice');
    await alice.get('/admin/technicians');
    const res = await alice.post('/admin/technicians', { name: 'Bobby', email: 'BOB@acme.test', role: 'admin' });
    expect(res.status).to.equal(422);
    expect(res.text).to.contain('Bob Tech already uses this email address').and.contain('value="Bobby"');
    expect(await sql("select * from outbound_emails")).to.have.length(0);
  });

  it('retries a message the SMTP server refuses, and records the attempt', async () => {
    const alice = await signIn('alice');
    await alice.get('/admin/technicians');
    await alice.post('/admin/technicians', { name: 'Dan', email: 'dan@acme.test', role: 'technician' });
    h().mail.failNext(1);
    await drainJobs();
    let [row] = await sql<{ status: string; attempts: number; last_error: string }>('select status, attempts, last_error from outbound_emails');
    expect(row.status).to.equal('queued');
    expect(row.attempts).to.equal(1);
    expect(row.last_error).to.contain('451');
    const log = await alice.get('/admin/mail-log');
    expect(log.text).to.contain('451');

    await drainJobs({ includeFuture: true });
    [row] = await sql<{ status: string; attempts: number; last_error: string }>('select status, attempts, last_error from outbound_emails');
    expect(row.status).to.equal('sent');
    expect(row.attempts).to.equal(2);
    expect(h().mail.to('dan@acme.test')).to.have.length(1);
    // The first, refused attempt's link was never stored; the delivered one works.
    const link = new URL(linkIn(h().mail.last('dan@acme.test').text, /\/password\//));
    expect((await browserFor('acme').get(link.pathname)).status).to.equal(200);
  });
});
