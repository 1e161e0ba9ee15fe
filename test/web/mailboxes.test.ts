// Admin > Email Settings > Support addresses: the forms, Test connection against a
// real Dovecot, and one poll of a mailbox added through the form.
import { expect } from 'chai';
import { ingestMessage } from '../../src/inbound/ingest.js';
import { pollMailbox } from '../../src/inbound/poll.js';
import { everythingLogged, everythingStored, loadFixtures, signIn, sql, type Fixtures } from '../support/index.js';
import { DOVECOT, Dovecot } from '../support/dovecot.js';
import { requireProgram } from '../support/require-program.js';

const PASSWORD_TYPED = 'imap-test-password';

describe('Admin > Email Settings > Support addresses', function () {
  this.timeout(60_000);
  const dovecot = new Dovecot();
  let f: Fixtures;

  before(async function () {
    requireProgram(this, DOVECOT, 'Dovecot', 'apt-get install -y dovecot-imapd');
    await dovecot.start();
  });
  after(async () => { await dovecot.stop(); });
  beforeEach(async () => { f = await loadFixtures(); });

  const form = (overrides: Record<string, unknown> = {}) => ({
    address: 'help@acme.test', host: '127.0.0.1', port: String(dovecot.port), tls: 'none', username: 'help@acme.test',
    password: PASSWORD_TYPED, folder: 'INBOX', processedFolder: '', pollMinutes: '5', enabled: 'on', ...overrides,
  });

  it('an OAuth (Microsoft 365, Google) address hides the IMAP password field, and saving it never asks for a password nor stores one', async () => {
    const alice = await signIn('alice');
    const passwordField = /<div data-password-field( hidden)?>\s*<div class="field[^"]*">\s*<label for="f-password">/;
    expect((await alice.get('/admin/mailboxes/new')).text.match(passwordField)?.[1], 'shown for the default, Password').to.equal(undefined);
    // Created as Microsoft 365 with a password typed anyway: no password is asked for, none is kept.
    const created = await alice.post('/admin/mailboxes', form({ authMethod: 'microsoft', password: PASSWORD_TYPED }));
    expect(created.status).to.equal(303);
    const [row] = await sql<{ id: number; password_sealed: string; oauth_status: string }>('select id, password_sealed, oauth_status from mailboxes');
    expect(row).to.include({ password_sealed: '', oauth_status: 'pending' });
    const page = await alice.get(`/admin/mailboxes/${row.id}`);
    expect(page.text.match(passwordField)?.[1], 'hidden for an OAuth mailbox').to.equal(' hidden');
    // Saved again (another poll interval) with an empty password field, then with one typed: never refused, never stored, still connected the same way.
    await sql("update mailboxes set oauth_status = 'connected' where id = $1", [row.id]);
    for (const password of ['', PASSWORD_TYPED]) {
      const saved = await alice.post(`/admin/mailboxes/${row.id}`, form({ authMethod: 'microsoft', password, pollMinutes: '10' }));
      expect(saved.status, saved.text).to.equal(303);
    }
    expect(await sql('select password_sealed, oauth_status, poll_minutes from mailboxes where id = $1', [row.id])).to.deep.equal([{ password_sealed: '', oauth_status: 'connected', poll_minutes: 10 }]);
    expect(await everythingStored()).not.to.contain(PASSWORD_TYPED);
    // A password mailbox shows the field again.
    await alice.post(`/admin/mailboxes/${row.id}`, form({ authMethod: 'password' }));
    expect((await alice.get(`/admin/mailboxes/${row.id}`)).text.match(passwordField)?.[1]).to.equal(undefined);
  });

  it('adds, edits, disables and deletes a support address; the password is sealed, never shown, kept by an empty field', async () => {
    const alice = await signIn('alice');
    const blank = await alice.get('/admin/mailboxes/new');
    expect(blank.status).to.equal(200);
    expect(blank.text).to.contain('<label for="f-host">IMAP host</label>').and.contain('value="INBOX"').and.contain('Test connection');
    const created = await alice.post('/admin/mailboxes', form());
    expect(created.status).to.equal(303);
    const [row] = await sql<{ id: number; address: string; password_sealed: string; poll_minutes: number; enabled: boolean }>('select id, address, password_sealed, poll_minutes, enabled from mailboxes');
    expect(row).to.include({ address: 'help@acme.test', poll_minutes: 5, enabled: true });
    expect(row.password_sealed).not.to.contain(PASSWORD_TYPED);
    expect(await everythingStored()).not.to.contain(PASSWORD_TYPED);
    expect(await sql('select every_minutes from mailbox_polls')).to.deep.equal([{ every_minutes: 5 }]);

    const settings = await alice.get('/admin/email-settings');
    expect(settings.text).to.contain('Support addresses').and.contain('help@acme.test').and.contain(`/admin/mailboxes/${row.id}`);
    const edit = await alice.get(`/admin/mailboxes/${row.id}`);
    expect(edit.text).to.contain('value="help@acme.test"').and.contain('Leave empty to keep').and.not.contain(PASSWORD_TYPED);

    // An edit with an empty password keeps it: the mailbox still polls.
    const updated = await alice.post(`/admin/mailboxes/${row.id}`, form({ password: '', folder: 'INBOX', processedFolder: 'Done', pollMinutes: '2' }));
    expect(updated.status).to.equal(303);
    const [after] = await sql<{ password_sealed: string; processed_folder: string }>('select password_sealed, processed_folder from mailboxes');
    expect(after).to.deep.equal({ password_sealed: row.password_sealed, processed_folder: 'Done' });
    const test = await alice.hx('post', `/admin/mailboxes/${row.id}/connection-test`, form({ password: '' }));
    expect(test.text).to.contain('The connection works');
    // Nor is it kept for another server or account: an edit that changes the host asks for it again.
    const moved = await alice.post(`/admin/mailboxes/${row.id}`, form({ password: '', host: 'localhost' }));
    expect(moved.status).to.equal(422);
    expect(moved.text).to.contain('Enter the password again: the server or the account has changed.');
    expect((await sql<{ host: string }>('select host from mailboxes'))[0].host).to.equal('127.0.0.1');
    // The stored password is not sent to another server or account to test it.
    const elsewhere = await alice.hx('post', `/admin/mailboxes/${row.id}/connection-test`, form({ password: '', host: 'localhost' }));
    expect(elsewhere.text).to.contain('Type the password to test with another host or username.').and.not.contain('Connect to');

    // Unticked Enabled disables it, and the list's button enables it again.
    await alice.post(`/admin/mailboxes/${row.id}`, { ...form({ password: '' }), enabled: undefined });
    expect(await sql('select enabled from mailboxes')).to.deep.equal([{ enabled: false }]);
    expect(await sql('select * from mailbox_polls')).to.deep.equal([]);
    await alice.get('/admin/email-settings');
    expect((await alice.post(`/admin/mailboxes/${row.id}/enabled`, { enabled: 'on' })).status).to.equal(303);
    expect(await sql('select enabled, poll_minutes, port from mailboxes')).to.deep.equal([{ enabled: true, poll_minutes: 5, port: Number(form().port) }]);
    expect((await alice.post(`/admin/mailboxes/${row.id}/enabled`, {})).status).to.equal(303);
    expect(await sql('select enabled from mailboxes')).to.deep.equal([{ enabled: false }]);

    const deleted = await alice.post(`/admin/mailboxes/${row.id}/deletion`);
    expect(deleted.status).to.equal(303);
    expect(await sql('select id from mailboxes')).to.deep.equal([]);
    expect(everythingLogged()).not.to.contain(PASSWORD_TYPED);
  });

  it('refuses bad input with 422, keeping what was typed but the password, and changes nothing', async () => {
    const alice = await signIn('alice');
    await alice.get('/admin/mailboxes/new');
    const clear = await alice.post('/admin/mailboxes', form({ host: 'imap.example.com', port: '143' }));
    expect(clear.status).to.equal(422);
    expect(clear.text).to.contain('cross the network in clear').and.contain('value="imap.example.com"').and.contain('value="help@acme.test"')
      .and.not.contain(PASSWORD_TYPED);
    const bad = await alice.post('/admin/mailboxes', form({ address: 'not an address', port: '99999', pollMinutes: '0', password: '' }));
    expect(bad.status).to.equal(422);
    expect(bad.text).to.contain('Enter a valid email address').and.contain('Enter a port from 1 to 65535').and.contain('Poll every 1 to 1440 minutes')
      .and.contain('Password is required').and.contain('value="not an address"');
    expect(await sql('select id from mailboxes')).to.deep.equal([]);
    expect(await sql('select mailbox_id from mailbox_polls')).to.deep.equal([]);
  });

  it('counts support addresses against the plan', async () => {
    for (let i = 1; i <= 5; i++) {
      await sql(`insert into mailboxes (tenant_id, address, host, port, tls, username, password_sealed, password_key_version, enabled)
        values ($1, $2, 'imap.globex.test', 993, 'tls', 'u', 'x', 1, false)`, [f.globex.id, `box${i}@globex.test`]);
    }
    const gina = await signIn('gina');
    await gina.get('/admin/mailboxes/new');
    const res = await gina.post('/admin/mailboxes', form({ address: 'six@globex.test' }));
    expect(res.status).to.equal(422);
    expect(res.text).to.contain('The Pro plan has up to 5 support addresses; Enterprise has up to 50 (Admin &gt; Plan).');
    expect(await sql('select count(*)::int as n from mailboxes')).to.deep.equal([{ n: 5 }]);
  });

  it('tests a connection step by step, in words: a good mailbox, a wrong password, a closed port, a missing folder', async () => {
    const alice = await signIn('alice');
    await alice.get('/admin/mailboxes/new');
    await dovecot.append(dovecot.addUser('help@acme.test'), ['Subject: one\r\n\r\nx', 'Subject: two\r\n\r\ny']);
    const good = await alice.hx('post', '/admin/mailboxes/connection-test', form());
    expect(good.status).to.equal(200);
    expect(good.text).not.to.contain('<html');
    expect(good.text).to.contain(`Done:</strong> Connect to 127.0.0.1:${dovecot.port}`).and.contain('Done:</strong> Sign in')
      .and.contain('Done:</strong> Open the folder INBOX').and.contain('Count the messages — 2 messages').and.contain('The connection works.');

    const wrong = await alice.hx('post', '/admin/mailboxes/connection-test', form({ password: 'not the password' }));
    expect(wrong.text).to.contain('Done:</strong> Connect').and.contain('Failed:</strong> Sign in').and.contain('Wrong username or password.')
      .and.contain('Not tried:</strong> Open the folder');

    const closed = await alice.hx('post', '/admin/mailboxes/connection-test', form({ port: '1' }));
    expect(closed.text).to.contain('Failed:</strong> Connect to 127.0.0.1:1').and.contain('Connection refused: check the port')
      .and.contain('Not tried:</strong> Sign in');

    const folder = await alice.hx('post', '/admin/mailboxes/connection-test', form({ folder: 'Nowhere' }));
    expect(folder.text).to.contain('Done:</strong> Sign in').and.contain('Failed:</strong> Open the folder Nowhere').and.contain('The folder does not exist on the server.');

    // Plain IMAP to another machine is refused before a password is sent; nothing is saved by a test.
    const clear = await alice.hx('post', '/admin/mailboxes/connection-test', form({ host: 'imap.example.com' }));
    expect(clear.text).to.contain('cross the network in clear').and.not.contain('Connect to');
    expect(await sql('select id from mailboxes')).to.deep.equal([]);
    expect(everythingLogged()).not.to.contain(PASSWORD_TYPED).and.not.contain('not the password');
  });

  it('allows 20 connection tests in 10 minutes per workspace, so it cannot be used to guess a mailbox password', async () => {
    const alice = await signIn('alice');
    await alice.get('/admin/mailboxes/new');
    for (let i = 0; i < 20; i++) expect((await alice.hx('post', '/admin/mailboxes/connection-test', form({ port: '1' }))).text).to.contain('Connection refused');
    const refused = await alice.hx('post', '/admin/mailboxes/connection-test', form({ port: '1' }));
    expect(refused.text).to.contain('Too many connection tests: try again in 10 minutes.').and.not.contain('Connect to');
  });

  it('polls a mailbox added through the form, and shows the poll in the list; a wrong password shows its error in words', async () => {
    const alice = await signIn('alice');
    await alice.get('/admin/mailboxes/new');
    await alice.post('/admin/mailboxes', form({ username: 'polled@acme.test' }));
    await alice.post('/admin/mailboxes', form({ address: 'broken@acme.test', username: 'broken@acme.test', password: 'not the password' }));
    const boxes = await sql<{ id: number; address: string }>('select id, address from mailboxes order by address');
    await dovecot.append(dovecot.addUser('polled@acme.test'), [
      'From: Mario Rossi <mario@rossi.test>\r\nTo: help@acme.test\r\nSubject: Screens poll\r\nMessage-ID: <screens-1@rossi.test>\r\n\r\nHello.',
    ]);
    for (const box of boxes) await pollMailbox(f.acme.id, box.id);
    expect(await sql("select title from tickets where title = 'Screens poll'")).to.have.length(1);
    const list = await alice.get('/admin/email-settings');
    expect(list.text).to.contain('Wrong username or password.');
    const [row] = await sql<{ last_poll_count: number; total_count: number }>("select last_poll_count, total_count from mailboxes where address = 'help@acme.test'");
    expect(row).to.deep.equal({ last_poll_count: 1, total_count: 1 });
  });

  it('saves Create tickets from automated mail in the contact email settings (on by default)', async () => {
    const alice = await signIn('alice');
    const page = await alice.get('/admin/email-settings');
    expect(page.text).to.match(/name="ticketsFromAutomatedMail" checked/);
    expect((await alice.post('/admin/email-settings', {})).status).to.equal(303);
    expect(await sql('select tickets_from_automated_mail as t from email_settings where tenant_id = $1', [f.acme.id])).to.deep.equal([{ t: false }]);
    await alice.post('/admin/email-settings', { ticketsFromAutomatedMail: 'on' });
    expect(await sql('select tickets_from_automated_mail as t from email_settings where tenant_id = $1', [f.acme.id])).to.deep.equal([{ t: true }]);
  });

  it('saves Reopen a closed ticket on reply (on by default); off, an emailed reply leaves a closed ticket closed', async () => {
    const alice = await signIn('alice');
    expect((await alice.get('/admin/email-settings')).text).to.match(/name="reopenClosedOnReply" checked/);
    await alice.post('/admin/email-settings', { ticketsFromAutomatedMail: 'on' });
    expect(await sql('select reopen_closed_on_reply as r from email_settings where tenant_id = $1', [f.acme.id])).to.deep.equal([{ r: false }]);
    const ingest = (id: string, subject: string) => ingestMessage({ tenantId: f.acme.id, mailbox: null, raw: Buffer.from(`From: mario@rossi.test\nSubject: ${subject}\nMessage-ID: <${id}>\n\nHello\n`) });
    await ingest('r1@rossi.test', 'Printer');
    await sql("update tickets set status = 'closed'");
    expect((await ingest('r2@rossi.test', 'Re: [#1001] Printer')).outcome).to.equal('message_added');
    expect(await sql('select status from tickets')).to.deep.equal([{ status: 'closed' }]);
    await alice.post('/admin/email-settings', { ticketsFromAutomatedMail: 'on', reopenClosedOnReply: 'on' });
    expect((await ingest('r3@rossi.test', 'Re: [#1001] Printer')).outcome).to.equal('message_added');
    expect(await sql('select status from tickets')).to.deep.equal([{ status: 'open' }]);
  });

  it('is for admins only', async () => {
    const bob = await signIn('bob');
    expect((await bob.get('/admin/mailboxes/new')).status).to.equal(403);
    expect((await bob.get('/')).status).to.equal(200);
    expect((await bob.post('/admin/mailboxes', form())).status).to.equal(403);
    expect((await bob.hx('post', '/admin/mailboxes/connection-test', form())).status).to.equal(403);
    expect(await sql('select id from mailboxes')).to.deep.equal([]);
  });
});
