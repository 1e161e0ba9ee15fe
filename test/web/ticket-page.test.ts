// The technicians' ticket page (issue 14): the header's links, the requester panel read in
// one statement, "Saved" in place, the title edited in place, Send and set to Pending /
// Resolved in one step, a ticket opened on someone's behalf attributed to its technician,
// the new-ticket form's inline contact, and relative times with the full time on hover.
import { expect } from 'chai';
import { subscribe } from '../../src/db/unit-of-work.js';
import type { RaisedEvent } from '../../src/domain/events.js';
import { loadFixtures, signIn, signInToPortal, speakItalian, sql, type Browser, type Fixtures } from '../support/index.js';
import { statementsOf } from '../support/statements.js';
import { writeTickets } from '../support/tickets.js';

describe('The ticket page', () => {
  let fx: Fixtures;
  let alice: Browser;
  let committed: RaisedEvent[][];
  let unsubscribe: () => void;
  beforeEach(async () => {
    fx = await loadFixtures();
    alice = await signIn('alice');
    committed = [];
    unsubscribe = subscribe({ name: 'ticket-page-recorder', afterCommit: async (events) => { committed.push([...events]); } });
  });
  afterEach(() => unsubscribe());

  const history = (number: number) => sql<{ field: string; from_value: string; to_value: string; actor_name: string }>(
    'select e.field, e.from_value, e.to_value, e.actor_name from ticket_events e join tickets t on t.id = e.ticket_id where t.number = $1 and e.field <> $2 order by e.id', [number, 'created']);

  it('links the customer and the requester, and shows the requester\'s phone and other open tickets, read in one statement however many', async () => {
    await sql("update contacts set phone = '+39 02 1234 567' where id = $1", [fx.contacts.mario.id]);
    await writeTickets(fx, [
      { number: 1001, title: 'This one' }, { number: 1002, title: 'Other open printer' },
      { number: 1003, title: 'Already resolved', status: 'resolved' }, { number: 1004, title: 'Peach owns this', contact: 'peach' },
    ]);
    const page = await alice.get('/tickets/1001');
    expect(page.status).to.equal(200);
    expect(page.text).to.contain(`<a href="/customers/${fx.customers['Rossi Impianti'].id}">Rossi Impianti</a>`)
      .and.contain(`<a href="/contacts/${fx.contacts.mario.id}">Mario Rossi</a>`);
    const panel = page.text.slice(page.text.indexOf('requester-panel'), page.text.indexOf('</section>', page.text.indexOf('requester-panel')));
    expect(panel).to.contain('href="tel:+39021234567"').and.contain('+39 02 1234 567').and.contain('#1002 Other open printer');
    for (const absent of ['Already resolved', 'Peach owns this', '#1001']) expect(panel).not.to.contain(absent);

    const panelStatements = async () => (await statementsOf(() => alice.get('/tickets/1001'))).filter((s) => /contact_id = c\.id/.test(s));
    const before = await statementsOf(() => alice.get('/tickets/1001'));
    expect(await panelStatements()).to.have.length(1);
    await writeTickets(fx, Array.from({ length: 15 }, (_, i) => ({ number: 1010 + i, title: `More ${i}` })));
    const after = await statementsOf(() => alice.get('/tickets/1001'));
    expect(after.length, 'statements for 1 other ticket and for 16').to.equal(before.length);
    expect(await panelStatements()).to.have.length(1);
    const many = await alice.get('/tickets/1001');
    expect(many.text).to.contain('All their tickets').and.contain(`/tickets?contact=${fx.contacts.mario.id}`);
  });

  it('reads everything it shows in one statement, however long the conversation: notes, quoted text, files, history, quick replies; only its own workspace\'s', async () => {
    const ids = await writeTickets(fx, [{ number: 1001, title: 'Printer', assignee: 'bob' }]);
    const ticket = ids[1001];
    const acme = fx.acme.id;
    const say = (author: 'contact' | 'technician', body: string, extra: { internal?: boolean; quoted?: string } = {}) => sql<{ id: number }>(
      `insert into ticket_messages (tenant_id, ticket_id, author_kind, author_contact_id, author_technician_id, body, internal, quoted_text)
       values ($1, $2, $3, $4, $5, $6, $7, $8) returning id`,
      [acme, ticket, author, author === 'contact' ? fx.contacts.mario.id : null, author === 'technician' ? fx.technicians.alice.id : null, body, extra.internal ?? false, extra.quoted ?? null]);
    const attach = (name: string, message: number | null) => sql(
      "insert into attachments (tenant_id, ticket_id, message_id, file_name, content_type, size, data) values ($1, $2, $3, $4, 'text/plain', 3, 'abc')", [acme, ticket, message, name]);
    const [first] = await say('contact', 'It jams on every page', { quoted: 'On Monday you wrote: hello' });
    await attach('jam.jpg', first.id);
    await attach('opening.pdf', null);
    await sql("insert into ticket_events (tenant_id, ticket_id, actor_kind, actor_name, field, from_value, to_value) values ($1, $2, 'technician', 'Alice Admin', 'priority', 'medium', 'high')", [acme, ticket]);
    await sql("insert into quick_replies (tenant_id, name, body) values ($1, 'Toner check', 'Check the toner.'), ($2, 'Globex only', 'Not here.')", [acme, fx.globex.id]);
    // Another workspace's ticket of the same number, and its conversation, are never shown.
    await sql(`with t as (insert into tickets (tenant_id, number, title, customer_id, contact_id) values ($1, 1001, 'Globex printer', $2, $3) returning id)
               insert into ticket_messages (tenant_id, ticket_id, author_kind, author_contact_id, body) select $1, t.id, 'contact', $3, 'Homer was here' from t`,
    [fx.globex.id, fx.contacts.homer.customer.id, fx.contacts.homer.id]);

    const short = await statementsOf(() => alice.get('/tickets/1001'));
    for (let i = 0; i < 15; i++) {
      const [m] = await say(i % 3 ? 'contact' : 'technician', `Message ${i}`, { internal: i % 5 === 0 });
      if (i % 4 === 0) await attach(`file-${i}.txt`, m.id);
    }
    const long = await statementsOf(() => alice.get('/tickets/1001'));
    expect(long.length, 'statements for 1 message and for 16').to.equal(short.length);
    expect(long.filter((s) => /ticket_messages/.test(s)), 'statements reading the conversation').to.have.length(1);
    const page = await alice.get('/tickets/1001');
    expect(page.status).to.equal(200);
    expect(page.text).to.contain('It jams on every page').and.contain('On Monday you wrote: hello').and.contain('jam.jpg').and.contain('opening.pdf')
      .and.contain('Message 14').and.contain('file-12.txt').and.contain('class="badge internal"').and.contain('Toner check')
      .and.contain('<option value="' + fx.technicians.bob.id + '" selected');
    expect(page.text.match(/<article class="message /g), 'the description and 16 messages').to.have.length(17);
    for (const absent of ['Globex printer', 'Homer was here', 'Globex only']) expect(page.text).not.to.contain(absent);
  });

  it('says Saved in place after a property change, with the history beside it', async () => {
    await writeTickets(fx, [{ number: 1001, title: 'Printer' }]);
    const page = await alice.get('/tickets/1001');
    expect(page.text).to.contain('id="ticket-saved" class="saved" role="status"></p>');
    const changed = await alice.hx('post', '/tickets/1001/priority', { priority: 'high' });
    expect(changed.status).to.equal(200);
    expect(changed.text).to.match(/<p id="ticket-saved" class="saved" role="status" hx-swap-oob="true">Saved<\/p>/);
    const refused = await alice.hx('post', '/tickets/1001/priority', { priority: 'urgentest' });
    expect(refused.status).to.equal(422);
    expect(refused.text).not.to.contain('>Saved<');
  });

  it('edits the title in place: recorded in the history, raised as a title change; an empty one is refused and changes nothing', async () => {
    await writeTickets(fx, [{ number: 1001, title: 'Printr' }]);
    await alice.get('/tickets/1001');
    const form = await alice.hx('get', '/tickets/1001/title/edit');
    expect(form.text).not.to.contain('<html');
    expect(form.text).to.contain('name="title"').and.contain('value="Printr"');
    // Without JavaScript the Edit link opens the page with the form.
    expect((await alice.get('/tickets/1001/title/edit')).text).to.contain('<html').and.contain('id="f-title"');

    committed = [];
    const saved = await alice.hx('post', '/tickets/1001/title', { title: '  Printer <b>jam</b>  ' });
    expect(saved.status).to.equal(200);
    expect(saved.text).to.contain('#1001 Printer &lt;b&gt;jam&lt;/b&gt;').and.contain('changed the title from').and.contain('hx-swap-oob="true">Saved<');
    expect((await sql<{ title: string }>('select title from tickets where number = 1001'))[0].title).to.equal('Printer <b>jam</b>');
    expect(await history(1001)).to.deep.equal([{ field: 'title', from_value: 'Printr', to_value: 'Printer <b>jam</b>', actor_name: 'Alice Admin' }]);
    const events = committed.flat().map((e) => ({ ...e })) as Array<Record<string, unknown>>;
    expect(events.find((e) => e.type === 'ticket.title_changed')).to.include({ from: 'Printr', to: 'Printer <b>jam</b>' });

    const empty = await alice.hx('post', '/tickets/1001/title', { title: '   ' });
    expect(empty.status).to.equal(422);
    expect(empty.text).to.contain('Title is required.').and.contain('aria-describedby="e-title"').and.contain('value="   "');
    const tooLong = await alice.post('/tickets/1001/title', { title: 'x'.repeat(251) });
    expect(tooLong.status).to.equal(422);
    expect(tooLong.text).to.contain('<html').and.contain('at most 250 characters');
    expect((await sql<{ title: string }>('select title from tickets where number = 1001'))[0].title).to.equal('Printer <b>jam</b>');
    const plain = await alice.post('/tickets/1001/title', { title: 'Printer jam' });
    expect(plain.status).to.equal(303);
    expect(plain.headers.location).to.equal('/tickets/1001');
  });

  it('sends a reply and sets the status to Resolved in one step: one history entry, both events', async () => {
    await writeTickets(fx, [{ number: 1001, title: 'Printer' }]);
    const page = await alice.get('/tickets/1001');
    expect(page.text).to.contain('name="then" value="pending"').and.contain('Send and set to Resolved');
    committed = [];
    const res = await alice.post('/tickets/1001/replies', { body: 'Fixed: the toner was in upside down.', kind: 'public', then: 'resolved' });
    expect(res.status).to.equal(303);
    const [ticket] = await sql<{ status: string; messages: number; emails: number }>(
      `select t.status, (select count(*)::int from ticket_messages m where m.ticket_id = t.id) as messages,
              (select count(*)::int from outbound_emails o where o.ticket_id = t.id) as emails from tickets t where t.number = 1001`);
    // Two events, one email to the requester: the reply, saying the ticket is resolved and that replying reopens it.
    expect(ticket).to.deep.equal({ status: 'resolved', messages: 1, emails: 1 });
    expect(await history(1001)).to.deep.equal([{ field: 'status', from_value: 'open', to_value: 'resolved', actor_name: 'Alice Admin' }]);
    expect(committed).to.have.length(1);
    expect(committed[0].map((e) => e.type)).to.include.members(['ticket.technician_responded', 'ticket.status_changed', 'ticket.resolved']);

    await alice.post('/tickets/1001/replies', { body: 'A note, then pending', kind: 'note', then: 'pending' });
    expect((await sql<{ status: string }>('select status from tickets where number = 1001'))[0].status).to.equal('pending');
  });

  it('refuses an unknown status after a reply with 422, writing neither the reply nor the status', async () => {
    await writeTickets(fx, [{ number: 1001, title: 'Printer' }]);
    await alice.get('/tickets/1001');
    const res = await alice.post('/tickets/1001/replies', { body: 'Kept text', kind: 'public', then: 'closed' });
    expect(res.status).to.equal(422);
    expect(res.text).to.contain('Kept text');
    const [ticket] = await sql<{ status: string; messages: number }>(
      'select t.status, (select count(*)::int from ticket_messages m where m.ticket_id = t.id) as messages from tickets t where t.number = 1001');
    expect(ticket).to.deep.equal({ status: 'open', messages: 0 });
    // An empty reply with a status is refused as an empty reply, the status untouched.
    expect((await alice.post('/tickets/1001/replies', { body: '', kind: 'public', then: 'resolved' })).status).to.equal(422);
    expect((await sql<{ status: string }>('select status from tickets where number = 1001'))[0].status).to.equal('open');
  });

  it('attributes the opening message of a ticket a technician opened to the technician, on the page and in the portal', async () => {
    await alice.get('/tickets/new');
    await alice.post('/tickets', { contact: fx.contacts.mario.id, title: 'Phoned in', description: 'Mario rang: the printer is on fire.', priority: 'medium', type: 'question' });
    expect((await sql<{ opened_by_id: number }>('select opened_by_id from tickets where number = 1001'))[0].opened_by_id).to.equal(fx.technicians.alice.id);
    const page = await alice.get('/tickets/1001');
    const description = page.text.slice(page.text.indexOf('id="description"') - 60, page.text.indexOf('</header>', page.text.indexOf('id="description"')));
    expect(description).to.contain('from-technician').and.contain('<strong>Alice Admin</strong>').and.contain('opened for Mario Rossi');
    const mario = await signInToPortal('mario');
    const portal = await mario.get('/portal/tickets/1001');
    expect(portal.text).to.contain('<strong>Alice Admin</strong>');
    // A ticket the contact opened is still theirs.
    await writeTickets(fx, [{ number: 1002, title: 'Mine' }]);
    const own = await alice.get('/tickets/1002');
    expect(own.text).to.contain('from-contact" id="description"');
    expect(own.text).not.to.contain('opened for');
  });

  it('creates the requester inline with the ticket, placed by its address; a bad or taken address is refused beside its field, creating nothing', async () => {
    await alice.get('/tickets/new');
    const bad = await alice.post('/tickets', { contact: '', newFirstName: 'Wario', newEmail: 'not-an-address', title: 'Coins', priority: 'medium', type: 'question' });
    expect(bad.status).to.equal(422);
    expect(bad.text).to.contain('aria-describedby="e-newEmail"').and.contain('value="Wario"').and.contain('value="Coins"').and.contain('<details class="new-contact" open>');
    const taken = await alice.post('/tickets', { contact: '', newEmail: 'MARIO@rossi.test', title: 'Coins', priority: 'medium', type: 'question' });
    expect(taken.status).to.equal(422);
    expect(taken.text).to.contain('Mario Rossi');
    const noTitle = await alice.post('/tickets', { contact: '', newEmail: 'wario@newco.test', title: '', priority: 'medium', type: 'question' });
    expect(noTitle.status).to.equal(422);
    expect(await sql("select id from contacts where email = 'wario@newco.test'")).to.have.length(0);
    expect(await sql('select id from tickets')).to.have.length(0);

    const ok = await alice.post('/tickets', { contact: '', newFirstName: 'Wario', newLastName: 'Bros', newEmail: 'wario@newco.test', newPhone: '+39 333 1', title: 'Coins', priority: 'medium', type: 'question' });
    expect(ok.status).to.equal(303);
    const [row] = await sql<{ name: string; phone: string; customer: string; requester: string }>(
      `select c.first_name || ' ' || c.last_name as name, c.phone, cu.name as customer, t.title as requester from tickets t join contacts c on c.id = t.contact_id join customers cu on cu.id = t.customer_id where t.number = 1001`);
    expect(row).to.deep.include({ name: 'Wario Bros', phone: '+39 333 1', requester: 'Coins' });
  });

  it('shows times as "ago" with the full time on hover, in the viewer\'s language and the workspace\'s time zone', async () => {
    await writeTickets(fx, [{ number: 1001, title: 'Printer', updatedHoursAgo: 3 }]);
    await sql("update tickets set created_at = now() - interval '3 hours'");
    const page = await alice.get('/tickets/1001');
    expect(page.text).to.match(/<time datetime="[0-9T:.-]+Z" title="[A-Z][a-z]+day, \d+ [A-Z][a-z]+ \d{4} at \d\d:\d\d [A-Z+0-9]+">3 hours ago<\/time>/);
    const list = await alice.get('/tickets?view=all');
    expect(list.text).to.match(/title="[A-Z][a-z]+day, [^"]+">3 hours ago<\/time>/);
    await speakItalian('acme');
    const italian = await alice.get('/tickets/1001');
    expect(italian.text).to.match(/title="[a-zì]+ \d+ [a-z]+ \d{4} alle ore \d\d:\d\d (CET|CEST)">3 ore fa<\/time>/);
  });
});
