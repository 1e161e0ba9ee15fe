import { expect } from 'chai';
import { inTenant } from '../../src/db/unit-of-work.js';
import { Customer } from '../../src/domain/customer/customer.js';
import type { Tenant } from '../../src/domain/tenant/tenant.js';
import { loadFixtures, signIn, speakItalian, sql, type Fixtures } from '../support/index.js';
import { makeTicket } from '../support/records.js';

async function customerId(tenantSlug: string, name: string): Promise<number> {
  const [row] = await sql<{ id: number }>('select c.id from customers c join tenants t on t.id = c.tenant_id where t.slug = $1 and c.name = $2', [tenantSlug, name]);
  return row.id;
}

describe('Customers', () => {
  let fx: Fixtures;
  beforeEach(async () => {
    fx = await loadFixtures();
  });

  it('lists customers, the default first, with their contacts and tickets counted', async () => {
    const alice = await signIn('alice');
    await makeTicket(fx.acme, fx.customers['Rossi Impianti'].id, fx.contacts.mario.id, 1001);
    const res = await alice.get('/customers');
    expect(res.status).to.equal(200);
    expect(res.text).to.contain('<h1>Customers</h1>');
    const rows = [...res.text.matchAll(/<tr id="customer-\d+">\s*<td><a [^>]+>([^<]+)<\/a>/g)].map((m) => m[1]);
    expect(rows).to.deep.equal(['Unassigned', 'Bianchi Srl', 'Rossi Impianti']);
    const rossi = res.text.slice(res.text.indexOf(`customer-${fx.customers['Rossi Impianti'].id}`));
    expect(rossi).to.match(/Rossi Impianti<\/a><\/td>\s*<td>2<\/td>\s*<td>1<\/td>/);
  });

  it('searches by name and pages, all in the URL; an htmx search answers just the results', async () => {
    await inTenant(fx.acme.id, async (em) => {
      const tenant = em.getReference('Tenant', fx.acme.id) as Tenant;
      for (let i = 1; i <= 55; i++) em.create(Customer, { tenant, name: `Verdi ${String(i).padStart(2, '0')}` });
      await em.flush();
    });
    const alice = await signIn('alice');
    const search = await alice.get('/customers?q=rossi');
    expect(search.text).to.contain('Rossi Impianti').and.contain('value="rossi"').and.not.contain('Bianchi Srl');

    const page1 = await alice.get('/customers?q=verdi');
    expect(page1.text).to.contain('Verdi 01').and.contain('Verdi 50').and.not.contain('Verdi 51');
    expect(page1.text).to.contain('Page 1 of 2').and.contain('href="/customers?q=verdi&amp;page=2"');
    const page2 = await alice.get('/customers?q=verdi&page=2');
    expect(page2.text).to.contain('Verdi 51').and.contain('Verdi 55').and.not.contain('Verdi 50<');

    const fragment = await alice.hx('get', '/customers?q=bianchi');
    expect(fragment.status).to.equal(200);
    expect(fragment.text).not.to.contain('<html').and.not.contain('<h1>');
    expect(fragment.text).to.contain('Bianchi Srl').and.not.contain('Rossi Impianti');
    expect(fragment.headers.vary).to.match(/HX-Request/i);

    // Going Back to a pushed URL restores the whole page, not the fragment.
    const restore = await alice.get('/customers?q=bianchi', { 'HX-Request': 'true', 'HX-History-Restore-Request': 'true' });
    expect(restore.text).to.contain('<html');

    // A search for a wildcard matches it literally.
    expect((await alice.get('/customers?q=%25')).text).to.contain('No customer matches');
  });

  it('creates a customer, shows its page with contacts, tickets and a Domains section, and audits it', async () => {
    const bob = await signIn('bob');
    const form = await bob.get('/customers/new');
    expect(form.status).to.equal(200);
    const res = await bob.post('/customers', { name: '  Verdi Costruzioni ', notes: 'Pays on time.' });
    expect(res.status).to.equal(303);
    const id = await customerId('acme', 'Verdi Costruzioni');
    expect(res.headers.location).to.equal(`/customers/${id}`);
    const page = await bob.get(res.headers.location);
    expect(page.text).to.contain('Verdi Costruzioni is saved.').and.contain('Pays on time.');
    expect(page.text).to.contain('<h2>Domains</h2>').and.contain('No domains yet.');
    const [event] = await sql<{ actor_name: string; subject_id: number; details: { name: string } }>("select * from audit_events where action = 'customer.created'");
    expect(event).to.include({ actor_name: 'Bob Tech', subject_id: id });
    expect(event.details.name).to.equal('Verdi Costruzioni');

    const rossi = fx.customers['Rossi Impianti'].id;
    await makeTicket(fx.acme, rossi, fx.contacts.luigi.id, 1001, 'Printer on fire');
    const rossiPage = await bob.get(`/customers/${rossi}`);
    expect(rossiPage.text).to.contain('Mario Rossi').and.contain('Luigi Rossi').and.not.contain('Peach');
    expect(rossiPage.text).to.contain('href="/tickets/1001"').and.contain('Printer on fire').and.contain('open');
  });

  it('refuses a missing or over-long name with 422, the message by the field and the input kept', async () => {
    const alice = await signIn('alice');
    await alice.get('/customers/new');
    const missing = await alice.post('/customers', { name: ' ', notes: 'kept notes' });
    expect(missing.status).to.equal(422);
    expect(missing.text).to.contain('Name is required.').and.contain('kept notes');
    const long = await alice.post('/customers', { name: 'x'.repeat(201) });
    expect(long.status).to.equal(422);
    expect(long.text).to.contain('Name must be at most 200 characters.').and.contain(`value="${'x'.repeat(201)}"`);
    expect(await sql('select * from customers where tenant_id = $1', [fx.acme.id])).to.have.length(3);
  });

  it('edits a customer; the default one can be renamed but not emptied, and stays the default', async () => {
    const alice = await signIn('alice');
    const rossi = fx.customers['Rossi Impianti'].id;
    await alice.get(`/customers/${rossi}/edit`);
    const saved = await alice.post(`/customers/${rossi}`, { name: 'Rossi Impianti SpA', notes: '' });
    expect(saved.status).to.equal(303);
    expect((await alice.get(`/customers/${rossi}`)).text).to.contain('Rossi Impianti SpA');

    const unassigned = await customerId('acme', 'Unassigned');
    await alice.get(`/customers/${unassigned}/edit`);
    const emptied = await alice.post(`/customers/${unassigned}`, { name: '' });
    expect(emptied.status).to.equal(422);
    expect(emptied.text).to.contain('Name is required.');
    const renamed = await alice.post(`/customers/${unassigned}`, { name: 'Walk-ins', isDefault: 'false' });
    expect(renamed.status).to.equal(303);
    const [row] = await sql<{ name: string; is_default: boolean }>('select name, is_default from customers where id = $1', [unassigned]);
    expect(row).to.deep.equal({ name: 'Walk-ins', is_default: true });
  });

  it('never deletes the default customer', async () => {
    const alice = await signIn('alice');
    const unassigned = await customerId('acme', 'Unassigned');
    const page = await alice.get(`/customers/${unassigned}/deletion`);
    expect(page.text).to.contain('is the default customer').and.not.contain(`action="/customers/${unassigned}/deletion"`);
    const res = await alice.post(`/customers/${unassigned}/deletion`, { moveTo: String(fx.customers['Rossi Impianti'].id) });
    expect(res.status).to.equal(422);
    expect(res.text).to.contain('Unassigned is the default customer');
    expect(await sql('select * from customers where id = $1', [unassigned])).to.have.length(1);
  });

  it('deletes an empty customer at once', async () => {
    const alice = await signIn('alice');
    await alice.post('/customers', { name: 'Short-lived' });
    const id = await customerId('acme', 'Short-lived');
    const page = await alice.get(`/customers/${id}/deletion`);
    expect(page.text).to.contain('has no contacts and no tickets');
    const res = await alice.post(`/customers/${id}/deletion`, {});
    expect(res.status).to.equal(303);
    expect(res.headers.location).to.equal('/customers');
    expect(await sql('select * from customers where id = $1', [id])).to.have.length(0);
    const [event] = await sql<{ details: Record<string, unknown> }>("select details from audit_events where action = 'customer.deleted'");
    expect(event.details).to.deep.equal({ name: 'Short-lived' });
  });

  it('refuses to delete a customer with contacts or tickets until told where to move them', async () => {
    const alice = await signIn('alice');
    const rossi = fx.customers['Rossi Impianti'].id;
    await makeTicket(fx.acme, rossi, fx.contacts.mario.id, 1001);
    const page = await alice.get(`/customers/${rossi}/deletion`);
    expect(page.text).to.contain('has 2 contacts and 1 ticket').and.contain('name="moveTo"');
    const res = await alice.post(`/customers/${rossi}/deletion`, { moveTo: '' });
    expect(res.status).to.equal(422);
    expect(res.text).to.contain('Rossi Impianti still has 2 contacts and 1 ticket. Choose the customer to move them to.');
    const self = await alice.post(`/customers/${rossi}/deletion`, { moveTo: String(rossi) });
    expect(self.status).to.equal(422);
    const elsewhere = await alice.post(`/customers/${rossi}/deletion`, { moveTo: String(fx.customers.Springfield.id) });
    expect(elsewhere.status).to.equal(422);
    expect(await sql('select * from customers where id = $1', [rossi])).to.have.length(1);
    expect(await sql('select * from contacts where customer_id = $1', [rossi])).to.have.length(2);
  });

  it('deletes a customer moving its contacts and tickets to the chosen one, in one go, and says so', async () => {
    const alice = await signIn('alice');
    const rossi = fx.customers['Rossi Impianti'].id;
    const bianchi = fx.customers['Bianchi Srl'].id;
    await makeTicket(fx.acme, rossi, fx.contacts.mario.id, 1001);
    await makeTicket(fx.acme, rossi, fx.contacts.luigi.id, 1002);
    await alice.get(`/customers/${rossi}/deletion`);
    const res = await alice.post(`/customers/${rossi}/deletion`, { moveTo: String(bianchi) });
    expect(res.status).to.equal(303);
    const list = await alice.get('/customers');
    expect(list.text).to.contain('Rossi Impianti is deleted; its 2 contacts and 2 tickets moved to Bianchi Srl.');

    expect(await sql('select * from customers where id = $1', [rossi])).to.have.length(0);
    const contacts = await sql<{ email: string; customer_id: number; is_main: boolean }>('select email, customer_id, is_main from contacts where email like $1 order by email', ['%rossi.test']);
    expect(contacts).to.deep.equal([
      { email: 'luigi@rossi.test', customer_id: bianchi, is_main: false },
      // A main contact of Rossi must not become one of Bianchi, seeing its tickets.
      { email: 'mario@rossi.test', customer_id: bianchi, is_main: false },
    ]);
    const tickets = await sql<{ customer_id: number }>('select customer_id from tickets order by number');
    expect(tickets.map((t) => t.customer_id)).to.deep.equal([bianchi, bianchi]);
    const history = await sql<{ field: string; from_value: string; to_value: string; actor_name: string }>('select field, from_value, to_value, actor_name from ticket_events');
    expect(history).to.have.length(2);
    expect(history[0]).to.deep.equal({ field: 'customer', from_value: 'Rossi Impianti', to_value: 'Bianchi Srl', actor_name: 'Alice Admin' });
    const [event] = await sql<{ details: Record<string, unknown> }>("select details from audit_events where action = 'customer.deleted'");
    expect(event.details).to.deep.equal({ name: 'Rossi Impianti', movedTo: { id: bianchi, name: 'Bianchi Srl' }, contacts: 2, tickets: 2, mainContactsCleared: 1 });
  });

  it("answers another tenant's customer id exactly like a missing one, and changes nothing", async () => {
    const alice = await signIn('alice');
    const springfield = fx.customers.Springfield.id;
    const before = await sql('select * from customers order by id');
    for (const path of ['', '/edit', '/deletion']) {
      const other = await alice.get(`/customers/${springfield}${path}`);
      const missing = await alice.get(`/customers/999999${path}`);
      expect(other.status, path).to.equal(404);
      expect(other.text).to.equal(missing.text);
    }
    await alice.get('/customers');
    const update = await alice.post(`/customers/${springfield}`, { name: 'Hacked' });
    const destroy = await alice.post(`/customers/${springfield}/deletion`, { moveTo: String(fx.customers['Rossi Impianti'].id) });
    expect(update.status).to.equal(404);
    expect(destroy.status).to.equal(404);
    expect(await alice.get('/customers/abc').then((r) => r.status)).to.equal(404);
    expect(await sql('select * from customers order by id')).to.deep.equal(before);
    expect(await sql('select * from contacts where customer_id = $1', [springfield])).to.have.length(1);
  });

  it('shows HTML and script in a name as text', async () => {
    const alice = await signIn('alice');
    await alice.get('/customers/new');
    const res = await alice.post('/customers', { name: '<script>alert("x")</script><b>Bold</b>' });
    expect(res.status).to.equal(303);
    for (const page of [await alice.get(res.headers.location), await alice.get('/customers')]) {
      expect(page.text).to.contain('&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;&lt;b&gt;Bold&lt;/b&gt;');
      expect(page.text).not.to.contain('<script>alert').and.not.contain('<b>Bold');
    }
  });

  it('speaks of Sites to an IT department', async () => {
    const gina = await signIn('gina');
    const list = await gina.get('/customers');
    expect(list.text).to.contain('<h1>Sites</h1>').and.contain('>Sites</a>').and.contain('>Users</a>').and.contain('New site');
    expect(list.text).not.to.match(/Customer|Contact/);
    const page = await gina.get(`/customers/${fx.customers.Springfield.id}`);
    expect(page.text).to.contain('<h2>Users').and.contain('Main user').and.contain('Homer Simpson');
    expect(page.text).not.to.match(/Customer|Contact/);
    await gina.get(`/customers/${fx.customers.Springfield.id}/deletion`);
    const refused = await gina.post(`/customers/${fx.customers.Springfield.id}/deletion`, {});
    expect(refused.text).to.contain('Springfield still has 1 user and 0 tickets. Choose the site to move them to.');
  });
  it('speaks Italian to an Italian MSP: Clienti, the customer page and its form', async () => {
    await speakItalian('acme');
    const alice = await signIn('alice');
    const rossi = fx.customers['Rossi Impianti'].id;
    await makeTicket(fx.acme, rossi, fx.contacts.mario.id, 1001);
    const list = await alice.get('/customers');
    expect(list.text).to.contain('<h1>Clienti</h1>').and.contain('Nuovo cliente').and.contain('Cerca per nome')
      .and.contain('<th>Nome</th><th>Contatti</th><th>Ticket</th>').and.contain('<span class="badge">predefinito</span>').and.contain('3 clienti');
    expect((await alice.get('/customers?q=%25')).text).to.contain('Nessun cliente corrisponde a “%”.');
    expect((await alice.get('/customers?q=rossi')).text).to.contain('1 cliente<');

    const page = await alice.get(`/customers/${rossi}`);
    expect(page.text).to.contain('>Modifica</a>').and.contain('>Elimina</a>').and.contain('<h2>Contatti').and.contain('Nuovo contatto')
      .and.contain('<th>Contatto principale</th><th>Portale</th>').and.contain('<td>Sì</td>').and.contain('<td>Attivo</td>')
      .and.contain('<h2>Ticket').and.contain('<h2>Domini</h2>').and.contain('Gestisci Domini</a>').and.contain('vengono assegnati a questo cliente');
    expect(page.text).not.to.contain('Main contact').and.not.to.contain('New contact').and.not.to.contain('Domains');

    const form = await alice.get('/customers/new');
    expect(form.text).to.contain('<h1>Nuovo cliente</h1>').and.contain('>Nome</label>').and.contain('>Note</label>').and.contain('>Salva</button>').and.contain('>Annulla</a>');
    const refused = await alice.post('/customers', { name: ' ', notes: 'n'.repeat(5001) });
    expect(refused.status).to.equal(422);
    expect(refused.text).to.contain('Nome: campo obbligatorio.').and.contain('Note: al massimo 5000 caratteri.');
    const saved = await alice.post('/customers', { name: 'Verdi Costruzioni' });
    expect((await alice.get(saved.headers.location)).text).to.contain('Hai salvato Verdi Costruzioni.');

    const unassigned = await customerId('acme', 'Unassigned');
    expect((await alice.get(`/customers/${unassigned}`)).text).to.contain('Il cliente predefinito: qui finiscono i nuovi contatti che non appartengono a nessun altro cliente. Non si può eliminare.');
    expect((await alice.get(`/customers/${unassigned}/edit`)).text).to.contain('Questo è il cliente predefinito: qui finiscono i contatti senza un cliente.');

    // English is still English in another workspace.
    const gina = await signIn('gina');
    expect((await gina.get('/customers')).text).to.contain('<h1>Sites</h1>').and.contain('New site');
  });

  it('refuses deletions in Italian, with the right plurals, and says in Italian what moved', async () => {
    await speakItalian('acme');
    const alice = await signIn('alice');
    const rossi = fx.customers['Rossi Impianti'].id;
    const bianchi = fx.customers['Bianchi Srl'].id;
    await makeTicket(fx.acme, rossi, fx.contacts.mario.id, 1001);
    const page = await alice.get(`/customers/${rossi}/deletion`);
    expect(page.text).to.contain('<h1>Elimina Rossi Impianti</h1>').and.contain('Rossi Impianti ha 2 contatti e 1 ticket: passeranno al cliente che scegli.')
      .and.contain('Dove spostare contatti e ticket').and.contain('I contatti spostati non sono più contatti principali');
    const refused = await alice.post(`/customers/${rossi}/deletion`, { moveTo: '' });
    expect(refused.status).to.equal(422);
    expect(refused.text).to.contain('Rossi Impianti ha ancora 2 contatti e 1 ticket. Scegli il cliente in cui spostarli.');
    const bianchiRefused = await alice.post(`/customers/${bianchi}/deletion`, { moveTo: '' });
    expect(bianchiRefused.text).to.contain('Bianchi Srl ha ancora 1 contatto e 0 ticket.');

    const unassigned = await customerId('acme', 'Unassigned');
    const never = await alice.post(`/customers/${unassigned}/deletion`, { moveTo: String(rossi) });
    expect(never.status).to.equal(422);
    expect(never.text).to.contain('Unassigned è il cliente predefinito: ci finiscono i nuovi contatti senza un cliente, quindi non si può eliminare.');

    await makeTicket(fx.acme, rossi, fx.contacts.luigi.id, 1002);
    const moved = await alice.post(`/customers/${rossi}/deletion`, { moveTo: String(bianchi) });
    expect(moved.status).to.equal(303);
    expect((await alice.get('/customers')).text).to.contain('Hai eliminato Rossi Impianti: 2 contatti e 2 ticket sono passati a Bianchi Srl.');
    await alice.post('/customers', { name: 'Vuoto' });
    const empty = await customerId('acme', 'Vuoto');
    expect((await alice.get(`/customers/${empty}/deletion`)).text).to.contain('Vuoto non ha né contatti né ticket.');
  });

  it('speaks of Siti and Utenti to an Italian IT department', async () => {
    await speakItalian('globex');
    const gina = await signIn('gina');
    const springfield = fx.customers.Springfield.id;
    const list = await gina.get('/customers');
    expect(list.text).to.contain('<h1>Siti</h1>').and.contain('Nuovo sito').and.contain('<th>Utenti</th>').and.contain('2 siti');
    expect(list.text).not.to.match(/Client|Contatt|Customer|Contact/);
    const page = await gina.get(`/customers/${springfield}`);
    expect(page.text).to.contain('<h2>Utenti').and.contain('Nuovo utente').and.contain('Utente principale').and.contain('Homer Simpson')
      .and.contain('Con il tuo piano i domini restano salvati ma non assegnano i nuovi utenti').and.contain('Disponibile nel piano Enterprise');
    expect(page.text).not.to.match(/Client|Contatt|Customer|Contact/);
    const deletion = await gina.get(`/customers/${springfield}/deletion`);
    expect(deletion.text).to.contain('Springfield ha 1 utente e 0 ticket: passeranno al sito che scegli.')
      .and.contain('Gli utenti spostati non sono più utenti principali');
    const refused = await gina.post(`/customers/${springfield}/deletion`, {});
    expect(refused.text).to.contain('Springfield ha ancora 1 utente e 0 ticket. Scegli il sito in cui spostarli.');
    const unassigned = await customerId('globex', 'Unassigned');
    expect((await gina.get(`/customers/${unassigned}/edit`)).text).to.contain('Questo è il sito predefinito: qui finiscono gli utenti senza un sito.');
    expect((await gina.post(`/customers/${unassigned}/deletion`, {})).text).to.contain('Unassigned è il sito predefinito: ci finiscono i nuovi utenti senza un sito');
  });
});
