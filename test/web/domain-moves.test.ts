// Customers > Unassigned, on Enterprise: move the contacts of one domain to a customer,
// with the count and a confirmation; one transaction; each moved contact's history says why.
import { expect } from 'chai';
import { loadFixtures, signIn, speakItalian, sql, type Fixtures } from '../support/index.js';
import { problemsOn, telltales } from '../support/leaks.js';

async function contactIn(tenantId: number, customerId: number, email: string, isMain = false): Promise<number> {
  const [row] = await sql<{ id: number }>('insert into contacts (tenant_id, customer_id, email, first_name, is_main) values ($1, $2, $3, $4, $5) returning id',
    [tenantId, customerId, email, email.split('@')[0], isMain]);
  return row.id;
}

async function customerNameOf(email: string): Promise<string> {
  return (await sql<{ name: string }>('select cu.name from contacts c join customers cu on cu.id = c.customer_id where c.email = $1', [email]))[0].name;
}

describe('Moving the contacts of a domain out of Unassigned', () => {
  let fx: Fixtures;
  let unassigned: number;
  let rossi: number;
  beforeEach(async () => {
    fx = await loadFixtures();
    [{ id: unassigned }] = await sql<{ id: number }>('select id from customers where tenant_id = $1 and is_default', [fx.acme.id]);
    rossi = fx.customers['Rossi Impianti'].id;
    await contactIn(fx.acme.id, unassigned, 'anna@client.example', true);
    await contactIn(fx.acme.id, unassigned, 'bruno@client.example');
    await contactIn(fx.acme.id, unassigned, 'carla@sub.client.example');
    await contactIn(fx.acme.id, unassigned, 'dario@gmail.com');
    await contactIn(fx.acme.id, unassigned, 'elena@other.example');
    await sql('insert into customer_domains (tenant_id, customer_id, domain) values ($1, $2, $3)', [fx.acme.id, rossi, 'client.example']);
  });

  it('lists Unassigned\'s contacts by domain with counts and owners, then moves one domain\'s after a confirmation with the count', async () => {
    const alice = await signIn('alice');
    const page = await alice.get(`/customers/${unassigned}`);
    expect(page.text).to.contain('<h2>Contacts by domain</h2>');
    const section = page.text.slice(page.text.indexOf('id="domain-moves"'));
    expect(section).to.match(/<td>client\.example<\/td>\s*<td>2<\/td>\s*<td><a href="\/customers\/\d+">Rossi Impianti<\/a><\/td>/)
      .and.match(/<td>gmail\.com<\/td>\s*<td>1<\/td>\s*<td><span class="muted">public mailbox<\/span><\/td>\s*<td><\/td>/)
      .and.contain(`href="/customers/${unassigned}/domain-moves?domain=client.example"`).and.not.contain('domain-moves?domain=gmail.com');
    // Another customer's page has no such section.
    expect((await alice.get(`/customers/${rossi}`)).text).not.to.contain('id="domain-moves"');

    // Choose: the owner of the domain comes chosen.
    const choose = await alice.get(`/customers/${unassigned}/domain-moves?domain=client.example`);
    expect(choose.status).to.equal(200);
    expect(choose.text).to.contain('2 contacts of Unassigned have an address at client.example.')
      .and.contain(`<option value="${rossi}" selected>Rossi Impianti</option>`).and.contain('name="step" value="confirm"');
    // Confirm: the count, the two customers, and the button that moves.
    const confirm = await alice.get(`/customers/${unassigned}/domain-moves?domain=client.example&moveTo=${rossi}&step=confirm`);
    expect(confirm.text).to.contain('Move the 2 contacts of client.example from Unassigned to Rossi Impianti?').and.contain('>Move 2 contacts</button>');
    expect(await customerNameOf('anna@client.example')).to.equal('Unassigned');

    const moved = await alice.post(`/customers/${unassigned}/domain-moves`, { domain: 'client.example', moveTo: String(rossi) });
    expect(moved.status).to.equal(303);
    expect(moved.headers.location).to.equal(`/customers/${rossi}`);
    expect((await alice.get(`/customers/${rossi}`)).text).to.contain('2 contacts of client.example moved to Rossi Impianti.');
    expect(await customerNameOf('anna@client.example')).to.equal('Rossi Impianti');
    expect(await customerNameOf('bruno@client.example')).to.equal('Rossi Impianti');
    // A subdomain is another domain; other contacts stay.
    expect(await customerNameOf('carla@sub.client.example')).to.equal('Unassigned');
    expect(await customerNameOf('elena@other.example')).to.equal('Unassigned');
    // Being main in Unassigned does not open Rossi's tickets.
    expect((await sql<{ is_main: boolean }>("select is_main from contacts where email = 'anna@client.example'"))[0].is_main).to.equal(false);

    // Each moved contact's history says why.
    const [anna] = await sql<{ id: number }>("select id from contacts where email = 'anna@client.example'");
    const events = await sql<{ action: string; details: Record<string, unknown>; actor_name: string }>('select action, details, actor_name from audit_events where subject_type = $1 and subject_id = $2', ['contact', anna.id]);
    expect(events).to.deep.equal([{ action: 'contact.moved_by_domain', actor_name: 'Alice Admin', details: { customer: { from: 'Unassigned', to: 'Rossi Impianti' }, domain: 'client.example', isMain: { from: true, to: false } } }]);
    expect((await alice.get(`/contacts/${anna.id}`)).text).to.contain('Moved from Unassigned to Rossi Impianti with the other contacts of its domain client.example.');
    const [whole] = await sql<{ details: unknown }>("select details from audit_events where action = 'customer.domain_contacts_moved'");
    expect(whole.details).to.deep.equal({ domain: 'client.example', to: { id: rossi, name: 'Rossi Impianti' }, contacts: 2 });
    expect((await alice.get(`/customers/${unassigned}`)).text).not.to.contain('domain-moves?domain=client.example');
  });

  it('refuses a move with no target, no contacts left, a public mailbox, or from a customer that is not Unassigned — nothing moved', async () => {
    const alice = await signIn('alice');
    const noTarget = await alice.post(`/customers/${unassigned}/domain-moves`, { domain: 'client.example', moveTo: '' });
    expect(noTarget.status).to.equal(422);
    expect(noTarget.text).to.contain('Choose the customer to move them to.').and.contain('2 contacts of Unassigned have an address');
    const confirmWithout = await alice.get(`/customers/${unassigned}/domain-moves?domain=client.example&step=confirm&moveTo=`);
    expect(confirmWithout.text).to.contain('Choose the customer to move them to.').and.not.contain('>Move 2 contacts</button>');
    const toItself = await alice.post(`/customers/${unassigned}/domain-moves`, { domain: 'client.example', moveTo: String(unassigned) });
    expect(toItself.status).to.equal(422);
    const publicMail = await alice.post(`/customers/${unassigned}/domain-moves`, { domain: 'gmail.com', moveTo: String(rossi) });
    expect(publicMail.status).to.equal(422);
    expect(publicMail.text).to.contain('gmail.com is a public mailbox provider');
    // Asked for by its address, the page refuses it before any choice.
    const publicPage = await alice.get(`/customers/${unassigned}/domain-moves?domain=gmail.com&moveTo=${rossi}&step=confirm`);
    expect(publicPage.text).to.contain('gmail.com is a public mailbox provider').and.not.contain('name="moveTo"').and.not.contain('>Move 1 contact</button>');
    await alice.post('/admin/email-settings/public-domains', { domains: 'other.example' });
    expect((await alice.post(`/customers/${unassigned}/domain-moves`, { domain: 'other.example', moveTo: String(rossi) })).text).to.contain('other.example is on this workspace’s list');
    const none = await alice.post(`/customers/${unassigned}/domain-moves`, { domain: 'nobody.example', moveTo: String(rossi) });
    expect(none.status).to.equal(422);
    expect(none.text).to.contain('No contact of Unassigned has an address at nobody.example any more.');
    // Another customer than Unassigned: there is no such page.
    expect((await alice.get(`/customers/${rossi}/domain-moves?domain=rossi.test`)).status).to.equal(404);
    expect((await alice.post(`/customers/${rossi}/domain-moves`, { domain: 'rossi.test', moveTo: String(fx.customers['Bianchi Srl'].id) })).status).to.equal(404);
    expect(await customerNameOf('mario@rossi.test')).to.equal('Rossi Impianti');
    expect(await sql<{ n: number }>('select count(*)::int as n from contacts where customer_id = $1', [unassigned])).to.deep.equal([{ n: 5 }]);
    expect(await sql("select id from audit_events where action like '%moved%'")).to.deep.equal([]);
  });

  it('answers 403 on Pro (with the link to Admin > Plan) and to a non-admin; on Pro the section shows the plan note', async () => {
    const bob = await signIn('bob');
    expect((await bob.get(`/customers/${unassigned}/domain-moves?domain=client.example`)).status).to.equal(403);
    expect((await bob.post(`/customers/${unassigned}/domain-moves`, { domain: 'client.example', moveTo: String(rossi) })).status).to.equal(403);
    expect((await bob.get(`/customers/${unassigned}`)).text).to.contain('id="domain-moves"').and.not.contain('/domain-moves?domain=');

    const [globexUnassigned] = await sql<{ id: number }>('select id from customers where tenant_id = $1 and is_default', [fx.globex.id]);
    const [springfield] = await sql<{ id: number }>('select id from customers where tenant_id = $1 and not is_default', [fx.globex.id]);
    await contactIn(fx.globex.id, globexUnassigned.id, 'bart@springfield.example');
    const gina = await signIn('gina');
    const page = await gina.get(`/customers/${globexUnassigned.id}`);
    expect(page.text.slice(page.text.indexOf('id="domain-moves"'))).to.match(/Available on Enterprise · <a href="\/admin\/plan">/).and.contain('springfield.example');
    expect(page.text).not.to.contain('/domain-moves?domain=');
    const forbidden = await gina.post(`/customers/${globexUnassigned.id}/domain-moves`, { domain: 'springfield.example', moveTo: String(springfield.id) });
    expect(forbidden.status).to.equal(403);
    expect(forbidden.text).to.contain('<a href="/admin/plan">');
    expect((await gina.get(`/customers/${globexUnassigned.id}/domain-moves?domain=springfield.example`)).status).to.equal(403);
    expect(await customerNameOf('bart@springfield.example')).to.equal('Unassigned');
  });

  it('speaks Italian, with no English left on its pages', async () => {
    await speakItalian('acme');
    await sql("update customers set name = 'Non assegnato' where id = $1", [unassigned]); // as an Italian workspace names it
    const alice = await signIn('alice');
    expect((await alice.get(`/customers/${unassigned}`)).text).to.contain('<h2>Contatti per dominio</h2>').and.contain('casella pubblica');
    const leaks = telltales('en');
    for (const path of [`/customers/${unassigned}`, `/customers/${unassigned}/domain-moves?domain=client.example`,
      `/customers/${unassigned}/domain-moves?domain=client.example&moveTo=${rossi}&step=confirm`, `/customers/${rossi}/domains`, '/customers?domain=nobody.example', '/contacts/new']) {
      const res = await alice.get(path);
      expect(problemsOn({ path, status: res.status, html: res.text }, 'it', leaks), path).to.deep.equal([]);
    }
    // Email Settings: its template names are the workspace's data (made in English here); its public mailbox domains section is words.
    const settings = (await alice.post('/admin/email-settings/public-domains', { domains: 'co.uk' })).text;
    const section = settings.slice(settings.indexOf('<section id="public-domains"'), settings.indexOf('</section>', settings.indexOf('<section id="public-domains"')));
    expect(section).to.contain('Domini di caselle email pubbliche');
    expect(problemsOn({ path: 'public domains', status: 200, html: `<html lang="it">${section}</html>` }, 'it', leaks)).to.deep.equal([]);
    const refused = await alice.post(`/customers/${unassigned}/domain-moves`, { domain: 'client.example', moveTo: '' });
    expect(problemsOn({ path: 'refused move', status: 200, html: refused.text }, 'it', leaks)).to.deep.equal([]);
    const confirm = await alice.get(`/customers/${unassigned}/domain-moves?domain=client.example&moveTo=${rossi}&step=confirm`);
    expect(confirm.text).to.contain('Spostare 2 contatti di client.example da Non assegnato a Rossi Impianti?').and.contain('>Sposta 2 contatti</button>');
    await alice.post(`/customers/${unassigned}/domain-moves`, { domain: 'client.example', moveTo: String(rossi) });
    expect((await alice.get(`/customers/${rossi}`)).text).to.contain('2 contatti di client.example spostati in Rossi Impianti.');
  });
});
