// Manage Domains on the customer's page: the section, the form (a page, or an htmx modal),
// Apply, and the refusals: Pro and non-admins get 403.
import { expect } from 'chai';
import { loadFixtures, signIn, speakItalian, sql, type Fixtures } from '../support/index.js';

async function domains(customerId: number): Promise<string[]> {
  return (await sql<{ domain: string }>('select domain from customer_domains where customer_id = $1 order by domain', [customerId])).map((r) => r.domain);
}

describe('Manage Domains', () => {
  let fx: Fixtures;
  let rossi: number;
  beforeEach(async () => {
    fx = await loadFixtures();
    rossi = fx.customers['Rossi Impianti'].id;
  });

  it('adds and removes domains with Apply as a plain form, and the page lists them in Unicode', async () => {
    const alice = await signIn('alice');
    const page = await alice.get(`/customers/${rossi}`);
    expect(page.text).to.contain('<h2>Domains</h2>').and.contain(`href="/customers/${rossi}/domains"`).and.contain('Manage Domains');
    const form = await alice.get(`/customers/${rossi}/domains`);
    expect(form.status).to.equal(200);
    expect(form.text).to.contain('<html').and.contain('name="add"').and.contain('>Apply</button>');

    const added = await alice.post(`/customers/${rossi}/domains`, { add: 'rossi.example, Müller.de\nsomeone@rossi-impianti.it' });
    expect(added.status).to.equal(303);
    expect(added.headers.location).to.equal(`/customers/${rossi}#domains`);
    expect(await domains(rossi)).to.deep.equal(['rossi-impianti.it', 'rossi.example', 'xn--mller-kva.de']);
    const shown = await alice.get(`/customers/${rossi}`);
    expect(shown.text).to.contain('<li>müller.de</li>').and.contain('<li>rossi.example</li>').and.contain('The domains of Rossi Impianti are saved.');

    const edit = await alice.get(`/customers/${rossi}/domains`);
    expect(edit.text).to.contain('name="keep" value="xn--mller-kva.de" checked> müller.de');
    // Untick rossi-impianti.it: only the ticked ones are sent.
    await alice.post(`/customers/${rossi}/domains`, { keep: 'rossi.example', add: '' });
    expect(await domains(rossi)).to.deep.equal(['rossi.example']);
  });

  it('refuses a mixed Apply with a message per value and changes nothing, as a page (422) and as the htmx modal', async () => {
    const alice = await signIn('alice');
    await alice.post(`/customers/${fx.customers['Bianchi Srl'].id}/domains`, { add: 'bianchi.example' });
    const refused = await alice.post(`/customers/${rossi}/domains`, { add: 'rossi.example gmail.com bianchi.example co.uk' });
    expect(refused.status).to.equal(422);
    expect(refused.text).to.contain('Nothing was changed').and.contain('gmail.com is a public mailbox provider')
      .and.contain(`bianchi.example already belongs to another customer: <a href="/customers/${fx.customers['Bianchi Srl'].id}">Bianchi Srl</a>`)
      .and.contain('“co.uk” is not a domain name');
    expect(refused.text).to.contain('rossi.example gmail.com bianchi.example co.uk</textarea>');
    expect(await domains(rossi)).to.deep.equal([]);

    // htmx: the form opens as a modal in the section's dialog slot; a refusal answers it again there.
    const modal = await alice.hx('get', `/customers/${rossi}/domains`);
    expect(modal.text).to.contain('role="dialog"').and.contain('hx-post').and.not.contain('<html');
    const again = await alice.hx('post', `/customers/${rossi}/domains`, { add: 'gmail.com rossi.example' });
    expect(again.status).to.equal(200);
    expect(again.headers['hx-retarget']).to.equal('#domains-dialog');
    expect(again.text).to.contain('role="dialog"').and.contain('gmail.com is a public mailbox provider');
    // The owner is linked in the modal too, in Italian as well.
    const taken = await alice.hx('post', `/customers/${rossi}/domains`, { add: 'Bianchi.Example.' });
    expect(taken.text).to.contain(`bianchi.example already belongs to another customer: <a href="/customers/${fx.customers['Bianchi Srl'].id}">Bianchi Srl</a>`);
    expect(await domains(rossi)).to.deep.equal([]);
    const applied = await alice.hx('post', `/customers/${rossi}/domains`, { add: 'rossi.example' });
    expect(applied.text).to.match(/^\s*<section id="domains">/).and.contain('<li>rossi.example</li>').and.not.contain('role="dialog"');
    expect(await domains(rossi)).to.deep.equal(['rossi.example']);
  });

  it('answers 403 to a non-admin and on Pro, where the section shows the stored domains with the plan note', async () => {
    const bob = await signIn('bob');
    expect((await bob.get(`/customers/${rossi}/domains`)).status).to.equal(403);
    expect((await bob.post(`/customers/${rossi}/domains`, { add: 'rossi.example' })).status).to.equal(403);
    expect((await bob.get(`/customers/${rossi}`)).text).not.to.contain(`href="/customers/${rossi}/domains"`);

    const [springfield] = await sql<{ id: number }>('select id from customers where tenant_id = $1 and not is_default', [fx.globex.id]);
    await sql('insert into customer_domains (tenant_id, customer_id, domain) values ($1, $2, $3)', [fx.globex.id, springfield.id, 'xn--mller-kva.de']);
    const gina = await signIn('gina');
    const forbidden = await gina.get(`/customers/${springfield.id}/domains`);
    expect(forbidden.status).to.equal(403);
    expect(forbidden.text).to.contain('is available on the Enterprise plan.').and.contain('<a href="/admin/plan">');
    expect((await gina.post(`/customers/${springfield.id}/domains`, { add: 'springfield.example' })).status).to.equal(403);
    expect(await domains(springfield.id)).to.deep.equal(['xn--mller-kva.de']);
    const page = await gina.get(`/customers/${springfield.id}`);
    expect(page.text).to.contain('<li>müller.de</li>').and.match(/Available on Enterprise · <a href="\/admin\/plan">/)
      .and.contain('domains stay stored but do not place new users').and.not.contain(`href="/customers/${springfield.id}/domains"`);
  });

  it('lists each customer\'s domains; the search finds a customer by a domain, and the list filters by one', async () => {
    const alice = await signIn('alice');
    await alice.post(`/customers/${rossi}/domains`, { add: 'rossi.example müller.de a.example b.example' });
    await alice.post(`/customers/${fx.customers['Bianchi Srl'].id}/domains`, { add: 'bianchi.example' });
    const names = (text: string) => [...text.matchAll(/<tr id="customer-\d+">\s*<td><a [^>]+>([^<]+)<\/a>/g)].map((m) => m[1]);
    const list = await alice.get('/customers');
    expect(list.text).to.contain('<td>a.example, b.example, rossi.example <span class="muted">+1 more</span></td>').and.contain('<td>bianchi.example</td>');
    // The search: part of a stored domain, or a whole one as typed (Unicode, an address).
    expect(names((await alice.get('/customers?q=bianchi.ex')).text)).to.deep.equal(['Bianchi Srl']);
    expect(names((await alice.get('/customers?q=' + encodeURIComponent('Müller.de'))).text)).to.deep.equal(['Rossi Impianti']);
    expect(names((await alice.get('/customers?q=someone%40rossi.example')).text)).to.deep.equal(['Rossi Impianti']);
    // The filter: the customer owning that domain, exactly; kept in the URL with the search.
    const filtered = await alice.get('/customers?domain=' + encodeURIComponent('Someone@Müller.DE'));
    expect(names(filtered.text)).to.deep.equal(['Rossi Impianti']);
    expect(filtered.text).to.contain('value="Someone@Müller.DE"');
    expect(names((await alice.hx('get', '/customers?domain=rossi')).text)).to.deep.equal([]);
    expect((await alice.get('/customers?domain=nobody.example')).text).to.contain('No customer owns the domain “nobody.example”.');
    expect(names((await alice.get('/customers?q=rossi&domain=bianchi.example')).text)).to.deep.equal([]);
    // Another workspace's domains find nothing here.
    const [springfield] = await sql<{ id: number }>('select id from customers where tenant_id = $1 and not is_default', [fx.globex.id]);
    await sql('insert into customer_domains (tenant_id, customer_id, domain) values ($1, $2, $3)', [fx.globex.id, springfield.id, 'springfield.example']);
    expect(names((await alice.get('/customers?q=springfield')).text)).to.deep.equal([]);
    expect(names((await alice.get('/customers?domain=springfield.example')).text)).to.deep.equal([]);
  });

  it('pre-selects, on the new-contact form, the customer owning the typed address\'s domain (Enterprise only), still changeable', async () => {
    const alice = await signIn('alice');
    await alice.post(`/customers/${rossi}/domains`, { add: 'client.example' });
    const [unassigned] = await sql<{ id: number }>('select id from customers where tenant_id = $1 and is_default', [fx.acme.id]);
    const form = await alice.get('/contacts/new');
    expect(form.text).to.match(/<input id="f-email" name="email" type="email"[^>]*hx-get="\/customers\/options"[^>]*hx-target="#f-customer"/)
      .and.contain('An address whose domain a customer owns chooses that customer below');
    // The edit form does not: an existing contact is never placed again.
    expect((await alice.get(`/contacts/${fx.contacts.mario.id}/edit`)).text).not.to.match(/id="f-email"[^>]*hx-get/);

    const owned = await alice.hx('get', `/customers/options?email=${encodeURIComponent('Someone@Client.Example')}&customer=${unassigned.id}&customerQ=`);
    expect(owned.text).to.contain(`<option value="${rossi}" selected>Rossi Impianti</option>`).and.not.contain(`<option value="${unassigned.id}" selected>`);
    // Found even when the picker's search would not find it (the chosen one comes first).
    const searched = await alice.hx('get', `/customers/options?email=someone%40client.example&customer=${unassigned.id}&customerQ=bianchi`);
    expect(searched.text.trim()).to.match(new RegExp(`^<option value="${rossi}" selected>Rossi Impianti</option>`));
    // An address of no customer's domain (or half typed) keeps what was chosen.
    const bianchi = fx.customers['Bianchi Srl'].id;
    for (const email of ['someone@unknown.example', 'someone@client.ex', 'someone@']) {
      const kept = await alice.hx('get', `/customers/options?email=${encodeURIComponent(email)}&customer=${bianchi}`);
      expect(kept.text, email).to.contain(`<option value="${bianchi}" selected>Bianchi Srl</option>`);
    }
    // The form saves what is chosen: here a customer other than the domain's owner.
    const saved = await alice.post('/contacts', { email: 'someone@client.example', customer: String(bianchi) });
    expect(saved.status).to.equal(303);
    const [row] = await sql<{ name: string }>("select cu.name from contacts c join customers cu on cu.id = c.customer_id where c.email = 'someone@client.example'");
    expect(row.name).to.equal('Bianchi Srl');

    // On Pro: no pre-selection, though a customer holds the domain.
    const [springfield] = await sql<{ id: number }>('select id from customers where tenant_id = $1 and not is_default', [fx.globex.id]);
    const [globexDefault] = await sql<{ id: number }>('select id from customers where tenant_id = $1 and is_default', [fx.globex.id]);
    await sql('insert into customer_domains (tenant_id, customer_id, domain) values ($1, $2, $3)', [fx.globex.id, springfield.id, 'client.example']);
    const gina = await signIn('gina');
    expect((await gina.get('/contacts/new')).text).not.to.match(/id="f-email"[^>]*hx-get/);
    const pro = await gina.hx('get', `/customers/options?email=someone%40client.example&customer=${globexDefault.id}`);
    expect(pro.text).to.contain(`<option value="${globexDefault.id}" selected>`).and.not.contain(`<option value="${springfield.id}" selected>`);
  });

  it('speaks Italian: Gestisci Domini, Applica', async () => {
    await speakItalian('acme');
    const alice = await signIn('alice');
    const page = await alice.get(`/customers/${rossi}`);
    expect(page.text).to.contain('<h2>Domini</h2>').and.contain('Gestisci Domini');
    const form = await alice.get(`/customers/${rossi}/domains`);
    expect(form.text).to.contain('Gestisci Domini: Rossi Impianti').and.contain('>Applica</button>').and.contain('Aggiungi domini');
    const refused = await alice.post(`/customers/${rossi}/domains`, { add: 'gmail.com' });
    expect(refused.text).to.contain('Non è stato cambiato nulla').and.contain('gmail.com è un fornitore pubblico di caselle email');
    await alice.post(`/customers/${fx.customers['Bianchi Srl'].id}/domains`, { add: 'bianchi.example' });
    const taken = await alice.post(`/customers/${rossi}/domains`, { add: 'bianchi.example' });
    expect(taken.text).to.contain(`bianchi.example appartiene già a un altro cliente: <a href="/customers/${fx.customers['Bianchi Srl'].id}">Bianchi Srl</a>`);
  });
});
