// Admin > Incoming Mail: the ingest log with its filters and pages, what an admin
// does with a row (create contact and ticket, dismiss, retry), the raw download.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { ingestMessage } from '../../src/inbound/ingest.js';
import { drainJobs, h, loadFixtures, signIn, sql, type Fixtures } from '../support/index.js';

const corpus = (name: string) => Buffer.from(readFileSync(path.resolve('test/fixtures/mail', name), 'utf8').replaceAll('support@acme.test', 'help@acme.test'));

describe('Admin > Incoming Mail', () => {
  let f: Fixtures;
  let mailbox: { id: number; address: string };

  beforeEach(async () => {
    f = await loadFixtures();
    const [row] = await sql<{ id: number }>(`insert into mailboxes (tenant_id, address, host, port, tls, username, password_sealed, password_key_version, enabled)
      values ($1, 'help@acme.test', 'imap.example.com', 993, 'tls', 'help', 'x', 1, false) returning id`, [f.acme.id]);
    mailbox = { id: row.id, address: 'help@acme.test' };
    await sql(`update email_settings set auto_create_contacts = true, send_welcome_email = true,
      welcome_template_id = (select id from email_templates t where t.tenant_id = email_settings.tenant_id and t.name like 'New % welcome') where tenant_id = $1`, [f.acme.id]);
  });

  const ingest = (file: string) => ingestMessage({ tenantId: f.acme.id, mailbox, raw: corpus(file) });
  const rowOf = async (outcome: string) => (await sql<{ id: number; outcome: string; reason: string; ticket_id: number | null; contact_id: number | null; attempts: number }>(
    'select id, outcome, reason, ticket_id, contact_id, attempts from inbound_messages where outcome = $1 order by id', [outcome]))[0];

  it('lists every message with its outcome in words, links to its ticket and contact, and filters by outcome, mailbox and sender', async () => {
    expect((await ingest('known-contact.eml')).outcome).to.equal('ticket_created');
    expect((await ingest('loop-own-address.eml')).outcome).to.equal('ignored_loop');
    await sql('update email_settings set auto_create_contacts = false where tenant_id = $1', [f.acme.id]);
    expect((await ingest('new-sender.eml')).outcome).to.equal('rejected_unknown_sender');
    const alice = await signIn('alice');
    const page = await alice.get('/admin/incoming-mail');
    expect(page.status).to.equal(200);
    expect(page.text).to.contain('href="/admin/incoming-mail" class="active">Incoming Mail</a>');
    expect(page.text).to.contain('Ticket created').and.contain('Ignored: loop').and.contain('Rejected: unknown sender')
      .and.contain('new contacts are not created from email').and.contain('help@acme.test').and.contain('3 messages');
    const ticket = (await sql<{ number: number; contact_id: number }>("select number, contact_id from tickets where title = 'VPN down'"))[0];
    expect(page.text).to.contain(`href="/tickets/${ticket.number}">#${ticket.number} VPN down</a>`).and.contain(`href="/contacts/${ticket.contact_id}">mario@rossi.test</a>`);
    // Only rejected and failed rows can be downloaded, admitted or dismissed.
    expect(page.text.match(/\/raw" download>/g)).to.have.length(1);
    expect(page.text.match(/Create contact and ticket/g)).to.have.length(1);

    const rejected = await alice.get('/admin/incoming-mail?outcome=rejected_unknown_sender');
    expect(rejected.text).to.contain('1 message').and.contain('The printer on the second floor').and.not.contain('VPN down');
    const bySender = await alice.get('/admin/incoming-mail?sender=ROSSI');
    expect(bySender.text).to.contain('VPN down').and.not.contain('The printer');
    const otherBox = await alice.get(`/admin/incoming-mail?mailbox=${mailbox.id + 1}`);
    expect(otherBox.text).to.contain('No messages match.');
    const byBox = await alice.get(`/admin/incoming-mail?mailbox=${mailbox.id}&outcome=ignored_loop`);
    expect(byBox.text).to.contain('1 message').and.contain('Ignored: loop');
    // Nonsense in the query string is no filter, not an error.
    const nonsense = await alice.get("/admin/incoming-mail?outcome=drop%20table&mailbox=-1&page=abc&sender=%25_");
    expect(nonsense.status).to.equal(200);
    expect(nonsense.text).to.contain('No messages match.');
  });

  it('pages the log 50 at a time, newest first, keeping the filters', async () => {
    await sql(`insert into inbound_messages (tenant_id, mailbox_id, message_key, from_address, subject, outcome, reason, created_at)
      select $1, $2, '<m' || i || '@x.test>', 'sender' || i || '@x.test', 'Message ' || i, 'ignored_automated', 'precedence', now() - make_interval(mins => i)
        from generate_series(1, 55) i`, [f.acme.id, mailbox.id]);
    const alice = await signIn('alice');
    const first = await alice.get('/admin/incoming-mail?outcome=ignored_automated');
    expect(first.text).to.contain('55 messages').and.contain('page 1 of 2').and.contain('>Message 1<').and.contain('>Message 50<').and.not.contain('>Message 51<');
    expect(first.text).to.contain('href="/admin/incoming-mail?outcome=ignored_automated&amp;page=2" rel="next"');
    const second = await alice.get('/admin/incoming-mail?outcome=ignored_automated&page=2');
    expect(second.text).to.contain('>Message 51<').and.contain('>Message 55<').and.not.contain('>Message 50<');
    expect((second.text.match(/<tr class="outcome-/g) ?? []).length).to.equal(5);
  });

  it("shows only the workspace's own messages, mailboxes and counts, under another workspace's", async () => {
    await ingest('known-contact.eml');
    const [theirBox] = await sql<{ id: number }>(`insert into mailboxes (tenant_id, address, host, port, tls, username, password_sealed, password_key_version, enabled)
      values ($1, 'desk@globex.test', 'imap.example.com', 993, 'tls', 'desk', 'x', 1, false) returning id`, [f.globex.id]);
    await sql(`insert into inbound_messages (tenant_id, mailbox_id, message_key, from_address, subject, outcome, reason)
      select $1, $2, '<g' || i || '@x.test>', 'rossi' || i || '@globex.test', 'Globex message ' || i, 'ticket_created', 'email'
        from generate_series(1, 60) i`, [f.globex.id, theirBox.id]);
    const alice = await signIn('alice');
    const page = await alice.get('/admin/incoming-mail');
    expect(page.text).to.contain('VPN down').and.contain('1 message').and.not.contain('Globex message').and.not.contain('desk@globex.test');
    expect(page.text).to.not.contain('class="pager"');
    // The same filters as theirs find nothing of theirs: an outcome, a sender, their mailbox's id.
    const byOutcome = await alice.get('/admin/incoming-mail?outcome=ticket_created&sender=rossi');
    expect(byOutcome.text).to.contain('1 message').and.contain('VPN down').and.not.contain('Globex message');
    const byTheirBox = await alice.get(`/admin/incoming-mail?mailbox=${theirBox.id}`);
    expect(byTheirBox.text).to.contain('No messages match.').and.contain('0 messages');
    const gina = await signIn('gina');
    const theirs = await gina.get('/admin/incoming-mail');
    expect(theirs.text).to.contain('60 messages').and.contain('page 1 of 2').and.contain('desk@globex.test').and.not.contain('VPN down').and.not.contain('help@acme.test');
  });

  it('creates the contact and the ticket from a rejected message, on the same row, and welcomes the new contact', async () => {
    await sql('update email_settings set auto_create_contacts = false where tenant_id = $1', [f.acme.id]);
    await ingest('new-sender.eml');
    const row = await rowOf('rejected_unknown_sender');
    expect(await sql("select id from contacts where email = 'giulia.verdi@newco.test'")).to.deep.equal([]);
    const alice = await signIn('alice');
    await alice.get('/admin/incoming-mail');
    const res = await alice.post(`/admin/incoming-mail/${row.id}/admission`);
    expect(res.status).to.equal(303);
    const [after] = await sql<{ outcome: string; reason: string; ticket_id: number; contact_id: number }>('select outcome, reason, ticket_id, contact_id from inbound_messages');
    expect(after).to.include({ outcome: 'ticket_created', reason: 'admitted_new_contact' });
    const [ticket] = await sql<{ id: number; title: string; contact_id: number; source: string; support_address: string }>('select id, title, contact_id, source, support_address from tickets');
    expect(ticket).to.deep.equal({ id: after.ticket_id, title: 'The printer on the second floor', contact_id: after.contact_id, source: 'email', support_address: 'help@acme.test' });
    const [contact] = await sql<{ email: string; first_name: string; source: string }>('select email, first_name, source from contacts where id = $1', [after.contact_id]);
    expect(contact).to.deep.equal({ email: 'giulia.verdi@newco.test', first_name: 'Giulia', source: 'email' });
    expect((await alice.get('/admin/incoming-mail')).text).to.contain('The contact and the ticket are created.').and.contain('Made a contact and a ticket by an admin.');
    await drainJobs();
    expect(h().mail.messages.map((m) => m.to[0])).to.include('giulia.verdi@newco.test');
    // Twice is once.
    await alice.post(`/admin/incoming-mail/${row.id}/admission`);
    expect(await sql('select id from tickets')).to.have.length(1);
  });

  it('makes a ticket of mail set aside (an out-of-office lookalike with no thread), when the admin asks; a loop is not offered', async () => {
    await ingest('out-of-office-italian.eml');
    await ingest('loop-own-address.eml');
    const setAside = await rowOf('ignored_auto_reply');
    const loop = await rowOf('ignored_loop');
    const alice = await signIn('alice');
    const page = await alice.get('/admin/incoming-mail');
    expect(page.text).to.contain(`/admin/incoming-mail/${setAside.id}/admission`).and.not.contain(`/admin/incoming-mail/${loop.id}/admission`);
    expect((await alice.post(`/admin/incoming-mail/${setAside.id}/admission`)).status).to.equal(303);
    expect(await sql('select title from tickets')).to.deep.equal([{ title: 'Risposta automatica: Fuori sede fino al 10 dicembre' }]);
    await alice.get('/admin/incoming-mail');
    await alice.post(`/admin/incoming-mail/${loop.id}/admission`);
    expect(await sql('select id from tickets')).to.have.length(1);
  });

  it('makes a ticket for a contact who blocks automatic tickets, when the admin asks', async () => {
    await sql("update contacts set no_auto_tickets = true where email = 'mario@rossi.test'");
    await ingest('known-contact.eml');
    const row = await rowOf('rejected_blocked_contact');
    const alice = await signIn('alice');
    await alice.get('/admin/incoming-mail');
    await alice.post(`/admin/incoming-mail/${row.id}/admission`);
    const [after] = await sql<{ outcome: string; reason: string }>('select outcome, reason from inbound_messages');
    expect(after).to.deep.equal({ outcome: 'ticket_created', reason: 'admitted' });
    expect(await sql("select t.title from tickets t join contacts c on c.id = t.contact_id where c.email = 'mario@rossi.test'")).to.deep.equal([{ title: 'VPN down' }]);
  });

  it('dismisses a rejected message, which then offers nothing more', async () => {
    await sql('update email_settings set auto_create_contacts = false where tenant_id = $1', [f.acme.id]);
    await ingest('new-sender.eml');
    const row = await rowOf('rejected_unknown_sender');
    const alice = await signIn('alice');
    await alice.get('/admin/incoming-mail');
    expect((await alice.post(`/admin/incoming-mail/${row.id}/dismissal`)).status).to.equal(303);
    expect((await sql<{ outcome: string }>('select outcome from inbound_messages'))[0].outcome).to.equal('dismissed');
    const page = await alice.get('/admin/incoming-mail');
    expect(page.text).to.contain('The message is dismissed.').and.contain('Dismissed').and.not.contain('Create contact and ticket').and.not.contain('/raw"');
    await alice.post(`/admin/incoming-mail/${row.id}/admission`);
    expect(await sql('select id from tickets')).to.deep.equal([]);
    expect(h().mail.messages).to.deep.equal([]);
  });

  it('retries a failed message from its stored bytes; a second failure parks it again', async () => {
    const raw = corpus('known-contact.eml');
    const [row] = await sql<{ id: number }>(`insert into inbound_messages (tenant_id, mailbox_id, message_key, from_address, subject, size, outcome, reason, attempts, last_error, raw)
      values ($1, $2, '<known-1@rossi.test>', 'mario@rossi.test', 'VPN down', $3, 'failed', 'error', 5, 'connection reset', $4) returning id`, [f.acme.id, mailbox.id, raw.length, raw]);
    const alice = await signIn('alice');
    const page = await alice.get('/admin/incoming-mail?outcome=failed');
    expect(page.text).to.contain('Processing failed').and.contain('Attempts: 5.').and.not.contain('connection reset');
    expect(page.text.match(/>Retry</g)).to.have.length(1);
    expect((await alice.post(`/admin/incoming-mail/${row.id}/retry`)).status).to.equal(303);
    expect(await sql('select outcome, attempts, ticket_id is not null as ticket from inbound_messages where id = $1', [row.id]))
      .to.deep.equal([{ outcome: 'ticket_created', attempts: 0, ticket: true }]);
    expect(await sql("select title from tickets")).to.deep.equal([{ title: 'VPN down' }]);
    expect((await alice.get('/admin/incoming-mail')).text).to.contain('The message is processed.');

    // A message that fails again (here the database refuses its ticket) is parked as failed, with the attempt counted.
    const raw2 = Buffer.from('From: Mario Rossi <mario@rossi.test>\r\nSubject: Broken\r\nMessage-ID: <broken@rossi.test>\r\n\r\nIt breaks.');
    const [broken] = await sql<{ id: number }>(`insert into inbound_messages (tenant_id, mailbox_id, message_key, subject, outcome, reason, attempts, raw)
      values ($1, $2, '<broken@rossi.test>', 'Broken', 'failed', 'error', 5, $3) returning id`, [f.acme.id, mailbox.id, raw2]);
    await sql(`create function refuse_broken() returns trigger language plpgsql as $$ begin if new.title = 'Broken' then raise exception 'refused by the test'; end if; return new; end $$`);
    await sql('create trigger refuse_broken before insert on tickets for each row execute function refuse_broken()');
    try {
      await alice.get('/admin/incoming-mail');
      await alice.post(`/admin/incoming-mail/${broken.id}/retry`);
    } finally {
      await sql('drop trigger refuse_broken on tickets');
      await sql('drop function refuse_broken');
    }
    expect(await sql('select outcome, attempts from inbound_messages where id = $1', [broken.id])).to.deep.equal([{ outcome: 'failed', attempts: 1 }]);
    const list = await alice.get('/admin/incoming-mail');
    expect(list.text).to.contain('The message failed again').and.not.contain('refused by the test');
  });

  it('downloads the raw message of a rejected or failed row as a file, and no other', async () => {
    await sql('update email_settings set auto_create_contacts = false where tenant_id = $1', [f.acme.id]);
    await ingest('new-sender.eml');
    await sql('update email_settings set auto_create_contacts = true where tenant_id = $1', [f.acme.id]);
    await ingest('known-contact.eml');
    const rejected = await rowOf('rejected_unknown_sender');
    const created = await rowOf('ticket_created');
    const alice = await signIn('alice');
    const res = await alice.agent.get(`/admin/incoming-mail/${rejected.id}/raw`).set('Host', alice.host).buffer(true)
      .parse((stream, done) => { const parts: Buffer[] = []; stream.on('data', (c: Buffer) => parts.push(c)); stream.on('end', () => done(null, Buffer.concat(parts))); });
    expect(res.status).to.equal(200);
    expect(res.headers['content-type']).to.equal('message/rfc822');
    expect(res.headers['content-disposition']).to.equal(`attachment; filename="incoming-${rejected.id}.eml"`);
    expect(res.headers['x-content-type-options']).to.equal('nosniff');
    expect((res.body as Buffer).equals(corpus('new-sender.eml'))).to.equal(true);
    expect((await alice.get(`/admin/incoming-mail/${created.id}/raw`)).status).to.equal(404);
  });

  it('is for admins only', async () => {
    await sql('update email_settings set auto_create_contacts = false where tenant_id = $1', [f.acme.id]);
    await ingest('new-sender.eml');
    const row = await rowOf('rejected_unknown_sender');
    const bob = await signIn('bob');
    await bob.get('/');
    for (const [method, url] of [['get', '/admin/incoming-mail'], ['get', `/admin/incoming-mail/${row.id}/raw`], ['post', `/admin/incoming-mail/${row.id}/admission`],
      ['post', `/admin/incoming-mail/${row.id}/dismissal`], ['post', `/admin/incoming-mail/${row.id}/retry`]] as const) {
      const res = method === 'get' ? await bob.get(url) : await bob.post(url);
      expect(res.status, `${method} ${url}`).to.equal(403);
    }
    expect((await rowOf('rejected_unknown_sender')).id).to.equal(row.id);
    expect(await sql('select id from tickets')).to.deep.equal([]);
  });
});
