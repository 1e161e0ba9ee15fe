// The heart of the product: contacts getting into the portal by welcome email,
// by a template with {[Portal Password]}, and by quick reply — with no password
// or live token ever stored or logged.
import { expect } from 'chai';
import { inTenant } from '../../src/db/unit-of-work.js';
import { createContact } from '../../src/domain/contact/contacts.js';
import type { Tenant } from '../../src/domain/tenant/tenant.js';
import { MASK, PORTAL_PASSWORD } from '../../src/outbound/credentials.js';
import {
  browserFor, drainJobs, everythingLogged, everythingStored, h, linkIn, loadFixtures, signIn, sql,
  type Browser, type Fixtures,
} from '../support/index.js';

const CHOSEN = 'daisy picks a passphrase';

async function templateId(name: string, slug = 'acme'): Promise<number> {
  const [row] = await sql<{ id: number }>('select t.id from email_templates t join tenants n on n.id = t.tenant_id where n.slug = $1 and t.name = $2', [slug, name]);
  return row.id;
}

async function turnWelcomeOn(admin: Browser, template: string): Promise<void> {
  await admin.get('/admin/email-settings');
  const res = await admin.post('/admin/email-settings', {
    sendWelcomeEmail: 'on', welcomeTemplate: String(await templateId(template)), resetTemplate: String(await templateId('Password reset')),
  });
  expect(res.status).to.equal(303);
}

async function createDaisy(technician: Browser, extra: Record<string, string> = {}): Promise<number> {
  await technician.get('/contacts/new');
  const res = await technician.post('/contacts', { firstName: 'Daisy <b>', lastName: 'Bianchi', email: 'daisy@bianchi.test', ...extra });
  expect(res.status).to.equal(303);
  return Number(res.headers.location.split('/').pop());
}

describe('Portal credentials: the welcome email', () => {
  let fx: Fixtures;
  beforeEach(async () => {
    fx = await loadFixtures();
  });

  it('welcomes a contact created by hand; the link sets a password that signs in, then no longer works', async () => {
    const alice = await signIn('alice');
    await turnWelcomeOn(alice, 'New contact welcome');
    const bob = await signIn('bob');
    const id = await createDaisy(bob); // portal access left off: sending credentials turns it on
    expect(h().mail.messages).to.have.length(0);
    await drainJobs();
    const mail = h().mail.last('daisy@bianchi.test');
    expect(mail.subject).to.equal('Welcome to the Customer Portal of Acme Services');
    expect(mail.headers.get('auto-submitted')).to.equal('auto-generated');
    expect(mail.text).to.contain('Hello Daisy <b>,').and.contain('Your username: daisy@bianchi.test').and.contain('http://acme.localhost:3000/portal');
    expect(mail.html).to.contain('Hello Daisy &lt;b&gt;,');
    const link = new URL(linkIn(mail.text, /\/portal\/reset\//));
    expect(mail.html).to.contain(`<a href="${link.href}">`);
    const [token] = await sql<{ purpose: string; hours: number }>(
      'select purpose, round(extract(epoch from expires_at - created_at) / 3600)::int as hours from password_tokens where contact_id = $1', [id]);
    expect(token).to.deep.equal({ purpose: 'invite', hours: 72 });
    expect((await sql<{ portal_access: boolean }>('select portal_access from contacts where id = $1', [id]))[0].portal_access).to.equal(true);

    const daisy = browserFor('acme');
    expect((await daisy.get(link.pathname)).status).to.equal(200);
    const set = await daisy.post(link.pathname, { password: CHOSEN, confirmation: CHOSEN });
    expect(set.status).to.equal(303);
    await daisy.get('/portal/login');
    const login = await daisy.post('/portal/login', { email: 'daisy@bianchi.test', password: CHOSEN });
    expect(login.status).to.equal(303);
    expect((await daisy.get('/portal/account')).text).to.contain('daisy@bianchi.test');

    expect((await browserFor('acme').get(link.pathname)).status).to.equal(410);
    const stored = await everythingStored();
    expect(stored).not.to.contain(link.pathname.split('/').pop());
    expect(everythingLogged()).not.to.contain(link.pathname.split('/').pop());

    // The contact page tells the story.
    const page = await bob.get(`/contacts/${id}`);
    expect(page.text).to.contain('Welcome email queued').and.contain('Password link emailed').and.contain('Password link used')
      .and.contain('Portal access turned on').and.contain('Reset portal password');
  });

  it('welcomes a new user of an IT department in its own words', async () => {
    const gina = await signIn('gina');
    await gina.get('/admin/email-settings');
    expect((await gina.post('/admin/email-settings', { sendWelcomeEmail: 'on', welcomeTemplate: String(await templateId('New user welcome', 'globex')) })).status).to.equal(303);
    await gina.get('/contacts/new');
    expect((await gina.post('/contacts', { firstName: 'Bart', lastName: 'Simpson', email: 'bart@springfield.test' })).status).to.equal(303);
    await drainJobs();
    const mail = h().mail.last('bart@springfield.test');
    expect(mail.subject).to.equal('Welcome to the Service Portal of Globex IT');
    expect(mail.text).to.contain('Hello Bart,').and.contain('http://globex.localhost:3000/portal/reset/');
  });

  it('refuses an expired welcome link', async () => {
    const alice = await signIn('alice');
    await turnWelcomeOn(alice, 'New contact welcome');
    await createDaisy(alice, { portalAccess: 'on' });
    await drainJobs();
    const link = new URL(linkIn(h().mail.last('daisy@bianchi.test').text, /\/portal\/reset\//));
    await sql("update password_tokens set expires_at = now() - interval '1 minute' where contact_id is not null");
    const daisy = browserFor('acme');
    expect((await daisy.get(link.pathname)).status).to.equal(410);
    await daisy.get('/portal/login');
    expect((await daisy.post(link.pathname, { password: CHOSEN, confirmation: CHOSEN })).status).to.equal(410);
    expect((await sql<{ password_hash: string | null }>("select password_hash from contacts where email = 'daisy@bianchi.test'"))[0].password_hash).to.equal(null);
  });

  it('sends nothing when sending is off, to an imported contact, or to a contact that already existed', async () => {
    const alice = await signIn('alice');
    await createDaisy(alice); // sending is off by default
    await turnWelcomeOn(alice, 'New contact welcome');
    await alice.get('/contacts/new');
    expect((await alice.post('/contacts', { email: 'daisy@bianchi.test', firstName: 'Again' })).status).to.equal(422);
    const [mario] = await sql<{ id: number }>("select id from contacts where email = 'mario@rossi.test'");
    await alice.get(`/contacts/${mario.id}/edit`);
    await alice.post(`/contacts/${mario.id}`, { firstName: 'Mario', lastName: 'Rossi', email: 'mario@rossi.test', customer: String(fx.customers['Rossi Impianti'].id), portalAccess: 'on', isMain: 'on' });
    await inTenant(fx.acme.id, async (em) => {
      const tenant = em.getReference('Tenant', fx.acme.id) as Tenant;
      await createContact(em, tenant, { email: 'csv@bianchi.test' }, { source: 'csv' });
      await createContact(em, tenant, { email: 'entra@bianchi.test' }, { source: 'azure_ad' });
    });
    await drainJobs();
    expect(h().mail.messages).to.have.length(0);
    // One created from email is welcomed.
    await inTenant(fx.acme.id, async (em) => {
      const tenant = em.getReference('Tenant', fx.acme.id) as Tenant;
      await createContact(em, tenant, { email: 'mailed@bianchi.test' }, { source: 'email' });
    });
    await drainJobs();
    expect(h().mail.messages.map((m) => m.to[0])).to.deep.equal(['mailed@bianchi.test']);
  });
});

describe('Portal credentials: {[Portal Password]}', () => {
  beforeEach(async () => {
    await loadFixtures();
  });

  it('emails a password that signs in and must be changed — and no stored copy or log holds it or a live token', async () => {
    const alice = await signIn('alice');
    await alice.get('/admin/email-templates/new');
    const created = await alice.post('/admin/email-templates', {
      name: 'Old style credentials', subject: 'Your portal account, {[Contact First Name]}',
      body: 'URL : {[Portal Address]}\nUsername : {[Portal Username]}\nPassword : {[Portal Password]}\nOr choose your own: {[Portal Password Link]}',
    });
    expect(created.status).to.equal(303);
    await turnWelcomeOn(alice, 'Old style credentials');
    const id = await createDaisy(alice, { portalAccess: 'on' });
    await drainJobs();

    const mail = h().mail.last('daisy@bianchi.test');
    expect(mail.subject).to.equal('Your portal account, Daisy <b>');
    const password = mail.text.match(/Password : (\S+)/)![1];
    expect(password).to.have.length(16);
    const token = new URL(linkIn(mail.text, /\/portal\/reset\//)).pathname.split('/').pop()!;
    expect(mail.html).to.contain(password);

    const [logged] = await sql<{ id: number; text_body: string }>("select id, text_body from outbound_emails where to_address = 'daisy@bianchi.test'");
    expect(logged.text_body).to.contain(`Password : ${PORTAL_PASSWORD}`);
    const shown = await alice.get(`/admin/mail-log/${logged.id}`);
    expect(shown.text).to.contain(`Password : ${MASK}`).and.not.contain(password);

    const daisy = browserFor('acme');
    await daisy.get('/portal/login');
    const login = await daisy.post('/portal/login', { email: 'daisy@bianchi.test', password });
    expect(login.status).to.equal(303);
    expect((await daisy.get('/portal/account')).headers.location).to.equal('/portal/account/password');
    await daisy.get('/portal/account/password');
    expect((await daisy.post('/portal/account/password', { current: password, password: CHOSEN, confirmation: CHOSEN })).status).to.equal(303);
    expect((await daisy.get('/portal/account')).status).to.equal(200);

    const stored = await everythingStored();
    expect(stored).to.contain('daisy@bianchi.test'); // the dump does see the data
    expect(stored).not.to.contain(password);
    expect(stored).not.to.contain(token);
    expect(everythingLogged()).not.to.contain(password);
    expect(everythingLogged()).not.to.contain(token);
    const events = (await sql<{ action: string }>("select action from audit_events where subject_type = 'contact' and subject_id = $1 order by id", [id])).map((r) => r.action);
    expect(events).to.include.members(['contact.credentials_queued', 'contact.temporary_password_minted', 'contact.password_link_minted', 'contact.password_link_sent', 'contact.password_changed']);
  });
});
