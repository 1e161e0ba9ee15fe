import { expect } from 'chai';
import { inTenant } from '../../src/db/unit-of-work.js';
import { Sql } from '../../src/db/sql.js';
import { PICKER_SIZE } from '../../src/domain/contact/lists.js';
import { customerChoices } from '../../src/domain/customer/lists.js';
import { Customer } from '../../src/domain/customer/customer.js';
import type { Tenant } from '../../src/domain/tenant/tenant.js';
import { browserFor, h, loadFixtures, signIn, signInToPortal, speakItalian, sql, type Browser, type Fixtures } from '../support/index.js';
import { makeTicket } from '../support/records.js';

/** The options of the select with this id (or of a fragment that is only options). */
function picker(html: string, id: string): string {
  const at = html.indexOf(`id="${id}"`);
  return at < 0 ? html : html.slice(at, html.indexOf('</select>', at));
}
const choices = (html: string, id: string) => [...picker(html, id).matchAll(/<option value="(\d+)"/g)].map((m) => Number(m[1]));
const selected = (html: string, id: string) => [...picker(html, id).matchAll(/<option value="(\d*)" selected>/g)].map((m) => m[1]);

describe('Customer pickers: a search, 50 at a time, with and without JavaScript', () => {
  let fx: Fixtures;
  let alice: Browser;
  let unassigned: number;
  let rossi: number;
  let bianchi: number;
  const EXTRA = PICKER_SIZE + 10;

  beforeEach(async () => {
    fx = await loadFixtures();
    // More customers than a picker shows, all before Bianchi and Rossi by name.
    await inTenant(fx.acme.id, async (em) => {
      const tenant = em.getReference('Tenant', fx.acme.id) as Tenant;
      for (let i = 1; i <= EXTRA; i++) em.create(Customer, { tenant, name: `Aaa Client ${String(i).padStart(2, '0')}` });
      await em.flush();
    });
    [{ id: unassigned }] = await sql<{ id: number }>('select id from customers where tenant_id = $1 and is_default', [fx.acme.id]);
    rossi = fx.customers['Rossi Impianti'].id;
    bianchi = fx.customers['Bianchi Srl'].id;
    alice = await signIn('alice');
  });

  it('offers the new contact form 50 customers and "more", the default one chosen; a search narrows them', async () => {
    const page = await alice.get('/contacts/new');
    expect(choices(page.text, 'f-customer')).to.have.length(PICKER_SIZE).and.include(unassigned).and.not.include(rossi);
    expect(selected(page.text, 'f-customer')).to.deep.equal([String(unassigned)]);
    expect(picker(page.text, 'f-customer')).to.contain('<option value="" disabled>More customers match: type more of the name</option>');
    expect(page.text).to.contain('<label for="f-customer-q">Find a customer</label>').and.contain('<form id="customer-search" method="get" action="/contacts/new" role="search">');

    // Without JavaScript: the Find button reloads the form searched, the chosen customer kept first.
    const searched = await alice.get(`/contacts/new?customer=${unassigned}&customerQ=rossi`);
    expect(choices(searched.text, 'f-customer')).to.deep.equal([unassigned, rossi]);
    expect(selected(searched.text, 'f-customer')).to.deep.equal([String(unassigned)]);
    expect(searched.text).to.contain('value="rossi"').and.not.contain('More customers match');

    // With htmx: the options alone, the chosen one kept first though the search misses it; LIKE's wildcards match themselves.
    const typed = await alice.hx('get', `/customers/options?customerQ=bianchi&customer=${rossi}`);
    expect(typed.text).not.to.contain('<html').and.not.to.contain('<option value="">');
    expect(choices(typed.text, 'x')).to.deep.equal([rossi, bianchi]);
    expect(typed.text).to.contain(`<option value="${rossi}" selected>Rossi Impianti</option>`);
    expect(choices((await alice.hx('get', '/customers/options?customerQ=client%2005')).text, 'x')).to.have.length(1);
    expect(choices((await alice.hx('get', '/customers/options?customerQ=%25')).text, 'x')).to.deep.equal([]);
    expect(choices((await alice.hx('get', '/customers/options?customerQ=_')).text, 'x')).to.deep.equal([]);
  });

  it('keeps the chosen customer on a refused form, new or edit, and on the edit form\'s search', async () => {
    const [{ id: far }] = await sql<{ id: number }>("select id from customers where name = 'Aaa Client 60'");
    await alice.get('/contacts/new');
    const refused = await alice.post('/contacts', { firstName: 'Daisy', email: 'not an address', customer: String(far) });
    expect(refused.status).to.equal(422);
    expect(choices(refused.text, 'f-customer')[0]).to.equal(far);
    expect(selected(refused.text, 'f-customer')).to.deep.equal([String(far)]);

    const mario = fx.contacts.mario.id;
    const edit = await alice.get(`/contacts/${mario}/edit`);
    expect(selected(edit.text, 'f-customer')).to.deep.equal([String(rossi)]);
    expect(edit.text).to.contain(`action="/contacts/${mario}/edit" role="search"><input type="hidden" name="customer" value="${rossi}">`);
    const searched = await alice.get(`/contacts/${mario}/edit?customer=${rossi}&customerQ=bianchi`);
    expect(choices(searched.text, 'f-customer')).to.deep.equal([rossi, bianchi]);
    const refusedEdit = await alice.post(`/contacts/${mario}`, { email: '', customer: String(far) });
    expect(refusedEdit.status).to.equal(422);
    expect(selected(refusedEdit.text, 'f-customer')).to.deep.equal([String(far)]);
    // And saved, the far one is the contact's customer.
    expect((await alice.post(`/contacts/${mario}`, { firstName: 'Mario', lastName: 'Rossi', email: 'mario@rossi.test', customer: String(far) })).status).to.equal(303);
    expect((await sql<{ customer_id: number }>('select customer_id from contacts where id = $1', [mario]))[0].customer_id).to.equal(far);
  });

  it('never offers another tenant\'s customer, searched, chosen or preselected', async () => {
    const springfield = fx.customers.Springfield.id;
    const typed = await alice.hx('get', `/customers/options?customerQ=spring&customer=${springfield}`);
    expect(typed.text).not.to.contain(`value="${springfield}"`).and.not.to.contain('Springfield');
    const form = await alice.get(`/contacts/new?customer=${springfield}&customerQ=spring`);
    expect(choices(form.text, 'f-customer')).to.deep.equal([]);
    for (const path of ['/contacts', '/tickets']) {
      const list = await alice.get(`${path}?customer=${springfield}&customerQ=spring`);
      expect(choices(list.text, 'f-customer'), path).not.to.include(springfield);
    }
    const deletion = await alice.get(`/customers/${rossi}/deletion?moveTo=${springfield}`);
    expect(choices(deletion.text, 'f-moveTo')).to.have.length(PICKER_SIZE).and.not.include(springfield);
    // Gina sees her own sites, and only those.
    const gina = await signIn('gina');
    const hers = await gina.hx('get', '/customers/options');
    expect(hers.text).to.contain(`value="${springfield}"`).and.not.to.contain('Rossi');
    // Technicians only: a signed-out visitor or a portal contact gets no options.
    for (const someone of [browserFor('acme'), await signInToPortal('mario')]) {
      const res = await someone.get('/customers/options?customerQ=rossi');
      expect(res.status).to.not.equal(200);
      expect(res.text ?? '').not.to.contain(`value="${rossi}"`);
    }
  });

  it('scopes its list to the tenant by hand, not only through row-level security', async () => {
    // As the database's owner, whom RLS does not hold: only the query's own tenant_id keeps globex out.
    const client = await h().owner.connect();
    try {
      const springfield = fx.customers.Springfield.id;
      const acme = new Sql(fx.acme.id, client);
      expect((await customerChoices(acme, 'spring', undefined)).customers).to.deep.equal([]);
      expect((await customerChoices(acme, 'bianchi', springfield)).customers.map((c) => c.id)).to.deep.equal([bianchi]);
    } finally {
      client.release();
    }
  });

  it('narrows the contact list\'s customer filter, keeping the filtered customer and "All customers"', async () => {
    const list = await alice.get(`/contacts?customer=${rossi}`);
    expect(choices(list.text, 'f-customer')).to.have.length(PICKER_SIZE + 1).and.include(rossi);
    expect(picker(list.text, 'f-customer')).to.contain('<option value="">All customers</option>').and.contain('More customers match');
    expect(selected(list.text, 'f-customer')).to.deep.equal([String(rossi)]);
    const searched = await alice.get(`/contacts?customer=${rossi}&customerQ=bianchi`);
    expect(choices(searched.text, 'f-customer')).to.deep.equal([rossi, bianchi]);
    expect(searched.text).to.contain('mario@rossi.test').and.not.to.contain('peach@bianchi.test');
    const typed = await alice.hx('get', '/customers/options?customerQ=bianchi&customer=&blank=all');
    expect(typed.text).to.contain('<option value="">All customers</option>');
    expect(choices(typed.text, 'x')).to.deep.equal([bianchi]);
  });

  it('narrows the ticket list\'s customer filter the same way, keeping the other filters', async () => {
    await makeTicket(fx.acme, rossi, fx.contacts.mario.id, 1001, 'Printer on fire');
    await makeTicket(fx.acme, bianchi, fx.contacts.peach.id, 1002, 'New laptop');
    const list = await alice.get('/tickets');
    expect(choices(list.text, 'f-customer')).to.have.length(PICKER_SIZE);
    expect(picker(list.text, 'f-customer')).to.contain('<option value="">Any</option>').and.contain('More customers match');
    expect(list.text).to.contain('<label for="f-customer-q">Find a customer</label>').and.contain('hx-push-url="false"');
    const searched = await alice.get(`/tickets?customer=${bianchi}&customerQ=rossi&status=open`);
    expect(choices(searched.text, 'f-customer')).to.deep.equal([bianchi, rossi]);
    expect(selected(searched.text, 'f-customer')).to.deep.equal([String(bianchi)]);
    expect(searched.text).to.contain('New laptop').and.not.to.contain('Printer on fire');
    const typed = await alice.hx('get', '/customers/options?customerQ=rossi&blank=any');
    expect(typed.text).to.contain('<option value="">Any</option>');
    // The list's own fragment pushes a URL without the picker's search.
    const fragment = await alice.get(`/tickets?customer=${rossi}&customerQ=ross`, { 'HX-Request': 'true', 'HX-Target': 'ticket-list' });
    expect(fragment.headers['hx-push-url']).to.equal(`/tickets?customer=${rossi}`);
  });

  it('offers the deletion page\'s targets through the search, never the customer being deleted', async () => {
    const page = await alice.get(`/customers/${rossi}/deletion`);
    expect(choices(page.text, 'f-moveTo')).to.have.length(PICKER_SIZE).and.not.include(rossi);
    expect(selected(page.text, 'f-moveTo')).to.deep.equal([String(unassigned)]);
    expect(picker(page.text, 'f-moveTo')).to.contain('<option value="">Choose…</option>').and.contain('More customers match');
    const searched = await alice.get(`/customers/${rossi}/deletion?moveTo=${unassigned}&customerQ=srl`);
    expect(choices(searched.text, 'f-moveTo')).to.deep.equal([unassigned, bianchi]);
    const typed = await alice.hx('get', `/customers/options?customerQ=rossi&moveTo=${rossi}&blank=choose&except=${rossi}`);
    expect(choices(typed.text, 'x')).to.deep.equal([]);
    expect(typed.text).to.contain('<option value="">Choose…</option>');
    const keeps = await alice.hx('get', `/customers/options?customerQ=rossi&moveTo=${bianchi}&except=${rossi}`);
    expect(choices(keeps.text, 'x')).to.deep.equal([bianchi]);
    // A refused target (itself) is not offered back; one beyond the first 50 is taken.
    const [{ id: far }] = await sql<{ id: number }>("select id from customers where name = 'Aaa Client 60'");
    const refused = await alice.post(`/customers/${rossi}/deletion`, { moveTo: String(rossi) });
    expect(refused.status).to.equal(422);
    expect(choices(refused.text, 'f-moveTo')).to.have.length(PICKER_SIZE).and.not.include(rossi);
    const done = await alice.post(`/customers/${rossi}/deletion`, { moveTo: String(far) });
    expect(done.status).to.equal(303);
    expect((await sql<{ customer_id: number }>('select customer_id from contacts where id = $1', [fx.contacts.mario.id]))[0].customer_id).to.equal(far);
  });

  it('speaks Italian, and of Siti to an IT department', async () => {
    await speakItalian('acme');
    const page = await alice.get('/contacts/new');
    expect(page.text).to.contain('Cerca un cliente').and.contain('Ci sono altri clienti: scrivi più lettere del nome');
    const gina = await signIn('gina');
    await inTenant(fx.globex.id, async (em) => {
      const tenant = em.getReference('Tenant', fx.globex.id) as Tenant;
      for (let i = 1; i <= EXTRA; i++) em.create(Customer, { tenant, name: `Site ${String(i).padStart(2, '0')}` });
      await em.flush();
    });
    const sites = await gina.get('/contacts/new');
    expect(sites.text).to.contain('Find a site').and.contain('More sites match');
  });
});
