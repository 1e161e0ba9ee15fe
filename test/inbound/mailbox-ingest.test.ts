// Support mailboxes on a real Dovecot: messages appended over IMAP, the poll run,
// then tickets, contacts, messages, the ingest log, flags and sent mail checked.
// The corpus is test/fixtures/mail/*.eml; the table below says what each becomes.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { inTenant, subscribe } from '../../src/db/unit-of-work.js';
import { Mailbox } from '../../src/domain/mailbox/mailbox.js';
import { createMailbox, updateMailbox } from '../../src/domain/mailbox/mailboxes.js';
import { Tenant as TenantEntity, type Tenant } from '../../src/domain/tenant/tenant.js';
import { ingestMessage } from '../../src/inbound/ingest.js';
import { DOWNLOAD_CHUNK } from '../../src/inbound/download.js';
import { pollMailbox } from '../../src/inbound/poll.js';
import { pruneRawMessages } from '../../src/inbound/prune.js';
import { drainJobs, h, loadFixtures, signIn, signInToPortal, sql, type Fixtures } from '../support/index.js';
import { DOVECOT, Dovecot, type MailUser } from '../support/dovecot.js';
import { requireProgram } from '../support/require-program.js';

/** A corpus message, its bytes as they are (8-bit charsets too), addressed to `to`. */
const corpus = (name: string, to = 'support@acme.test') =>
  Buffer.from(readFileSync(path.resolve('test/fixtures/mail', name), 'latin1').replaceAll('support@acme.test', to), 'latin1');

interface Case {
  file: string;
  outcome: string;
  /** What else must hold once it is ingested. */
  check?: (f: Fixtures) => Promise<void>;
}

const ticketOf = async (subjectLike: string) =>
  (await sql<{ number: number; title: string; description: string; source: string; email: string; support_address: string }>(
    `select t.number, t.title, t.description, t.source, c.email, t.support_address from tickets t join contacts c on c.id = t.contact_id where t.title like $1`, [subjectLike]))[0];

const CASES: Case[] = [
  { file: 'new-sender.eml', outcome: 'ticket_created', async check() {
    const [contact] = await sql<{ email: string; first_name: string; last_name: string; source: string; portal_access: boolean; customer: string }>(
      `select c.email, c.first_name, c.last_name, c.source, c.portal_access, cu.name as customer from contacts c join customers cu on cu.id = c.customer_id where c.email = 'giulia.verdi@newco.test'`);
    expect(contact).to.deep.include({ first_name: 'Giulia', last_name: 'Verdi', source: 'email', portal_access: true });
    const ticket = await ticketOf('The printer%');
    expect(ticket).to.include({ source: 'email', email: 'giulia.verdi@newco.test' });
    expect(ticket.description).to.contain('jams on every page');
    await drainJobs();
    expect(h().mail.messages.map((m) => m.to[0])).to.include('giulia.verdi@newco.test');
  } },
  { file: 'known-contact.eml', outcome: 'ticket_created', async check() {
    expect(await ticketOf('VPN down')).to.include({ email: 'mario@rossi.test' });
    expect(await sql("select id from contacts where email like '%rossi.test'")).to.have.length(2);
  } },
  { file: 'spoofed-display-name.eml', outcome: 'ticket_created', async check() {
    expect(await ticketOf('Reset my password%')).to.include({ email: 'evil@attacker.test' });
  } },
  { file: 'loop-own-address.eml', outcome: 'ignored_loop', async check() {
    expect(await sql('select id from tickets')).to.deep.equal([]);
  } },
  { file: 'out-of-office-italian.eml', outcome: 'ignored_auto_reply', async check() {
    expect(await sql('select id from tickets')).to.deep.equal([]);
    expect(await sql("select id from contacts where email = 'luca@neri.test'")).to.deep.equal([]);
  } },
  { file: 'monitoring-alert.eml', outcome: 'ticket_created', async check() {
    expect(await ticketOf('PROBLEM: disk%')).to.include({ email: 'nagios@monitor.test' });
    expect(await sql('select automatic from tickets')).to.deep.equal([{ automatic: true }]);
    await drainJobs();
    // Automatic mail causes no automatic mail: the new contact is not welcomed.
    expect(h().mail.messages.map((m) => m.to[0])).not.to.include('nagios@monitor.test');
  } },
  { file: 'newsletter.eml', outcome: 'ticket_created' },
  { file: 'latin1-encoded-words.eml', outcome: 'ticket_created', async check() {
    const ticket = await ticketOf('Il caff%');
    expect(ticket.title).to.equal('Il caffè è freddo');
    expect(ticket.description).to.contain('non scalda più');
    expect((await sql<{ first_name: string; last_name: string }>("select first_name, last_name from contacts where email = 'andre@latin1.test'"))[0]).to.deep.equal({ first_name: 'André', last_name: 'Cafè' });
  } },
  { file: 'windows-1252.eml', outcome: 'ticket_created', async check() {
    const ticket = await ticketOf('Preventivo%');
    expect(ticket.title).to.equal('Preventivo € 1.200');
    expect(ticket.description).to.equal('Il preventivo è pronto: 1.200 € – grazie “mille”.');
  } },
  { file: 'iso-2022-jp.eml', outcome: 'ticket_created', async check() {
    const ticket = await ticketOf('会議%');
    expect(ticket.title).to.equal('会議の件');
    expect(ticket.description).to.equal('明日の会議は10時からです。');
  } },
  { file: 'no-message-id.eml', outcome: 'ticket_created', async check() {
    const [row] = await sql<{ message_key: string }>('select message_key from inbound_messages');
    expect(row.message_key).to.match(/^sha256:[0-9a-f]{64}$/);
  } },
  { file: 'html-only.eml', outcome: 'ticket_created', async check() {
    const ticket = await ticketOf('Screenshot%');
    expect(ticket.description).to.contain('The error says Access denied.').and.not.contain('<script').and.not.contain('alert(1)');
  } },
  { file: 'with-attachment.eml', outcome: 'ticket_created', async check() {
    const files = await sql<{ file_name: string; size: number; data: Buffer }>('select file_name, size, data from attachments');
    expect(files.map((f) => [f.file_name, f.size, f.data.toString()])).to.deep.equal([['server.log', 22, 'log line 1\nlog line 2\n']]);
  } },
  // Dovecot hands NUL bytes on as 0x80 (shown as U+FFFD); a NUL that reaches the pipeline itself is below.
  { file: 'nul-bytes.eml', outcome: 'ticket_created', async check() {
    expect((await ticketOf('Nul%')).description).to.match(/^A NUL.? byte in the body\.$/u);
  } },
  { file: 'no-from.eml', outcome: 'rejected_unknown_sender' },
];

describe('Support mailboxes polled over IMAP', function () {
  this.timeout(60_000);
  const dovecot = new Dovecot();
  let f: Fixtures;
  let n = 0;

  before(async function () {
    requireProgram(this, DOVECOT, 'Dovecot', 'apt-get install -y dovecot-imapd');
    await dovecot.start();
  });
  after(async () => { await dovecot.stop(); });

  beforeEach(async () => {
    f = await loadFixtures();
    await sql(`update email_settings set auto_create_contacts = true, send_welcome_email = true,
      welcome_template_id = (select id from email_templates t where t.tenant_id = email_settings.tenant_id and t.name like 'New % welcome') where tenant_id = $1`, [f.acme.id]);
  });

  /** A fresh IMAP account and a mailbox of `tenant` polling it (over plain IMAP on loopback). */
  async function supportAddress(tenant: Tenant, overrides: Record<string, unknown> = {}): Promise<{ user: MailUser; mailboxId: number; address: string }> {
    n += 1;
    const address = `support-${n}@${tenant.slug}.test`;
    const user = dovecot.addUser(address);
    const mailboxId = await inTenant(tenant.id, async (em) => (await createMailbox(em, await em.findOneOrFail(TenantEntity, { id: tenant.id }), {
      address, host: '127.0.0.1', port: String(dovecot.port), tls: 'none', username: address, password: user.password, ...overrides,
    })).id);
    return { user, mailboxId, address };
  }

  const outcomes = async () => (await sql<{ outcome: string }>('select outcome from inbound_messages order by id')).map((r) => r.outcome);

  for (const c of CASES) {
    it(`${c.file} → ${c.outcome}`, async () => {
      const box = await supportAddress(f.acme);
      await dovecot.append(box.user, [corpus(c.file, box.address)]);
      const report = await pollMailbox(f.acme.id, box.mailboxId);
      expect(report.problem).to.equal(undefined);
      expect(await outcomes()).to.deep.equal([c.outcome]);
      await c.check?.(f);
      const flags = await dovecot.flags(box.user);
      expect(Object.values(flags).every((fl) => fl.includes('\\Seen')), JSON.stringify(flags)).to.equal(true);
    });
  }

  it('threads a reply by [#number] or by our Message-ID, strips the quote, and refuses a stranger the thread', async () => {
    const box = await supportAddress(f.acme);
    await dovecot.append(box.user, [corpus('known-contact.eml', box.address)]);
    await pollMailbox(f.acme.id, box.mailboxId);
    const reply = (from: string, id: string, subject: string, headers = '') =>
      `From: ${from}\nTo: ${box.address}\nSubject: ${subject}\nMessage-ID: <${id}>\n${headers}Content-Type: text/plain\n\nIt works again, thanks.\n\nOn Tue, 1 Dec 2026 at 10:00, Acme <${box.address}> wrote:\n> Please restart the router.\n`;
    await dovecot.append(box.user, [
      reply('Mario Rossi <MARIO@rossi.test>', 'r1@rossi.test', 'Re: [#1001] VPN down'),
      reply('Luigi Rossi <luigi@rossi.test>', 'r2@rossi.test', 'Re: [#1001] VPN down'),
      reply('Mario Rossi <mario@rossi.test>', 'r3@rossi.test', 'Re: VPN down', 'In-Reply-To: <known-1@rossi.test>\n'),
    ]);
    await pollMailbox(f.acme.id, box.mailboxId);
    expect(await outcomes()).to.deep.equal(['ticket_created', 'message_added', 'ticket_created', 'message_added']);
    const messages = await sql<{ body: string; quoted_text: string; number: number }>('select m.body, m.quoted_text, t.number from ticket_messages m join tickets t on t.id = m.ticket_id order by m.id');
    expect(messages.map((m) => m.number)).to.deep.equal([1001, 1001]);
    expect(messages[0].body).to.equal('It works again, thanks.');
    expect(messages[0].quoted_text).to.contain('> Please restart the router.');
    // The ticket page shows the new text, and the quote behind "Show quoted text" (the portal too).
    const alice = await signIn('alice');
    const page = await alice.get('/tickets/1001');
    expect(page.text).to.contain('It works again, thanks.').and.contain('<summary>Show quoted text</summary>').and.contain('&gt; Please restart the router.');
    const mario = await signInToPortal('mario');
    expect((await mario.get('/portal/tickets/1001')).text).to.contain('<summary>Show quoted text</summary>');
    // Luigi is not the requester nor a main contact: his "reply" is a ticket of his own.
    expect(await ticketOf('Re: [#1001]%')).to.include({ email: 'luigi@rossi.test', number: 1002 });
  });

  it('takes each message once: a second poll, a lost \\Seen flag, a changed UIDVALIDITY and two polls at once make no duplicate', async () => {
    const box = await supportAddress(f.acme);
    await dovecot.append(box.user, ['known-contact.eml', 'new-sender.eml', 'html-only.eml'].map((file) => corpus(file, box.address)));
    const [a, b] = await Promise.all([pollMailbox(f.acme.id, box.mailboxId), pollMailbox(f.acme.id, box.mailboxId)]);
    expect([a.polled, b.polled].sort()).to.deep.equal([false, true]);
    expect(await sql('select id from tickets')).to.have.length(3);
    // As if the process died after the commits and before the flags, and the folder was rebuilt.
    const client = dovecot.client(box.user);
    await client.connect();
    await client.mailboxOpen('INBOX');
    await client.messageFlagsRemove('1:*', ['\\Seen']);
    await client.logout();
    await sql("update mailboxes set last_uid = 0, uid_validity = 12345 where id = $1", [box.mailboxId]);
    await sql('update mailbox_polls set next_poll_at = now()');
    const again = await pollMailbox(f.acme.id, box.mailboxId);
    expect(again.results.map((r) => r.outcome)).to.deep.equal(['ignored_duplicate', 'ignored_duplicate', 'ignored_duplicate']);
    expect(await sql('select id from tickets')).to.have.length(3);
    expect(Object.values(await dovecot.flags(box.user)).every((fl) => fl.includes('\\Seen'))).to.equal(true);
    const [mailbox] = await sql<{ total_count: number; last_error: string | null; last_uid: string }>('select total_count, last_error, last_uid from mailboxes where id = $1', [box.mailboxId]);
    expect(mailbox).to.deep.equal({ total_count: 3, last_error: null, last_uid: '3' });
  });

  it('takes messages in turn: each one committed and flagged before the next begins; one that fails is retried and touches no neighbour', async () => {
    const box = await supportAddress(f.acme);
    const message = (k: number, subject: string) => `From: Mario Rossi <mario@rossi.test>\nTo: ${box.address}\nSubject: ${subject}\nMessage-ID: <turn-${k}@rossi.test>\n\nMessage ${k}\n`;
    await dovecot.append(box.user, [message(1, 'First'), message(2, 'Will fail'), message(3, 'Third'), message(4, 'Fourth')]);
    await sql(`create or replace function refuse_ticket() returns trigger language plpgsql as $$ begin if new.title = 'Will fail' then raise exception 'disk full'; end if; return new; end $$`);
    await sql('create trigger refuse_ticket before insert on tickets for each row execute function refuse_ticket()');
    // As each ticket commits: what the rest of the world sees committed, and what the folder has flagged \Seen.
    const seen = (flags: Record<number, string[]>) => Object.entries(flags).filter(([, fl]) => fl.includes('\\Seen')).map(([uid]) => Number(uid));
    const atCommit: Array<{ tickets: string[]; seen: number[] }> = [];
    const stop = subscribe({ name: 'test: the world at each commit', async beforeCommit(events) {
      if (!events.some((e) => e.type === 'ticket.created')) return;
      atCommit.push({ tickets: (await sql<{ title: string }>('select title from tickets order by id')).map((t) => t.title), seen: seen(await dovecot.flags(box.user)) });
    } });
    try {
      await pollMailbox(f.acme.id, box.mailboxId);
    } finally {
      stop();
      await sql('drop trigger refuse_ticket on tickets');
    }
    expect(atCommit).to.deep.equal([
      { tickets: [], seen: [] },
      { tickets: ['First'], seen: [1] },
      { tickets: ['First', 'Third'], seen: [1, 3] },
    ]);
    expect(await outcomes()).to.deep.equal(['ticket_created', 'retrying', 'ticket_created', 'ticket_created']);
    expect(seen(await dovecot.flags(box.user))).to.deep.equal([1, 3, 4]);
    expect(await sql('select last_uid from mailboxes where id = $1', [box.mailboxId])).to.deep.equal([{ last_uid: '4' }]);
    // The next poll takes the one that failed, and only it.
    await sql('update mailbox_polls set next_poll_at = now()');
    expect((await pollMailbox(f.acme.id, box.mailboxId)).results.map((r) => r.outcome)).to.deep.equal(['ticket_created']);
    expect((await sql<{ title: string }>('select title from tickets order by id')).map((t) => t.title)).to.deep.equal(['First', 'Third', 'Fourth', 'Will fail']);
    expect(seen(await dovecot.flags(box.user))).to.deep.equal([1, 2, 3, 4]);
  });

  it('takes a message with NUL bytes in its headers and body, stripped', async () => {
    const result = await ingestMessage({ tenantId: f.acme.id, mailbox: null, raw: readFileSync(path.resolve('test/fixtures/mail/nul-bytes.eml')) });
    expect(result.outcome).to.equal('ticket_created');
    expect(await sql('select title, description from tickets')).to.deep.equal([{ title: 'Nul in the subject', description: 'A NUL byte in the body.' }]);
  });

  it("takes a new mailbox's unread mail, not the folder's history; the scheduled poll runs once when queued twice", async () => {
    n += 1;
    const address = `support-${n}@acme.test`;
    const user = dovecot.addUser(address);
    await dovecot.append(user, [corpus('known-contact.eml', address), corpus('new-sender.eml', address)]);
    const client = dovecot.client(user);
    await client.connect();
    await client.mailboxOpen('INBOX');
    await client.messageFlagsAdd('1', ['\\Seen']);
    await client.logout();
    const mailboxId = await inTenant(f.acme.id, async (em) => (await createMailbox(em, await em.findOneOrFail(TenantEntity, { id: f.acme.id }), {
      address, host: '127.0.0.1', port: String(dovecot.port), tls: 'none', username: address, password: user.password,
    })).id);
    const first = await pollMailbox(f.acme.id, mailboxId, { onlyIfDue: true });
    expect(first.results.map((r) => r.outcome)).to.deep.equal(['ticket_created']);
    expect(await sql('select title from tickets')).to.deep.equal([{ title: 'The printer on the second floor' }]);
    expect((await pollMailbox(f.acme.id, mailboxId, { onlyIfDue: true })).polled).to.equal(false);
  });

  it('gives the same Message-ID a ticket in each tenant that receives it', async () => {
    const acme = await supportAddress(f.acme);
    const globex = await supportAddress(f.globex);
    await dovecot.append(acme.user, [corpus('new-sender.eml')]);
    await dovecot.append(globex.user, [corpus('new-sender.eml')]);
    await sql('update email_settings set auto_create_contacts = true');
    await pollMailbox(f.acme.id, acme.mailboxId);
    await pollMailbox(f.globex.id, globex.mailboxId);
    expect(await sql('select tenant_id, number from tickets order by tenant_id')).to.deep.equal([{ tenant_id: f.acme.id, number: 1001 }, { tenant_id: f.globex.id, number: 1001 }]);
  });

  it('records a wrong password and a closed port on the mailbox, and still polls the next one', async () => {
    const wrong = await supportAddress(f.acme);
    await inTenant(f.acme.id, async (em) => {
      const mailbox = await em.findOneOrFail(Mailbox, { id: wrong.mailboxId });
      await updateMailbox(em, await em.findOneOrFail(TenantEntity, { id: f.acme.id }), mailbox, { ...mailbox, port: String(mailbox.port), password: 'not the password' });
    });
    const closed = await supportAddress(f.acme, { port: '1' });
    const good = await supportAddress(f.acme);
    await dovecot.append(good.user, [corpus('known-contact.eml', good.address)]);
    for (const box of [wrong, closed, good]) await pollMailbox(f.acme.id, box.mailboxId);
    const rows = await sql<{ id: number; last_error: string | null }>('select id, last_error from mailboxes order by id');
    expect(rows.map((r) => r.last_error)).to.deep.equal(['login_failed', 'connection_refused', null]);
    // A failing mailbox is polled later and later (doubling, at most an hour), a good one on time.
    const polls = async () => (await sql<{ failures: number; minutes: number }>(
      `select failures, round(extract(epoch from next_poll_at - now()) / 60)::int as minutes from mailbox_polls order by mailbox_id`)).map((r) => [r.failures, r.minutes]);
    expect(await polls()).to.deep.equal([[1, 1], [1, 1], [0, 1]]);
    await pollMailbox(f.acme.id, wrong.mailboxId);
    await pollMailbox(f.acme.id, wrong.mailboxId);
    expect((await polls())[0]).to.deep.equal([3, 4]);
    expect(await sql('select id from tickets')).to.have.length(1);
  });

  it('takes a large message in pieces, byte for byte, with its attachment', async () => {
    const box = await supportAddress(f.acme);
    // Over FETCH_WHOLE_BYTES and not a whole number of DOWNLOAD_CHUNKs: fetched in pieces, the last one short.
    const file = Buffer.alloc(5 * 1024 * 1024 + 12345);
    for (let i = 0; i < file.length; i++) file[i] = (i * 7919) % 251;
    const big = Buffer.from(['From: Mario Rossi <mario@rossi.test>', `To: ${box.address}`, 'Subject: Logs', 'Message-ID: <logs-1@rossi.test>', 'MIME-Version: 1.0',
      'Content-Type: multipart/mixed; boundary="b"', '', '--b', 'Content-Type: text/plain', '', 'The logs.', '--b',
      'Content-Type: application/octet-stream', 'Content-Disposition: attachment; filename="logs.bin"', 'Content-Transfer-Encoding: base64', '',
      file.toString('base64').replace(/.{76}/g, '$&\r\n'), '--b--', ''].join('\r\n'));
    expect(big.length).to.be.greaterThan(3 * DOWNLOAD_CHUNK).and.lessThan(4 * DOWNLOAD_CHUNK);
    await dovecot.append(box.user, [big]);
    await pollMailbox(f.acme.id, box.mailboxId);
    expect(await sql('select outcome from inbound_messages')).to.deep.equal([{ outcome: 'ticket_created' }]);
    const [row] = await sql<{ raw: Buffer }>('select raw from inbound_messages');
    expect(Buffer.compare(row.raw, big)).to.equal(0);
    const [attachment] = await sql<{ file_name: string; data: Buffer }>('select file_name, data from attachments');
    expect(attachment.file_name).to.equal('logs.bin');
    expect(Buffer.compare(attachment.data, file)).to.equal(0);
  });

  it('refuses a message over 25 MB from its size, without taking it whole', async () => {
    const box = await supportAddress(f.acme);
    const big = `From: Mario Rossi <mario@rossi.test>\nTo: ${box.address}\nSubject: Huge\nMessage-ID: <huge-1@rossi.test>\nContent-Type: text/plain\n\n${'x'.repeat(26 * 1024 * 1024)}\n`;
    await dovecot.append(box.user, [big]);
    const rssBefore = process.memoryUsage().rss;
    await pollMailbox(f.acme.id, box.mailboxId);
    expect(await sql('select outcome, subject, message_key from inbound_messages')).to.deep.equal([{ outcome: 'rejected_too_large', subject: 'Huge', message_key: '<huge-1@rossi.test>' }]);
    expect(await sql('select id from tickets')).to.deep.equal([]);
    expect(process.memoryUsage().rss - rssBefore).to.be.lessThan(20 * 1024 * 1024);
  });
});

describe('The ingest pipeline', function () {
  this.timeout(60_000);
  let f: Fixtures;
  beforeEach(async () => {
    f = await loadFixtures();
    await sql('update email_settings set auto_create_contacts = true');
  });
  const ingest = (raw: string) => ingestMessage({ tenantId: f.acme.id, mailbox: null, raw: Buffer.from(raw) });
  const mail = (from: string, id: string, subject: string, headers = '', body = 'Hello') =>
    `From: ${from}\nTo: support@acme.test\nSubject: ${subject}\nMessage-ID: <${id}>\n${headers}Content-Type: text/plain\n\n${body}\n`;

  /** Alice opens #1001 for Mario and answers it: the email he receives. */
  async function aliceAnswersMario() {
    const alice = await signIn('alice');
    await alice.get('/tickets/new');
    await alice.post('/tickets', { title: 'Laptop', description: 'Slow', contact: String(f.contacts.mario.id) });
    await alice.get('/tickets/1001');
    await alice.post('/tickets/1001/replies', { body: 'Please restart it.' });
    await drainJobs();
    return { alice, sent: h().mail.last('mario@rossi.test') };
  }

  it('threads on our signed Message-ID, and not on a forged one', async () => {
    const { sent } = await aliceAnswersMario();
    expect(sent.messageId).to.match(/^<s\.\d+\.\d+\.\d+\.[A-Za-z0-9]{16}@/);
    expect((await ingest(mail('mario@rossi.test', 'a1@rossi.test', 'Re: Laptop', `In-Reply-To: ${sent.messageId}\n`))).outcome).to.equal('message_added');
    const forged = sent.messageId!.replace(/\.([A-Za-z0-9]{16})@/, '.AAAAAAAAAAAAAAAA@');
    expect((await ingest(mail('mario@rossi.test', 'a2@rossi.test', 'Re: Laptop', `In-Reply-To: ${forged}\n`))).outcome).to.equal('ticket_created');
    // Our own Message-ID coming back as a message's own is a loop.
    expect((await ingest(mail('someone@else.test', sent.messageId!.slice(1, -1), 'Laptop'))).outcome).to.equal('ignored_loop');
  });

  it('notes a bounce on the ticket, holds mail to the address for a day, and makes no contact', async () => {
    const { alice, sent } = await aliceAnswersMario();
    const dsn = `From: Mail Delivery System <MAILER-DAEMON@mx.rossi.test>\nTo: support@acme.test\nSubject: Undelivered Mail Returned to Sender\nMessage-ID: <dsn-1@mx.rossi.test>\n` +
      `MIME-Version: 1.0\nContent-Type: multipart/report; report-type=delivery-status; boundary="r"\n\n--r\nContent-Type: text/plain\n\nThe mail could not be delivered.\n` +
      `--r\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; mx.rossi.test\n\nFinal-Recipient: rfc822; mario@rossi.test\nAction: failed\nStatus: 5.1.1\n` +
      `--r\nContent-Type: text/rfc822-headers\n\nMessage-ID: ${sent.messageId}\nSubject: [#1001] Laptop\n--r--\n`;
    const result = await ingest(dsn);
    expect(result.outcome).to.equal('ignored_bounce');
    const [note] = await sql<{ body: string; internal: boolean; author_kind: string }>("select body, internal, author_kind from ticket_messages where author_kind = 'system'");
    expect(note).to.include({ internal: true, author_kind: 'system' });
    expect(note.body).to.contain('mario@rossi.test').and.contain('could not be delivered');
    expect(await sql("select id from contacts where email like '%mailer-daemon%' or email like '%mx.rossi%'")).to.deep.equal([]);
    h().mail.clear();
    await alice.post('/tickets/1001/replies', { body: 'Did you get this?' });
    await drainJobs();
    expect(h().mail.messages).to.deep.equal([]);
    const [held] = await sql<{ status: string; last_error: string }>("select status, last_error from outbound_emails order by id desc limit 1");
    expect(held.status).to.equal('queued');
    expect(held.last_error).to.match(/^Held: mail to mario@rossi\.test bounced/);
  });

  it("keeps a technician's email as an internal note: a forged From never mails the requester in their name", async () => {
    await aliceAnswersMario();
    h().mail.clear();
    const forged = mail('Bob Tech <bob@acme.test>', 'forged-1@attacker.test', 'Re: [#1001] Laptop', '', 'Log in at https://evil.test {[Portal Password Link]}');
    expect((await ingest(forged)).outcome).to.equal('message_added');
    const [note] = await sql<{ internal: boolean; author_kind: string; body: string }>("select internal, author_kind, body from ticket_messages where body like 'Log in%'");
    expect(note).to.deep.equal({ internal: true, author_kind: 'technician', body: 'Log in at https://evil.test {[Portal Password Link]}' });
    await drainJobs();
    expect(h().mail.messages).to.deep.equal([]);
    expect(await sql("select id from password_tokens where used_at is null and contact_id is not null")).to.deep.equal([]);
  });

  it('holds mail to an address only for a bounce of a message we signed, and only its own recipient', async () => {
    const { sent } = await aliceAnswersMario();
    const dsn = (from: string, recipient: string, original: string) => `From: ${from}\nTo: support@acme.test\nSubject: Undelivered Mail\nMessage-ID: <dsn-${Math.random()}@x.test>\n` +
      `MIME-Version: 1.0\nContent-Type: multipart/report; report-type=delivery-status; boundary="r"\n\n--r\nContent-Type: text/plain\n\nFailed.\n` +
      `--r\nContent-Type: message/delivery-status\n\nFinal-Recipient: rfc822; ${recipient}\nAction: failed\n--r\nContent-Type: text/rfc822-headers\n\nMessage-ID: ${original}\n--r--\n`;
    expect((await ingest(dsn('MAILER-DAEMON@attacker.test', 'alice@acme.test', '<whatever@attacker.test>'))).outcome).to.equal('ignored_bounce');
    expect((await ingest(dsn('MAILER-DAEMON@attacker.test', 'alice@acme.test', sent.messageId!))).outcome).to.equal('ignored_bounce');
    expect(await sql('select address from undeliverable_addresses')).to.deep.equal([]);
    expect((await ingest(dsn('MAILER-DAEMON@mx.rossi.test', 'mario@rossi.test', sent.messageId!))).outcome).to.equal('ignored_bounce');
    expect(await sql('select address from undeliverable_addresses')).to.deep.equal([{ address: 'mario@rossi.test' }]);
  });

  it('follows a signed In-Reply-To before a [#number] in the subject', async () => {
    const { alice, sent } = await aliceAnswersMario();
    await alice.get('/tickets/new');
    await alice.post('/tickets', { title: 'Printer', description: 'Jams', contact: String(f.contacts.peach.id) });
    // Mario answers his own thread (#1001) with a subject that names #1002, Peach's.
    expect((await ingest(mail('mario@rossi.test', 'c4@rossi.test', 'Re: About [#1002]', `In-Reply-To: ${sent.messageId}\n`))).outcome).to.equal('message_added');
    expect(await sql('select t.number from ticket_messages m join tickets t on t.id = m.ticket_id where m.email_message_id = $1', ['<c4@rossi.test>'])).to.deep.equal([{ number: 1001 }]);
  });

  it('adds an auto-reply to the ticket it answers without reopening it or answering', async () => {
    expect((await ingest(mail('mario@rossi.test', 'o1@rossi.test', 'Printer'))).outcome).to.equal('ticket_created');
    await sql("update tickets set status = 'resolved'");
    const result = await ingest(mail('mario@rossi.test', 'o2@rossi.test', 'Automatic reply: [#1001] Printer', 'Auto-Submitted: auto-replied\n', 'I am away.'));
    expect(result.outcome).to.equal('message_added');
    expect(await sql('select status from tickets')).to.deep.equal([{ status: 'resolved' }]);
    expect(await sql('select automatic, body from ticket_messages')).to.deep.equal([{ automatic: true, body: 'I am away.' }]);
  });

  it('ignores automated mail when the workspace turns its tickets off', async () => {
    await sql('update email_settings set tickets_from_automated_mail = false');
    expect((await ingest(mail('alerts@monitor.test', 'al1@monitor.test', 'CPU high', 'Auto-Submitted: auto-generated\n'))).outcome).to.equal('ignored_automated');
    expect((await ingest(mail('person@monitor.test', 'al2@monitor.test', 'A question', 'Auto-Submitted: no\n'))).outcome).to.equal('ticket_created');
  });

  it('keeps an unknown sender in the log, unanswered, when contacts are not made from email, and a blocked contact too', async () => {
    await sql('update email_settings set auto_create_contacts = false');
    await sql("update contacts set no_auto_tickets = true where email = 'luigi@rossi.test'");
    expect((await ingest(mail('stranger@else.test', 'u1@else.test', 'Hi'))).outcome).to.equal('rejected_unknown_sender');
    expect((await ingest(mail('luigi@rossi.test', 'u2@rossi.test', 'Hi'))).outcome).to.equal('rejected_blocked_contact');
    const rows = await sql<{ outcome: string; raw: Buffer | null }>('select outcome, raw from inbound_messages order by id');
    expect(rows.every((r) => r.raw && r.raw.length > 0)).to.equal(true);
    expect(await sql('select id from tickets')).to.deep.equal([]);
    await drainJobs();
    expect(h().mail.messages).to.deep.equal([]);
  });

  it('makes at most 50 contacts an hour from one mailbox\'s mail; the rest wait in the log, unanswered', async () => {
    await sql(`update email_settings set send_welcome_email = true,
      welcome_template_id = (select id from email_templates t where t.tenant_id = email_settings.tenant_id and t.name like 'New % welcome')`);
    const outcomes: string[] = [];
    for (let i = 0; i < 52; i++) outcomes.push((await ingest(mail(`stranger${i}@forged.test`, `s${i}@forged.test`, `Hello ${i}`))).outcome);
    expect(outcomes.filter((o) => o === 'ticket_created')).to.have.length(50);
    expect(outcomes.slice(50)).to.deep.equal(['rejected_unknown_sender', 'rejected_unknown_sender']);
    expect((await sql<{ reason: string }>("select reason from inbound_messages where outcome = 'rejected_unknown_sender'")).map((r) => r.reason)).to.deep.equal(['new_contact_limit', 'new_contact_limit']);
    await drainJobs();
    const welcomes = h().mail.messages.filter((m) => m.subject.startsWith('Welcome to the'));
    expect(welcomes).to.have.length(50);
    // Each of the 50 tickets: its Ticket received, and New ticket to both technicians.
    expect(h().mail.messages).to.have.length(50 * 4);
  });

  it('stops a flood: past 20 messages from one sender in 10 minutes, the rest are ignored', async () => {
    const outcomes: string[] = [];
    for (let i = 0; i < 23; i++) outcomes.push((await ingest(mail('flood@spam.test', `f${i}@spam.test`, `Message ${i}`))).outcome);
    expect(outcomes.filter((o) => o === 'ticket_created')).to.have.length(20);
    expect(outcomes.slice(20)).to.deep.equal(['ignored_flood', 'ignored_flood', 'ignored_flood']);
  });

  it('retries a message that fails, parks it after 5 attempts with its raw bytes, and changes nothing meanwhile', async () => {
    await sql(`create or replace function refuse_ticket() returns trigger language plpgsql as $$ begin raise exception 'disk full'; end $$`);
    await sql('create trigger refuse_ticket before insert on tickets for each row execute function refuse_ticket()');
    try {
      const outcomes: string[] = [];
      for (let i = 0; i < 6; i++) outcomes.push((await ingest(mail('mario@rossi.test', 'fail-1@rossi.test', 'Will fail'))).outcome);
      expect(outcomes).to.deep.equal(['retrying', 'retrying', 'retrying', 'retrying', 'failed', 'ignored_duplicate']);
      const [row] = await sql<{ attempts: number; last_error: string; raw: Buffer }>('select attempts, last_error, raw from inbound_messages');
      expect(row.attempts).to.equal(5);
      expect(row.last_error).to.contain('disk full');
      expect(row.raw.toString()).to.contain('Subject: Will fail');
      expect(await sql('select id from ticket_messages')).to.deep.equal([]);
    } finally {
      await sql('drop trigger refuse_ticket on tickets');
    }
  });
});

describe('The HTML of an incoming email', () => {
  it('is kept sanitised and shown on request; its remote images only when a technician asks', async () => {
    const f = await loadFixtures();
    expect((await ingestMessage({ tenantId: f.acme.id, mailbox: null, raw: readFileSync(path.resolve('test/fixtures/mail/html-newsletter-style.eml')) })).outcome).to.equal('ticket_created');
    const alice = await signIn('alice');
    const page = await alice.get('/tickets/1001');
    expect(page.text).to.contain('<summary>Show the email as sent</summary>').and.contain('The invoice <b>layout</b> is broken.').and.contain('<td>120 €</td>');
    expect(page.text).to.contain('href="https://bianchi.test/invoice" rel="noopener noreferrer nofollow" target="_blank"');
    for (const bad of ['steal()', 'onclick', 'id="csrf-token"', 'style="color', '<form action="https://evil', '<iframe', '<img src="https://tracker.test', 'javascript:']) expect(page.text, bad).not.to.contain(bad);
    expect(page.text).to.contain('data-remote-src="https://tracker.test/open.gif?u=peach"').and.contain('Show images');
    expect(page.headers['content-security-policy']).to.match(/img-src 'self' data:;/);
    const shown = await alice.get('/tickets/1001?images=1');
    expect(shown.text).to.contain('<img src="https://tracker.test/open.gif?u=peach"');
    expect(shown.headers['content-security-policy']).to.match(/img-src 'self' data: https:;/);
    // The plain text stays the ticket's description.
    expect((await sql<{ description: string }>('select description from tickets'))[0].description).to.equal('The invoice layout is broken, see the table.');
  });
});

describe('Raw incoming messages', () => {
  it('are dropped 30 days after they were handled; rejected and failed ones keep theirs', async () => {
    const f = await loadFixtures();
    const ingest = (id: string, from: string) => ingestMessage({ tenantId: f.acme.id, mailbox: null, raw: Buffer.from(`From: ${from}\nSubject: Hi\nMessage-ID: <${id}>\n\nHello\n`) });
    expect((await ingest('p1@rossi.test', 'mario@rossi.test')).outcome).to.equal('ticket_created');
    expect((await ingest('p2@else.test', 'stranger@else.test')).outcome).to.equal('rejected_unknown_sender');
    expect((await ingest('p3@rossi.test', 'mario@rossi.test')).outcome).to.equal('ticket_created');
    await sql("update inbound_messages set updated_at = now() - interval '31 days' where message_key in ('<p1@rossi.test>', '<p2@else.test>')");
    expect(await pruneRawMessages(f.acme.id)).to.equal(1);
    expect(await sql('select message_key, raw is not null as kept from inbound_messages order by id')).to.deep.equal([
      { message_key: '<p1@rossi.test>', kept: false }, { message_key: '<p2@else.test>', kept: true }, { message_key: '<p3@rossi.test>', kept: true },
    ]);
  });
});

describe('Answers to a ticket that came by email', () => {
  it('thread under the email, come from the support address it came to, and carry [#number] and a signed Message-ID', async () => {
    const f = await loadFixtures();
    const mailboxId = await inTenant(f.acme.id, async (em) => (await createMailbox(em, await em.findOneOrFail(TenantEntity, { id: f.acme.id }), {
      address: 'help@acme.test', host: 'imap.acme.test', port: '993', tls: 'tls', username: 'help', password: 'secret',
    })).id);
    await ingestMessage({ tenantId: f.acme.id, mailbox: { id: mailboxId, address: 'help@acme.test' }, raw: Buffer.from('From: Mario Rossi <mario@rossi.test>\nTo: help@acme.test\nSubject: Printer\nMessage-ID: <first@rossi.test>\n\nIt jams.\n') });
    const alice = await signIn('alice');
    await alice.get('/tickets/1001');
    await alice.post('/tickets/1001/replies', { body: 'Open the tray.' });
    await drainJobs();
    const sent = h().mail.last('mario@rossi.test');
    expect(sent.subject).to.equal('[#1001] Printer');
    expect(sent.headers.get('in-reply-to')).to.equal('<first@rossi.test>');
    // A second answer names the whole thread: the first email, then our first answer.
    await alice.post('/tickets/1001/replies', { body: 'And the second tray?' });
    await drainJobs();
    const second = h().mail.messages.filter((m) => m.to.includes('mario@rossi.test')).at(-1)!;
    // The thread is the requester's: the emails to the technicians (New ticket) are not in it.
    const received = h().mail.messages.find((m) => m.to.includes('mario@rossi.test') && m.subject.includes('We received your request'))!;
    expect(second.headers.get('references')).to.deep.equal(['<first@rossi.test>', received.messageId, sent.messageId]);
    expect((sent.headers.get('reply-to') as { text: string }).text).to.equal('help@acme.test');
    expect(sent.messageId).to.match(/^<s\.\d+\.\d+\.\d+\.[A-Za-z0-9]{16}@/);
  });
});
