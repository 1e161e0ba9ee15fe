// Destructive actions confirm first and look it (issue 14): deleting an email template, a
// quick reply or a support address goes through a confirmation page (no JavaScript needed)
// whose button is the danger one; the customer's and contact's own deletion pages too.
// And an unknown host (http://127.0.0.1:3000/) names the address that works.
import { expect } from 'chai';
import { h, loadFixtures, signIn, sql, type Browser, type Fixtures } from '../support/index.js';
import supertest from 'supertest';

describe('Destructive actions confirm first', () => {
  let fx: Fixtures;
  let alice: Browser;
  beforeEach(async () => {
    fx = await loadFixtures();
    alice = await signIn('alice');
  });

  async function confirms(list: string, confirmation: string, name: string) {
    const index = await alice.get(list);
    expect(index.text, `${list} links to its confirmation`).to.contain(`<a class="danger" href="${confirmation}"`);
    expect(index.text).not.to.contain(`action="${confirmation}"`);
    const page = await alice.get(confirmation);
    expect(page.status).to.equal(200);
    expect(page.text).to.contain(`action="${confirmation}"`).and.contain('<button class="danger confirm" type="submit">').and.contain(`Delete “${name}”`).and.contain('This cannot be undone.');
  }

  it('asks before deleting a template, a quick reply or a support address, and deletes on confirming', async () => {
    const [spare] = await sql<{ id: number }>("insert into email_templates (tenant_id, name, subject, body) values ($1, 'Spare', 'S', 'B') returning id", [fx.acme.id]);
    await confirms('/admin/email-templates', `/admin/email-templates/${spare.id}/deletion`, 'Spare');
    expect(await sql('select id from email_templates where id = $1', [spare.id])).to.have.length(1);
    expect((await alice.post(`/admin/email-templates/${spare.id}/deletion`)).status).to.equal(303);
    expect(await sql('select id from email_templates where id = $1', [spare.id])).to.have.length(0);

    const [quick] = await sql<{ id: number; name: string }>('select id, name from quick_replies where tenant_id = $1 order by id limit 1', [fx.acme.id]);
    await confirms('/admin/quick-replies', `/admin/quick-replies/${quick.id}/deletion`, quick.name);

    await alice.get('/admin/mailboxes/new');
    const created = await alice.post('/admin/mailboxes', { address: 'help@acme.test', host: '127.0.0.1', port: '143', tls: 'none', username: 'u', password: 'secret', folder: 'INBOX', processedFolder: '', pollMinutes: '5', enabled: 'on' });
    expect(created.status).to.equal(303);
    const [mailbox] = await sql<{ id: number }>('select id from mailboxes');
    await confirms('/admin/email-settings', `/admin/mailboxes/${mailbox.id}/deletion`, 'help@acme.test');
    expect((await alice.get(`/admin/mailboxes/${mailbox.id}`)).text).to.contain(`<a class="button danger" href="/admin/mailboxes/${mailbox.id}/deletion" data-confirm=`); // a dialog asks first, with JavaScript
  });

  it('answers another workspace\'s record with the same 404 as a missing one, in Italian too', async () => {
    const [theirs] = await sql<{ id: number }>('select id from email_templates where tenant_id = $1 limit 1', [fx.globex.id]);
    const [theirQuick] = await sql<{ id: number }>('select id from quick_replies where tenant_id = $1 limit 1', [fx.globex.id]);
    expect((await alice.get(`/admin/email-templates/${theirs.id}/deletion`)).status).to.equal(404);
    expect((await alice.get(`/admin/quick-replies/${theirQuick.id}/deletion`)).status).to.equal(404);
    expect((await alice.get('/admin/mailboxes/999999/deletion')).status).to.equal(404);
    await sql("update technicians set language = 'it' where id = $1", [fx.technicians.alice.id]);
    const [spare] = await sql<{ id: number }>("insert into email_templates (tenant_id, name, subject, body) values ($1, 'Riserva', 'S', 'B') returning id", [fx.acme.id]);
    const italian = await alice.get(`/admin/email-templates/${spare.id}/deletion`);
    expect(italian.text).to.contain('Eliminare “Riserva”?').and.contain("L'operazione non si può annullare.".replace("'", '&#39;'));
  });

  it('gives the customer\'s and the contact\'s deletion pages a danger button', async () => {
    await sql("insert into contacts (tenant_id, customer_id, email, first_name) values ($1, $2, 'spare@rossi.test', 'Spare')", [fx.acme.id, fx.customers['Rossi Impianti'].id]);
    const [spare] = await sql<{ id: number }>("select id from contacts where email = 'spare@rossi.test'");
    expect((await alice.get(`/contacts/${spare.id}/deletion`)).text).to.contain('<button class="danger confirm" type="submit">');
    expect((await alice.get(`/customers/${fx.customers['Rossi Impianti'].id}/deletion`)).text).to.contain('<button class="danger confirm" type="submit">');
  });
});

describe('An unknown host', () => {
  it('tells a newcomer at http://127.0.0.1:3000/ to use localhost:3000, in the browser\'s language', async () => {
    const english = await supertest(h().app).get('/').set('Host', '127.0.0.1:3000').set('Accept-Language', 'en-GB,en;q=0.9');
    expect(english.status).to.equal(404);
    expect(english.text).to.contain('<html lang="en"').and.contain('Sportello answers at localhost:3000').and.contain('href="http://localhost:3000/"');
    const italian = await supertest(h().app).get('/tickets').set('Host', '127.0.0.1:3000').set('Accept-Language', 'it-IT,it;q=0.9');
    expect(italian.status).to.equal(404);
    expect(italian.text).to.contain('<html lang="it"').and.contain('Vai a localhost:3000');
    // A hostile Host is never echoed as markup.
    const hostile = await supertest(h().app).get('/').set('Host', '<b>x</b>');
    expect(hostile.status).to.equal(404);
    expect(hostile.text).not.to.contain('<b>x</b>');
  });
});
