import { expect } from 'chai';
import { drainJobs, h, loadFixtures, signIn, sql, type Browser, type Fixtures } from '../support/index.js';
import { makeTicket } from '../support/records.js';
import { inTenant } from '../../src/db/unit-of-work.js';
import { Contact } from '../../src/domain/contact/contact.js';
import { Customer } from '../../src/domain/customer/customer.js';
import type { Tenant } from '../../src/domain/tenant/tenant.js';

describe('Tickets for technicians', () => {
  let fx: Fixtures;
  let alice: Browser;
  beforeEach(async () => {
    fx = await loadFixtures();
    alice = await signIn('alice');
  });

  async function openAs(browser: Browser, form: Record<string, unknown>) {
    await browser.get('/tickets/new');
    return browser.post('/tickets', { priority: 'medium', type: 'question', ...form });
  }

  it('opens a ticket on behalf of a contact, numbered from #1001, for the contact\'s customer', async () => {
    const res = await openAs(alice, { contact: fx.contacts.mario.id, title: 'Printer on fire', description: 'Line one\nLine two', priority: 'high', type: 'incident', assignee: fx.technicians.bob.id });
    expect(res.status).to.equal(303);
    expect(res.headers.location).to.equal('/tickets/1001');
    const page = await alice.get('/tickets/1001');
    expect(page.status).to.equal(200);
    expect(page.text).to.contain('Printer on fire').and.contain('Rossi Impianti').and.contain('Line one\nLine two').and.contain('opened the ticket');
    const [row] = await sql<{ customer: string; priority: string; type: string; assignee: string; source: string }>(
      `select c.name as customer, t.priority, t.type, te.name as assignee, t.source from tickets t join customers c on c.id = t.customer_id join technicians te on te.id = t.assignee_id where t.number = 1001`);
    expect(row).to.deep.equal({ customer: 'Rossi Impianti', priority: 'high', type: 'incident', assignee: 'Bob Tech', source: 'technician' });
    const second = await openAs(alice, { contact: fx.contacts.peach.id, title: 'Second' });
    expect(second.headers.location).to.equal('/tickets/1002');
  });

  it('refuses a ticket without a title or contact with 422, keeping the input, creating nothing', async () => {
    const res = await openAs(alice, { contact: '', title: '', description: 'Kept <b>text</b>' });
    expect(res.status).to.equal(422);
    expect(res.text).to.contain('Title is required.').and.contain('Choose who the ticket is for.').and.contain('Kept &lt;b&gt;text&lt;/b&gt;');
    const tooLong = await openAs(alice, { contact: fx.contacts.mario.id, title: 'x'.repeat(251) });
    expect(tooLong.status).to.equal(422);
    expect(tooLong.text).to.contain('at most 250 characters');
    const otherTenantContact = await openAs(alice, { contact: fx.contacts.homer.id, title: 'Sneaky' });
    expect(otherTenantContact.status).to.equal(422);
    expect(await sql('select id from tickets')).to.have.length(0);
    expect((await sql<{ n: number }>('select next_ticket_number as n from tenants where slug = $1', ['acme']))[0].n).to.equal(1001);
  });

  it('offers the requester through a search, 50 at a time, with and without JavaScript, keeping the chosen one', async () => {
    await inTenant(fx.acme.id, async (em) => {
      const tenant = em.getReference('Tenant', fx.acme.id) as Tenant;
      const customer = em.getReference(Customer, fx.customers['Bianchi Srl'].id);
      for (let i = 1; i <= 60; i++) em.create(Contact, { tenant, customer, email: `aaa${String(i).padStart(2, '0')}@bianchi.test`, firstName: 'Aaa', lastName: `Guest ${String(i).padStart(2, '0')}` });
      await em.flush();
    });
    const picker = (html: string) => html.includes('id="f-contact"') ? html.slice(html.indexOf('id="f-contact"'), html.indexOf('</select>', html.indexOf('id="f-contact"'))) : html;
    const options = (html: string) => [...picker(html).matchAll(/<option value="(\d+)"/g)].length;
    const page = await alice.get('/tickets/new');
    expect(options(page.text)).to.equal(50);
    expect(page.text).to.contain('More match').and.not.contain('mario@rossi.test');
    // Without JavaScript: the Find button reloads the form searched.
    const searched = await alice.get('/tickets/new?contactQ=mario');
    expect(options(searched.text)).to.equal(1);
    expect(searched.text).to.contain(`<option value="${fx.contacts.mario.id}">`).and.contain('value="mario"');
    // With htmx: the options alone, the chosen contact kept first though the search does not find it.
    const typed = await alice.hx('get', `/tickets/new/contacts?contactQ=peach&contact=${fx.contacts.mario.id}`);
    expect(typed.text).not.to.contain('<html');
    expect(typed.text).to.contain(`<option value="${fx.contacts.mario.id}" selected>`).and.contain(`<option value="${fx.contacts.peach.id}">`);
    expect(options(typed.text)).to.equal(2);
    // A refused form keeps its requester chosen, found or not.
    const refused = await openAs(alice, { contact: fx.contacts.mario.id, title: '' });
    expect(refused.status).to.equal(422);
    expect(refused.text).to.contain(`<option value="${fx.contacts.mario.id}" selected>`);
    // Another tenant's contact is never offered.
    expect((await alice.hx('get', '/tickets/new/contacts?contactQ=homer')).text).not.to.contain('homer');
  });

  it('names each refused field in its error, which the field points at with aria-describedby', async () => {
    const refused = await openAs(alice, { contact: '', title: '', description: 'x'.repeat(50_001), priority: 'urgentest', type: 'rant' });
    expect(refused.status).to.equal(422);
    const errors = [...refused.text.matchAll(/<p class="error"( id="([^"]+)")?>/g)];
    expect(errors.length).to.be.greaterThan(3);
    for (const [paragraph, , id] of errors) {
      expect(id, paragraph).to.be.a('string');
      expect(refused.text, id).to.contain(`aria-describedby="${id}"`);
    }
    for (const field of ['contact', 'description', 'priority', 'type']) expect(refused.text, field).to.contain(`id="e-${field}"`);
    const badAssignee = await openAs(alice, { contact: fx.contacts.mario.id, title: 'Fine', assignee: String(fx.technicians.gina.id) });
    expect(badAssignee.text).to.contain('<p class="error" id="e-assignee">').and.contain('aria-describedby="e-assignee"');
  });

  it('filters the list by status, priority, customer, assignee, mine and text, all in the URL', async () => {
    await openAs(alice, { contact: fx.contacts.mario.id, title: 'Mail is down', description: 'smtp refuses', priority: 'critical', assignee: fx.technicians.bob.id });
    await openAs(alice, { contact: fx.contacts.peach.id, title: 'New laptop', description: 'for the intern', priority: 'low', assignee: fx.technicians.alice.id });
    await openAs(alice, { contact: fx.contacts.luigi.id, title: 'VPN question', description: 'how do I connect', priority: 'medium' });
    await alice.get('/tickets/1003');
    await alice.hx('post', '/tickets/1003/status', { status: 'pending' });

    const titles = async (query: string) => {
      const res = await alice.get(`/tickets${query}`);
      expect(res.status).to.equal(200);
      return ['Mail is down', 'New laptop', 'VPN question'].filter((t) => res.text.includes(t));
    };
    expect(await titles('?view=all')).to.have.members(['Mail is down', 'New laptop', 'VPN question']);
    expect(await titles('?status=pending')).to.deep.equal(['VPN question']);
    expect(await titles('?priority=critical')).to.deep.equal(['Mail is down']);
    expect(await titles(`?customer=${fx.customers['Bianchi Srl'].id}`)).to.deep.equal(['New laptop']);
    expect(await titles(`?assignee=${fx.technicians.bob.id}`)).to.deep.equal(['Mail is down']);
    expect(await titles('?assignee=none')).to.deep.equal(['VPN question']);
    expect(await titles('?mine=1')).to.deep.equal(['New laptop']);
    expect(await titles('?q=SMTP')).to.deep.equal(['Mail is down']);
    expect(await titles('?q=laptop&priority=low')).to.deep.equal(['New laptop']);
    expect(await titles('?q=100%25')).to.deep.equal([]);

    // The filter form keeps its values from the URL (bookmarkable) …
    const page = await alice.get('/tickets?status=pending&q=VPN');
    expect(page.text).to.match(/<option value="pending" selected>/).and.contain('value="VPN"');
    // … and htmx gets only the list.
    const fragment = await alice.agent.get('/tickets?priority=critical').set('Host', alice.host).set('HX-Request', 'true').set('HX-Target', 'ticket-list');
    expect(fragment.text).to.contain('Mail is down').and.not.contain('<html').and.not.contain('<form class="filters"');
    expect(fragment.headers['hx-push-url']).to.equal('/tickets?priority=critical');
    // Back to a pushed URL: htmx asks for the whole page again.
    const restored = await alice.agent.get('/tickets?priority=critical').set('Host', alice.host).set('HX-Request', 'true').set('HX-History-Restore-Request', 'true');
    expect(restored.text).to.contain('<html').and.contain('class="mainnav"').and.contain('Mail is down');
  });

  it('pages the list 50 at a time, keeping the filters in the paging links', async () => {
    await sql(`update tenants set next_ticket_number = 1061 where slug = 'acme'`);
    await sql(`insert into tickets (tenant_id, number, title, customer_id, contact_id, updated_at)
      select $1, 1000 + g, 'Bulk ' || g, $2, $3, now() - g * interval '1 minute' from generate_series(1, 60) g`,
    [fx.acme.id, fx.customers['Rossi Impianti'].id, fx.contacts.mario.id]);
    const first = await alice.get('/tickets?status=open');
    expect(first.text).to.contain('60 tickets').and.contain('Bulk 1<').and.contain('Bulk 50<').and.not.contain('Bulk 51<');
    expect(first.text).to.contain('href="/tickets?status=open&amp;page=2"');
    const second = await alice.get('/tickets?status=open&page=2');
    expect(second.text).to.contain('Bulk 51<').and.contain('Bulk 60<').and.not.contain('Bulk 50<');
    const past = await alice.get('/tickets?status=open&page=9');
    expect(past.text).to.contain('60 tickets').and.contain('No tickets match').and.contain('href="/tickets?status=open&amp;page=8"');
    expect((await alice.get('/tickets?status=closed')).text).to.contain('0 tickets');
  });

  it('changes status, priority, type and assignee in place, each recorded in the history', async () => {
    await openAs(alice, { contact: fx.contacts.mario.id, title: 'Slow network' });
    await alice.get('/tickets/1001');
    const status = await alice.hx('post', '/tickets/1001/status', { status: 'pending' });
    expect(status.status).to.equal(200);
    expect(status.text).to.match(/<option value="pending" selected>/);
    expect(status.text).to.contain('id="ticket-history" class="history" hx-swap-oob="true"').and.contain('changed status from <em>open</em> to <em>pending</em>');
    expect((await alice.hx('post', '/tickets/1001/priority', { priority: 'critical' })).status).to.equal(200);
    expect((await alice.hx('post', '/tickets/1001/type', { type: 'incident' })).status).to.equal(200);
    const assigned = await alice.hx('post', '/tickets/1001/assignment', { assignee: String(fx.technicians.bob.id) });
    expect(assigned.text).to.contain('changed assignee from <em>nobody</em> to <em>Bob Tech</em>');
    // A plain form post (no JavaScript) goes back to the page.
    const plain = await alice.post('/tickets/1001/status', { status: 'resolved' });
    expect(plain.status).to.equal(303);
    expect(plain.headers.location).to.equal('/tickets/1001');

    const events = await sql<{ field: string; from_value: string | null; to_value: string; actor_name: string }>(
      `select field, from_value, to_value, actor_name from ticket_events where field <> 'created' order by id`);
    expect(events).to.deep.equal([
      { field: 'status', from_value: 'open', to_value: 'pending', actor_name: 'Alice Admin' },
      { field: 'priority', from_value: 'medium', to_value: 'critical', actor_name: 'Alice Admin' },
      { field: 'type', from_value: 'question', to_value: 'incident', actor_name: 'Alice Admin' },
      { field: 'assignee', from_value: null, to_value: 'Bob Tech', actor_name: 'Alice Admin' },
      { field: 'status', from_value: 'pending', to_value: 'resolved', actor_name: 'Alice Admin' },
    ]);
    const page = await alice.get('/tickets/1001');
    expect(page.text).to.contain('changed priority from <em>medium</em> to <em>critical</em>');

    const bad = await alice.hx('post', '/tickets/1001/status', { status: 'exploded' });
    expect(bad.status).to.equal(422);
    expect(bad.text).to.contain('Choose a status.');
    const badAssignee = await alice.hx('post', '/tickets/1001/assignment', { assignee: String(fx.technicians.gina.id) });
    expect(badAssignee.status).to.equal(422);
    expect((await sql<{ status: string }>('select status from tickets'))[0].status).to.equal('resolved');
  });

  it('numbers a new ticket after the ones a test made directly', async () => {
    await makeTicket(fx.acme, fx.customers['Rossi Impianti'].id, fx.contacts.mario.id, 1001, 'Made directly');
    const res = await openAs(alice, { contact: fx.contacts.mario.id, title: 'Opened after' });
    expect(res.status).to.equal(303);
    expect(res.headers.location).to.equal('/tickets/1002');
  });

  it("lists one requester's tickets from the contact page's All tickets link, and keeps the requester while filtering", async () => {
    await openAs(alice, { contact: fx.contacts.mario.id, title: 'Mario printer' });
    await openAs(alice, { contact: fx.contacts.peach.id, title: 'Peach mouse' });
    const list = await alice.get(`/tickets?contact=${fx.contacts.mario.id}`);
    expect(list.status).to.equal(200);
    expect(list.text).to.contain('Mario printer').and.not.contain('Peach mouse');
    expect(list.text).to.contain(`name="contact" value="${fx.contacts.mario.id}"`);
    const filtered = await alice.get(`/tickets?contact=${fx.contacts.peach.id}&status=open`);
    expect(filtered.text).to.contain('Peach mouse').and.not.contain('Mario printer');
  });

  it('answers a refused status or priority change without JavaScript with the whole ticket page, the error beside the field', async () => {
    await openAs(alice, { contact: fx.contacts.mario.id, title: 'Cannot print', description: 'The toner light blinks' });
    await alice.get('/tickets/1001');
    for (const [field, value, error] of [['status', 'exploded', 'Choose a status.'], ['priority', 'urgentest', 'Choose a priority.']]) {
      const refused = await alice.post(`/tickets/1001/${field}`, { [field]: value });
      expect(refused.status, field).to.equal(422);
      expect(refused.text, field).to.contain('<html').and.contain('Cannot print').and.contain('The toner light blinks').and.contain(error);
      expect(refused.text, field).to.contain('name="body"'); // the reply form: the page, not the property forms alone
    }
    expect((await sql<{ status: string; priority: string }>('select status, priority from tickets'))[0]).to.deep.equal({ status: 'open', priority: 'medium' });
  });

  it('emails a public reply to the requester with [#1001] in the subject; an internal note stays inside', async () => {
    await openAs(alice, { contact: fx.contacts.mario.id, title: 'Cannot print' });
    await alice.get('/tickets/1001');
    const note = await alice.post('/tickets/1001/replies', { body: 'Probably the toner. <script>alert(1)</script>', kind: 'note' });
    expect(note.status).to.equal(303);
    const reply = await alice.post('/tickets/1001/replies', { body: 'We are on it.\nHang on.', kind: 'public' });
    expect(reply.status).to.equal(303);
    await drainJobs();
    const mail = h().mail.last('mario@rossi.test');
    expect(mail.subject).to.equal('[#1001] Cannot print');
    expect(mail.text).to.contain('We are on it.').and.not.contain('toner');
    expect(h().mail.to('mario@rossi.test').map((m) => m.subject), 'Ticket received, then the reply alone').to.deep.equal(['[#1001] We received your request: Cannot print', '[#1001] Cannot print']);
    const [queued] = await sql<{ kind: string; ticket_id: number; contact_id: number }>(`select kind, ticket_id, contact_id from outbound_emails where kind = 'ticket_reply'`);
    expect(queued.contact_id).to.equal(fx.contacts.mario.id);

    const page = await alice.get('/tickets/1001');
    expect(page.text).to.contain('class="message internal from-technician"').and.contain('Internal note')
      .and.contain('Probably the toner. &lt;script&gt;alert(1)&lt;/script&gt;').and.not.contain('<script>alert(1)');
    expect(page.text).to.contain('We are on it.\nHang on.').and.contain('Alice Admin');

    // The next reply threads under the last email sent.
    await alice.post('/tickets/1001/replies', { body: 'Fixed.', kind: 'public' });
    const [sent] = await sql<{ message_id: string }>(`select message_id from outbound_emails where kind = 'ticket_reply' and message_id is not null order by id limit 1`);
    const [second] = await sql<{ in_reply_to: string }>(`select in_reply_to from outbound_emails where kind = 'ticket_reply' order by id desc limit 1`);
    expect(second.in_reply_to).to.equal(sent.message_id);
  });

  it('refuses an empty reply with 422 and sends nothing', async () => {
    await openAs(alice, { contact: fx.contacts.mario.id, title: 'Cannot print' });
    await alice.get('/tickets/1001');
    const res = await alice.post('/tickets/1001/replies', { body: '   ', kind: 'public' });
    expect(res.status).to.equal(422);
    expect(res.text).to.contain('The reply is required.');
    expect(await sql('select id from ticket_messages')).to.have.length(0);
    expect(await sql(`select id from outbound_emails where kind = 'ticket_reply'`)).to.have.length(0);
  });

  it('shows HTML in titles as text', async () => {
    await openAs(alice, { contact: fx.contacts.mario.id, title: '<img src=x onerror=alert(1)>' });
    const list = await alice.get('/tickets?view=all');
    expect(list.text).to.contain('&lt;img src=x onerror=alert(1)&gt;').and.not.contain('<img src=x');
    const page = await alice.get('/tickets/1001');
    expect(page.text).to.not.contain('<img src=x');
  });

  it('answers 404 for another tenant\'s ticket number and changes nothing', async () => {
    const gina = await signIn('gina');
    await openAs(gina, { contact: fx.contacts.homer.id, title: 'Globex one' });
    await openAs(gina, { contact: fx.contacts.homer.id, title: 'Globex two' });
    await openAs(alice, { contact: fx.contacts.mario.id, title: 'Acme one' });
    const before = await sql('select id, number, status, priority, type, assignee_id, updated_at from tickets order by id');
    const missing = await alice.get('/tickets/1099');
    const foreign = await alice.get('/tickets/1002');
    expect(foreign.status).to.equal(404);
    expect(foreign.text).to.equal(missing.text);
    await alice.get('/tickets/1001');
    for (const [path, form] of [['status', { status: 'closed' }], ['priority', { priority: 'low' }], ['type', { type: 'problem' }], ['assignment', { assignee: '' }], ['replies', { body: 'hi' }]] as const) {
      expect((await alice.post(`/tickets/1002/${path}`, form)).status, path).to.equal(404);
    }
    const [file] = await sql<{ id: number }>(`insert into attachments (tenant_id, ticket_id, file_name, content_type, size, data)
      select tenant_id, id, 'secret.txt', 'text/plain', 6, 'secret'::bytea from tickets where title = 'Globex two' returning id`);
    expect((await alice.get(`/tickets/1002/attachments/${file.id}`)).status).to.equal(404);
    expect((await alice.get(`/tickets/1001/attachments/${file.id}`)).status).to.equal(404);
    expect(await sql('select id, number, status, priority, type, assignee_id, updated_at from tickets order by id')).to.deep.equal(before);
    expect(await sql('select id from ticket_messages')).to.have.length(0);
    expect((await alice.get('/tickets/abc')).status).to.equal(404);
  });
});
