import { expect } from 'chai';
import { inTenant } from '../../src/db/unit-of-work.js';
import { Contact } from '../../src/domain/contact/contact.js';
import type { Customer } from '../../src/domain/customer/customer.js';
import type { Tenant } from '../../src/domain/tenant/tenant.js';
import { loadFixtures, signIn, speakItalian, sql, type Fixtures } from '../support/index.js';
import { forgetTenant } from '../../src/web/middleware/tenant-cache.js';
import { makeTicket } from '../support/records.js';

interface ContactRow {
  id: number; customer_id: number; email: string; first_name: string; last_name: string; phone: string;
  is_main: boolean; portal_access: boolean; no_auto_tickets: boolean; source: string;
}

async function speakEnglishAgain(): Promise<void> {
  await sql("update tenants set language = 'en' where slug = 'acme'");
  forgetTenant('acme');
}

async function contactByEmail(email: string): Promise<ContactRow | undefined> {
  const [row] = await sql<ContactRow>('select * from contacts where email = $1', [email]);
  return row;
}

describe('Contacts', () => {
  let fx: Fixtures;
  beforeEach(async () => {
    fx = await loadFixtures();
  });

  it('creates a contact with every field, email in lower case, and audits it', async () => {
    const bob = await signIn('bob');
    const form = await bob.get('/contacts/new');
    expect(form.text).to.contain('First name').and.contain('Main contact').and.contain('Portal access').and.contain('No automatic tickets from email');
    const bianchi = fx.customers['Bianchi Srl'].id;
    const res = await bob.post('/contacts', {
      firstName: 'Daisy', lastName: 'Bianchi', email: ' Daisy.Bianchi@Bianchi.TEST ', phone: '+39 02 1234 5678',
      customer: String(bianchi), isMain: 'on', portalAccess: 'on',
    });
    expect(res.status).to.equal(303);
    const row = (await contactByEmail('daisy.bianchi@bianchi.test'))!;
    expect(row).to.include({
      first_name: 'Daisy', last_name: 'Bianchi', phone: '+39 02 1234 5678', customer_id: bianchi,
      is_main: true, portal_access: true, no_auto_tickets: false, source: 'manual',
    });
    expect(res.headers.location).to.equal(`/contacts/${row.id}`);
    const page = await bob.get(res.headers.location);
    expect(page.text).to.contain('Daisy Bianchi is saved.').and.contain('daisy.bianchi@bianchi.test').and.contain('Bianchi Srl');
    expect(page.text).to.contain('Security &amp; credentials').and.contain('contact.created');
    const [event] = await sql<{ actor_name: string; subject_type: string; details: Record<string, unknown> }>("select * from audit_events where action = 'contact.created'");
    expect(event).to.include({ actor_name: 'Bob Tech', subject_type: 'contact' });
    expect(event.details).to.include({ email: 'daisy.bianchi@bianchi.test', source: 'manual' });
  });

  it('places a contact without a customer in the default one, and preselects the customer it came from', async () => {
    const alice = await signIn('alice');
    const rossi = fx.customers['Rossi Impianti'].id;
    const form = await alice.get(`/contacts/new?customer=${rossi}`);
    expect(form.text).to.match(new RegExp(`<option value="${rossi}" selected>Rossi Impianti`));
    await alice.post('/contacts', { email: 'nobody@somewhere.test' });
    const row = (await contactByEmail('nobody@somewhere.test'))!;
    const [unassigned] = await sql<{ id: number }>("select id from customers where tenant_id = $1 and is_default", [fx.acme.id]);
    expect(row.customer_id).to.equal(unassigned.id);
    expect(row.portal_access).to.equal(false);
    expect((await alice.get(`/contacts/${row.id}`)).text).to.contain('<h1>nobody@somewhere.test</h1>');
  });

  it('refuses an email already used, in any case, naming the contact who has it', async () => {
    const alice = await signIn('alice');
    await alice.get('/contacts/new');
    const res = await alice.post('/contacts', { firstName: 'Impostor', email: 'MARIO@Rossi.Test', customer: String(fx.customers['Bianchi Srl'].id) });
    expect(res.status).to.equal(422);
    expect(res.text).to.contain('Mario Rossi already uses this email address.').and.contain('value="Impostor"').and.contain('value="MARIO@Rossi.Test"');
    expect(await sql("select * from contacts where lower(email) = 'mario@rossi.test'")).to.have.length(1);

    // The same address in another tenant is another person.
    const gina = await signIn('gina');
    await gina.get('/contacts/new');
    expect((await gina.post('/contacts', { email: 'mario@rossi.test' })).status).to.equal(303);

    // Changing an address to one in use is refused too; keeping one's own is fine.
    await alice.get(`/contacts/${fx.contacts.luigi.id}/edit`);
    const taken = await alice.post(`/contacts/${fx.contacts.luigi.id}`, { firstName: 'Luigi', email: 'Mario@rossi.test', customer: String(fx.customers['Rossi Impianti'].id) });
    expect(taken.status).to.equal(422);
    expect(taken.text).to.contain('Mario Rossi already uses this email address.');
    const same = await alice.post(`/contacts/${fx.contacts.luigi.id}`, { firstName: 'Luigi', lastName: 'Rossi', email: 'LUIGI@rossi.test', customer: String(fx.customers['Rossi Impianti'].id) });
    expect(same.status).to.equal(303);
  });

  it('makes one contact from two simultaneous creations with the same email, refusing the other with 422', async () => {
    const alice = await signIn('alice');
    await alice.get('/contacts/new');
    const results = await Promise.all(['Twin@X.test', 'twin@x.TEST'].map((email) => alice.post('/contacts', { email })));
    expect(results.map((r) => r.status).sort()).to.deep.equal([303, 422]);
    expect(await sql("select * from contacts where email = 'twin@x.test'")).to.have.length(1);
    expect(await sql("select * from audit_events where action = 'contact.created'")).to.have.length(1);
  });

  it('refuses bad input with 422, messages by the fields, input kept and nothing saved', async () => {
    const alice = await signIn('alice');
    await alice.get('/contacts/new');
    const res = await alice.post('/contacts', {
      firstName: 'F'.repeat(101), lastName: 'Kept', email: 'not-an-email', phone: 'call me maybe', customer: '999999', noAutoTickets: 'on',
    });
    expect(res.status).to.equal(422);
    expect(res.text).to.contain('First name must be at most 100 characters.').and.contain('Enter a valid email address')
      .and.contain('Enter a phone number').and.contain('Choose a customer.');
    expect(res.text).to.contain('value="Kept"').and.contain('value="not-an-email"').and.match(/name="noAutoTickets" value="on" checked/);
    const missing = await alice.post('/contacts', { firstName: 'No', lastName: 'Email' });
    expect(missing.status).to.equal(422);
    expect(missing.text).to.contain('Email is required.');
    expect(await sql('select * from contacts where tenant_id = $1', [fx.acme.id])).to.have.length(3);
  });

  it('edits a contact and records what changed; portal access off ends the portal session', async () => {
    const alice = await signIn('alice');
    const luigi = fx.contacts.luigi.id;
    const edit = await alice.get(`/contacts/${luigi}/edit`);
    expect(edit.text).to.contain('value="luigi@rossi.test"').and.match(/name="portalAccess" value="on" checked/);
    const res = await alice.post(`/contacts/${luigi}`, {
      firstName: 'Luigi', lastName: 'Verdi', email: 'luigi@rossi.test', phone: '', customer: String(fx.customers['Bianchi Srl'].id), noAutoTickets: 'on',
    });
    expect(res.status).to.equal(303);
    const row = (await contactByEmail('luigi@rossi.test'))!;
    expect(row).to.include({ last_name: 'Verdi', customer_id: fx.customers['Bianchi Srl'].id, portal_access: false, no_auto_tickets: true, is_main: false });
    const [event] = await sql<{ details: Record<string, unknown> }>("select details from audit_events where action = 'contact.updated'");
    expect(event.details).to.deep.equal({
      lastName: { from: 'Rossi', to: 'Verdi' }, portalAccess: { from: true, to: false }, noAutoTickets: { from: false, to: true },
      customer: { from: 'Rossi Impianti', to: 'Bianchi Srl' },
    });
    const page = await alice.get(`/contacts/${luigi}`);
    expect(page.text).to.contain('contact.updated').and.contain('lastName: Rossi → Verdi');
  });

  it("voids the contact's live set-password links when the email address changes", async () => {
    const luigi = fx.contacts.luigi.id;
    await sql(`insert into password_tokens (tenant_id, contact_id, purpose, token_hash, expires_at) values ($1, $2, 'invite', md5('a') || md5('b'), now() + interval '1 day')`, [fx.acme.id, luigi]);
    const alice = await signIn('alice');
    await alice.get(`/contacts/${luigi}/edit`);
    const res = await alice.post(`/contacts/${luigi}`, { firstName: 'Luigi', lastName: 'Rossi', email: 'luigi.new@rossi.test', portalAccess: 'on', customer: String(fx.customers['Rossi Impianti'].id) });
    expect(res.status).to.equal(303);
    const tokens = await sql<{ used_at: Date | null }>('select used_at from password_tokens where contact_id = $1', [luigi]);
    expect(tokens).to.have.length(1);
    expect(tokens[0].used_at).to.be.instanceOf(Date);
  });

  it('searches by name and email, filters by customer, and pages, all in the URL', async () => {
    await inTenant(fx.acme.id, async (em) => {
      const tenant = em.getReference('Tenant', fx.acme.id) as Tenant;
      const customer = em.getReference('Customer', fx.customers['Bianchi Srl'].id) as Customer;
      for (let i = 1; i <= 55; i++) em.create(Contact, { tenant, customer, email: `guest${String(i).padStart(2, '0')}@bianchi.test`, firstName: 'Guest', lastName: `Number ${String(i).padStart(2, '0')}` });
      await em.flush();
    });
    const alice = await signIn('alice');
    const byName = await alice.get('/contacts?q=mario+rossi');
    expect(byName.text).to.contain('mario@rossi.test').and.not.contain('luigi@rossi.test');
    const byEmail = await alice.get('/contacts?q=%40ROSSI.test');
    expect(byEmail.text).to.contain('mario@rossi.test').and.contain('luigi@rossi.test').and.not.contain('peach@bianchi.test');

    const rossi = fx.customers['Rossi Impianti'].id;
    const filtered = await alice.get(`/contacts?customer=${rossi}`);
    expect(filtered.text).to.contain('luigi@rossi.test').and.not.contain('guest01@bianchi.test');
    expect(filtered.text).to.match(new RegExp(`<option value="${rossi}" selected>`));

    const bianchi = fx.customers['Bianchi Srl'].id;
    const page1 = await alice.get(`/contacts?q=guest&customer=${bianchi}`);
    expect(page1.text).to.contain('guest50@').and.contain('Page 1 of 2').and.not.contain('guest51@');
    expect(page1.text).to.contain(`href="/contacts?q=guest&amp;customer=${bianchi}&amp;page=2"`);
    const page2 = await alice.hx('get', `/contacts?q=guest&customer=${bianchi}&page=2`);
    expect(page2.text).not.to.contain('<html');
    expect(page2.text).to.contain('guest51@').and.contain('guest55@').and.not.contain('guest50@');

    // Another tenant's customer as a filter finds nothing of theirs.
    const other = await alice.get(`/contacts?customer=${fx.customers.Springfield.id}`);
    expect(other.status).to.equal(200);
    expect(other.text).not.to.contain('homer@springfield.test');
    expect((await alice.get('/contacts?customer=abc&page=-3')).status).to.equal(200);
  });

  it('shows a contact page with its customer, portal access and tickets', async () => {
    const alice = await signIn('alice');
    await makeTicket(fx.acme, fx.customers['Rossi Impianti'].id, fx.contacts.mario.id, 1001, 'VPN down');
    await makeTicket(fx.acme, fx.customers['Rossi Impianti'].id, fx.contacts.luigi.id, 1002, 'Not mine');
    const page = await alice.get(`/contacts/${fx.contacts.mario.id}`);
    expect(page.text).to.contain('<h1>Mario Rossi</h1>').and.contain('Rossi Impianti').and.contain('href="/tickets/1001"').and.contain('VPN down');
    expect(page.text).not.to.contain('Not mine');
    expect(page.text).to.match(/<dt>Main contact<\/dt><dd>Yes<\/dd>/).and.match(/<dt>Portal access<\/dt><dd>On<\/dd>/);
  });

  it('deletes a contact without tickets, and refuses one with tickets giving the reason', async () => {
    const alice = await signIn('alice');
    await makeTicket(fx.acme, fx.customers['Rossi Impianti'].id, fx.contacts.mario.id, 1001);
    const refusedPage = await alice.get(`/contacts/${fx.contacts.mario.id}/deletion`);
    expect(refusedPage.text).to.contain('Mario Rossi is the requester of 1 ticket, so this contact cannot be deleted.');
    const refused = await alice.post(`/contacts/${fx.contacts.mario.id}/deletion`);
    expect(refused.status).to.equal(422);
    expect(refused.text).to.contain('Mario Rossi is the requester of 1 ticket');
    expect(await contactByEmail('mario@rossi.test')).to.exist;

    await alice.get(`/contacts/${fx.contacts.luigi.id}/deletion`);
    const res = await alice.post(`/contacts/${fx.contacts.luigi.id}/deletion`);
    expect(res.status).to.equal(303);
    expect(res.headers.location).to.equal('/contacts');
    expect(await contactByEmail('luigi@rossi.test')).to.be.undefined;
    expect((await alice.get('/contacts')).text).to.contain('Luigi Rossi is deleted.');
    const [event] = await sql<{ subject_id: number; details: Record<string, unknown> }>("select * from audit_events where action = 'contact.deleted'");
    expect(event.subject_id).to.equal(fx.contacts.luigi.id);
    expect(event.details).to.deep.equal({ email: 'luigi@rossi.test', name: 'Luigi Rossi', customer: 'Rossi Impianti' });
  });

  it("answers another tenant's contact id exactly like a missing one, and changes nothing", async () => {
    const alice = await signIn('alice');
    const homer = fx.contacts.homer.id;
    const before = await sql('select * from contacts order by id');
    for (const path of ['', '/edit', '/deletion']) {
      const other = await alice.get(`/contacts/${homer}${path}`);
      const missing = await alice.get(`/contacts/999999${path}`);
      expect(other.status, path).to.equal(404);
      expect(other.text).to.equal(missing.text);
    }
    await alice.get('/contacts');
    expect((await alice.post(`/contacts/${homer}`, { email: 'homer@evil.test', firstName: 'Hacked' })).status).to.equal(404);
    expect((await alice.post(`/contacts/${homer}/deletion`)).status).to.equal(404);
    // Nor can a contact be put in another tenant's customer.
    await alice.get('/contacts/new');
    const placed = await alice.post('/contacts', { email: 'x@x.test', customer: String(fx.customers.Springfield.id) });
    expect(placed.status).to.equal(422);
    expect(placed.text).to.contain('Choose a customer.');
    expect(await sql('select * from contacts order by id')).to.deep.equal(before);
  });

  it('shows HTML and script in names as text', async () => {
    const alice = await signIn('alice');
    await alice.get('/contacts/new');
    const res = await alice.post('/contacts', { firstName: '<img src=x onerror=alert(1)>', lastName: '<script>x()</script>', email: 'evil@evil.test' });
    expect(res.status).to.equal(303);
    for (const page of [await alice.get(res.headers.location), await alice.get('/contacts'), await alice.get(`${res.headers.location}/edit`)]) {
      expect(page.text).to.contain('&lt;img src=x onerror=alert(1)&gt;').and.contain('&lt;script&gt;x()&lt;/script&gt;');
      expect(page.text).not.to.contain('<img src=x').and.not.contain('<script>x()');
    }
  });

  it('speaks of Users and Sites to an IT department', async () => {
    const gina = await signIn('gina');
    const list = await gina.get('/contacts');
    expect(list.text).to.contain('<h1>Users</h1>').and.contain('New user').and.contain('All sites').and.contain('Homer Simpson');
    expect(list.text).not.to.match(/Customer|Contact/);
    const page = await gina.get(`/contacts/${fx.contacts.homer.id}`);
    expect(page.text).to.contain('<dt>Site</dt>').and.contain('<dt>Main user</dt>');
    expect(page.text).not.to.match(/Customer|Contact/);
    const form = await gina.get('/contacts/new');
    expect(form.text).to.contain('Main user').and.contain('Service Portal');
    expect(form.text).not.to.match(/Customer|Contact/);
    const refused = await gina.post('/contacts', { email: 'x@x.test', customer: '999999' });
    expect(refused.text).to.contain('Choose a site.');
  });
  it("keeps a contact's own language, the workspace's when none is chosen, and ignores a forged code", async () => {
    const alice = await signIn('alice');
    const form = await alice.get('/contacts/new');
    expect(form.text).to.contain('<label for="f-language">Language</label>').and.contain('<option value="">Workspace language (English)</option>')
      .and.match(/<option value="it" lang="it" >Italiano<\/option>/).and.match(/<option value="en" lang="en" >English<\/option>/);
    const rossi = String(fx.customers['Rossi Impianti'].id);
    const created = await alice.post('/contacts', { firstName: 'Giulia', lastName: 'Rossi', email: 'giulia@rossi.test', customer: rossi, language: 'it' });
    expect(created.status).to.equal(303);
    const row = (await sql<{ id: number; language: string | null }>("select id, language from contacts where email = 'giulia@rossi.test'"))[0];
    expect(row.language).to.equal('it');
    expect((await alice.get(created.headers.location)).text).to.match(/<dt>Language<\/dt><dd><span lang="it">Italiano<\/span><\/dd>/);
    expect((await alice.get(`/contacts/${row.id}/edit`)).text).to.match(/<option value="it" lang="it" selected>Italiano/);

    // A code Sportello does not speak is the workspace's language, never an error.
    const forged = await alice.post(`/contacts/${row.id}`, { firstName: 'Giulia', lastName: 'Rossi', email: 'giulia@rossi.test', customer: rossi, language: 'xx' });
    expect(forged.status).to.equal(303);
    expect((await sql<{ language: string | null }>('select language from contacts where id = $1', [row.id]))[0].language).to.equal(null);
    expect((await alice.get(`/contacts/${row.id}`)).text).to.match(/<dt>Language<\/dt><dd>Workspace language \(English\)<\/dd>/);
    const [event] = await sql<{ details: Record<string, unknown> }>("select details from audit_events where action = 'contact.updated'");
    expect(event.details).to.deep.equal({ language: { from: 'it', to: null } });

    // Forged on a refused form too: the form comes back, on the workspace's language.
    const refused = await alice.post('/contacts', { email: 'not-an-email', language: '<script>' });
    expect(refused.status).to.equal(422);
    expect(refused.text).not.to.contain('<script>').and.not.to.match(/<option value="(it|en)" lang="\w+" selected/);
  });

  it('speaks Italian to an Italian MSP: the contact list, page, form and refusals', async () => {
    await speakItalian('acme');
    const alice = await signIn('alice');
    const list = await alice.get('/contacts');
    expect(list.text).to.contain('<h1>Contatti</h1>').and.contain('Nuovo contatto').and.contain('Cerca per nome o email').and.contain('Tutti i clienti')
      .and.contain('<th>Nome</th><th>Email</th><th>Cliente</th><th>Contatto principale</th><th>Portale</th>').and.contain('3 contatti');
    expect((await alice.get('/contacts?q=nessuno')).text).to.contain('Nessun contatto corrisponde alla ricerca.');

    const form = await alice.get('/contacts/new');
    expect(form.text).to.contain('>Nome</label>').and.contain('>Cognome</label>').and.contain('>Telefono</label>').and.contain('>Lingua</label>')
      .and.contain('<option value="">Lingua dello spazio di lavoro (Italiano)</option>').and.contain('>Italiano</option>').and.contain('>English</option>')
      .and.contain('La lingua del Portale Clienti e delle email per questo contatto.')
      .and.contain('Contatto principale: vede nel portale tutti i ticket del cliente').and.contain('Accesso al portale: può accedere al Portale Clienti')
      .and.contain('Nessun ticket automatico dalle email').and.contain('<legend>Opzioni</legend>');
    expect(form.text).not.to.contain('First name').and.not.to.contain('Workspace language');

    const refused = await alice.post('/contacts', { firstName: 'F'.repeat(101), email: 'MARIO@rossi.test', phone: 'chiamami', customer: '999999' });
    expect(refused.status).to.equal(422);
    expect(refused.text).to.contain('Nome: al massimo 100 caratteri.').and.contain('Inserisci un numero di telefono: solo cifre, spazi e + ( ) - .')
      .and.contain('Scegli un cliente.').and.contain('Mario Rossi usa già questo indirizzo email.');
    expect((await alice.post('/contacts', { email: 'nope' })).text).to.contain('Inserisci un indirizzo email valido');

    const page = await alice.get(`/contacts/${fx.contacts.mario.id}`);
    expect(page.text).to.match(/<dt>Contatto principale<\/dt><dd>Sì<\/dd>/).and.match(/<dt>Accesso al portale<\/dt><dd>Attivo<\/dd>/)
      .and.match(/<dt>Telefono<\/dt>/).and.match(/<dt>Lingua<\/dt><dd>Lingua dello spazio di lavoro \(Italiano\)<\/dd>/)
      .and.match(/<dt>Origine<\/dt><dd>manuale<\/dd>/).and.match(/<dt>Ultimo accesso<\/dt><dd>Mai<\/dd>/);
    expect(page.text).to.contain('Sicurezza e credenziali').and.contain('<legend>Reimposta la password del portale</legend>')
      .and.contain('>Reimposta la password del portale</button>').and.contain('Invia a mario@rossi.test un link per reimpostarla');

    await makeTicket(fx.acme, fx.customers['Rossi Impianti'].id, fx.contacts.mario.id, 1001);
    expect((await alice.get(`/contacts/${fx.contacts.mario.id}/deletion`)).text)
      .to.contain('Mario Rossi risulta richiedente di un ticket: non puoi eliminare questo contatto. Puoi invece disattivarne l&#39;accesso al portale.');
    await makeTicket(fx.acme, fx.customers['Rossi Impianti'].id, fx.contacts.mario.id, 1002);
    const refusedDeletion = await alice.post(`/contacts/${fx.contacts.mario.id}/deletion`);
    expect(refusedDeletion.status).to.equal(422);
    expect(refusedDeletion.text).to.contain('Mario Rossi risulta richiedente di 2 ticket: non puoi eliminare questo contatto.');
    const deletion = await alice.get(`/contacts/${fx.contacts.luigi.id}/deletion`);
    expect(deletion.text).to.contain('Eliminerai Luigi Rossi (luigi@rossi.test), con il suo accesso al portale e la sua password.');
    await alice.post(`/contacts/${fx.contacts.luigi.id}/deletion`);
    expect((await alice.get('/contacts')).text).to.contain('Hai eliminato Luigi Rossi.');

    // The English refusal, for comparison, keeps its plural.
    await speakEnglishAgain();
    expect((await alice.post(`/contacts/${fx.contacts.mario.id}/deletion`)).text).to.contain('Mario Rossi is the requester of 2 tickets, so this contact cannot be deleted.');
  });

  it('speaks of Utenti and Siti to an Italian IT department', async () => {
    await speakItalian('globex');
    const gina = await signIn('gina');
    const list = await gina.get('/contacts');
    expect(list.text).to.contain('<h1>Utenti</h1>').and.contain('Nuovo utente').and.contain('Tutti i siti').and.contain('<th>Sito</th><th>Utente principale</th>');
    expect(list.text).not.to.match(/Client|Contatt|Customer|Contact/);
    const page = await gina.get(`/contacts/${fx.contacts.homer.id}`);
    expect(page.text).to.contain('<dt>Sito</dt>').and.contain('<dt>Utente principale</dt>').and.contain('Reimposta la password del portale');
    expect(page.text).not.to.match(/Client|Contatt|Customer|Contact/);
    const form = await gina.get('/contacts/new');
    expect(form.text).to.contain('Utente principale: vede nel portale tutti i ticket del sito').and.contain('può accedere al Portale Servizi')
      .and.contain('La lingua del Portale Servizi e delle email per questo utente.');
    expect(form.text).not.to.match(/Client|Contatt|Customer|Contact/);
    expect((await gina.post('/contacts', { email: 'x@x.test', customer: '999999' })).text).to.contain('Scegli un sito.');
    await makeTicket(fx.globex, fx.customers.Springfield.id, fx.contacts.homer.id, 1001);
    expect((await gina.get(`/contacts/${fx.contacts.homer.id}/deletion`)).text).to.contain('non puoi eliminare questo utente');
  });
});
