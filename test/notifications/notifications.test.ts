// Notifications (issue 14), each through the SMTP sink: switched on in Admin > Notifications,
// sent on the ticket events, never for automatic mail, never to whoever acted, never twice
// for one event; a technician's own choices; the recipient's language.
import { expect } from 'chai';
import { inTenantWork } from '../../src/db/unit-of-work.js';
import { raiseTicketEvent } from '../../src/domain/ticket/events.js';
import { ingestMessage } from '../../src/inbound/ingest.js';
import { signUp } from '../../src/domain/tenant/signup.js';
import { notificationsOnStatements } from '../../migrations/0032-send-every-technician-reply-as-its-notification-and-turn-notifications-on.js';
import { MASK } from '../../src/outbound/credentials.js';
import { browserFor, drainJobs, everythingStored, h, loadFixtures, signIn, signInToPortal, speakItalian, sql, type Fixtures } from '../support/index.js';

type Browser = Awaited<ReturnType<typeof signIn>>;
const KINDS = ['ticket_received', 'technician_replied', 'ticket_resolved', 'new_ticket', 'ticket_assigned', 'requester_replied', 'note_mention'];

/** Admin > Notifications, saved with `on` switched on and the rest as shown. */
async function switchOn(admin: Browser, on: string[], recipients: Record<string, string> = {}): Promise<void> {
  const page = await admin.get('/admin/notifications');
  expect(page.status).to.equal(200);
  const form: Record<string, string> = {};
  for (const kind of KINDS) {
    form[`template_${kind}`] = /name="template_KIND"[^]*?<option value="(\d+)" selected/.exec(page.text.replace(`name="template_${kind}"`, 'name="template_KIND"'))![1];
    form[`recipients_${kind}`] = recipients[kind] ?? (kind === 'new_ticket' ? 'all' : kind === 'requester_replied' ? 'assignee_else_all' : kind === 'note_mention' ? 'mentioned' : kind === 'ticket_assigned' ? 'assignee' : 'requester');
    if (on.includes(kind)) form[`enabled_${kind}`] = 'on';
  }
  const saved = await admin.post('/admin/notifications', form);
  expect(saved.status, saved.text).to.equal(303);
}

const sent = () => h().mail.messages.map((m) => `${m.to[0]} ${m.subject}`).sort();
async function drained(): Promise<string[]> {
  await drainJobs();
  const out = sent();
  h().mail.clear();
  return out;
}

async function ticketNumber(title: string): Promise<number> {
  const [row] = await sql<{ number: number }>('select number from tickets where title = $1', [title]);
  return row.number;
}

describe('Notifications', function () {
  this.timeout(60_000);
  let f: Fixtures;
  let alice: Browser;
  beforeEach(async () => {
    f = await loadFixtures();
    alice = await signIn('alice');
  });

  it('are all on in a workspace whose admin has not chosen: a portal ticket tells its requester and every technician', async () => {
    const mario = await signInToPortal('mario');
    await mario.get('/portal/tickets/new');
    expect((await mario.post('/portal/tickets', { title: 'Printer down', description: 'It beeps' })).status).to.equal(303);
    const n = await ticketNumber('Printer down');
    expect(await drained()).to.deep.equal([
      `alice@acme.test [#${n}] New ticket: Printer down`,
      `bob@acme.test [#${n}] New ticket: Printer down`,
      `mario@rossi.test [#${n}] We received your request: Printer down`,
    ]);
    const page = await alice.get('/admin/notifications');
    expect(page.text).to.contain('Ticket received').and.contain('A note mentions you').and.contain('@anna@example.com');
    for (const kind of KINDS) expect(page.text, kind).to.match(new RegExp(`id="f-enabled_${kind}"[^>]*checked`));
    const rows = await sql<{ kind: string; enabled: boolean; template: string }>(
      `select s.kind, s.enabled, e.name as template from notification_settings s join email_templates e on e.id = s.template_id where s.tenant_id = $1 order by s.kind`, [f.acme.id]);
    expect(rows.map((r) => [r.kind, r.enabled, r.template])).to.deep.include.members([
      ['ticket_received', true, 'Ticket received'], ['technician_replied', true, 'Reply to the requester'], ['ticket_resolved', true, 'Ticket resolved'],
      ['new_ticket', true, 'New ticket (to technicians)'],
    ]);
  });

  it('are turned on by migration 0032 where no admin saved Admin > Notifications, and stay as chosen where one did', async () => {
    // Acme's admin saved the page (ticket received off); Globex's rows were only made by a visit, all off as 0024 made them.
    await switchOn(alice, ['new_ticket', 'technician_replied']);
    const gina = await signIn('gina');
    expect((await gina.get('/admin/notifications')).status).to.equal(200);
    await sql("update notification_settings set enabled = false where tenant_id = $1", [f.globex.id]);
    await sql("update notification_settings set enabled = false where tenant_id = $1 and kind = 'technician_replied'", [f.acme.id]);
    // Before 0032 no template was marked shipped; Acme's admin once saved its New ticket template.
    await sql('update email_templates set shipped = null');
    const [newTicket] = await sql<{ id: number }>("select id from email_templates where tenant_id = $1 and name = 'New ticket (to technicians)'", [f.acme.id]);
    await sql("insert into audit_events (tenant_id, actor_kind, action, subject_type, subject_id) values ($1, 'technician', 'email_template.updated', 'email_template', $2)", [f.acme.id, newTicket.id]);
    const migrate = async () => {
      const client = await h().owner.connect();
      try {
        await client.query('begin');
        for (const statement of notificationsOnStatements()) await client.query(statement);
        await client.query('commit');
      } finally {
        client.release();
      }
    };
    await migrate();
    const on = async (tenantId: number) => (await sql<{ kind: string }>('select kind from notification_settings where tenant_id = $1 and enabled order by kind', [tenantId])).map((r) => r.kind);
    expect(await on(f.acme.id)).to.deep.equal(['new_ticket', 'technician_replied']);
    expect(await on(f.globex.id)).to.deep.equal([...KINDS].sort());
    // The templates no admin touched are shipped again (sent in each recipient's language); the saved one is the admin's.
    const shipped = async (tenantId: number) => (await sql<{ name: string; shipped: string }>('select name, shipped from email_templates where tenant_id = $1 and shipped is not null order by name', [tenantId])).map((r) => `${r.name}: ${r.shipped}`);
    expect(await shipped(f.acme.id)).to.deep.equal(['Mentioned in a note (to technicians): note_mention', 'Requester replied (to technicians): requester_replied',
      'Ticket assigned (to technicians): ticket_assigned', 'Ticket received: ticket_received', 'Ticket resolved: ticket_resolved']);
    expect(await shipped(f.globex.id)).to.include('New ticket (to technicians): new_ticket');
    // Technician replied lost the old notice's template: the next read gives it the reply template.
    expect(await sql("select template_id from notification_settings where kind = 'technician_replied' and template_id is not null")).to.deep.equal([]);
    await alice.get('/admin/notifications');
    expect(await sql("select e.name from notification_settings s join email_templates e on e.id = s.template_id where s.kind = 'technician_replied' and s.tenant_id = $1", [f.acme.id])).to.deep.equal([{ name: 'Reply to the requester' }]);
  });

  it('tells the requester their ticket was received and every other technician of it, opened in the portal or by a technician', async () => {
    await switchOn(alice, ['ticket_received', 'new_ticket']);
    const mario = await signInToPortal('mario');
    await mario.get('/portal/tickets/new');
    await mario.post('/portal/tickets', { title: 'Printer down', description: 'It beeps' });
    const n = await ticketNumber('Printer down');
    expect(await drained()).to.deep.equal([
      `alice@acme.test [#${n}] New ticket: Printer down`,
      `bob@acme.test [#${n}] New ticket: Printer down`,
      `mario@rossi.test [#${n}] We received your request: Printer down`,
    ]);
    // Opened by Alice on Mario's behalf: Mario is told, Bob is told, Alice (who acted) is not.
    await alice.get('/tickets/new');
    expect((await alice.post('/tickets', { contact: f.contacts.mario.id, title: 'VPN for the new office', description: 'Asked on the phone' })).status).to.equal(303);
    const m = await ticketNumber('VPN for the new office');
    expect(await drained()).to.deep.equal([
      `bob@acme.test [#${m}] New ticket: VPN for the new office`,
      `mario@rossi.test [#${m}] We received your request: VPN for the new office`,
    ]);
    const mail = await sql<{ kind: string; auto_submitted: boolean }>('select distinct kind, auto_submitted from outbound_emails');
    expect(mail).to.deep.equal([{ kind: 'notification', auto_submitted: true }]);
  });

  it('sends New ticket only for unassigned tickets when the admin says so', async () => {
    await switchOn(alice, ['new_ticket'], { new_ticket: 'unassigned' });
    await alice.get('/tickets/new');
    await alice.post('/tickets', { contact: f.contacts.mario.id, title: 'Already Bob\'s', description: 'x', assignee: f.technicians.bob.id });
    expect(await drained()).to.deep.equal([]);
    await alice.post('/tickets', { contact: f.contacts.mario.id, title: 'Nobody\'s yet', description: 'x' });
    expect(await drained()).to.deep.equal([`bob@acme.test [#${await ticketNumber('Nobody\'s yet')}] New ticket: Nobody's yet`]);
  });

  it('sends nothing for automatic mail: no receipt to the robot, no alert to technicians', async () => {
    await switchOn(alice, KINDS);
    const ingest = (id: string, subject: string, header = '') => ingestMessage({ tenantId: f.acme.id, mailbox: null,
      raw: Buffer.from(`From: mario@rossi.test\nSubject: ${subject}\nMessage-ID: <${id}@rossi.test>\n${header}\nHello\n`) });
    // An alert opens a ticket marked automatic: no receipt to the robot, no New ticket to technicians.
    await ingest('a1', 'Disk 90% full', 'Precedence: bulk\n');
    const [alert] = await sql<{ number: number; automatic: boolean }>('select number, automatic from tickets');
    expect(alert.automatic, 'the ingest opened a ticket marked automatic').to.equal(true);
    expect(await drained()).to.deep.equal([]);
    // A technician's answer there is not emailed to the robot, and the ticket page says so next to the reply form.
    const page = await alice.get(`/tickets/${alert.number}`);
    expect(page.text).to.contain('Public reply (shown in the portal, not emailed)')
      .and.contain('This ticket came from automatic mail (an alert or an auto-reply from mario@rossi.test): public replies are not emailed')
      .and.not.contain('Public reply (emailed to');
    expect((await alice.post(`/tickets/${alert.number}/replies`, { body: 'Cleaned up', kind: 'public' })).status).to.equal(303);
    expect(await drained()).to.deep.equal([]);
    // The same mail, written by a person, notifies.
    await ingest('p1', 'Screen flickers');
    const n = await ticketNumber('Screen flickers');
    expect(await drained()).to.include(`mario@rossi.test [#${n}] We received your request: Screen flickers`);
    expect((await alice.get(`/tickets/${n}`)).text).to.contain('Public reply (emailed to mario@rossi.test)').and.not.contain('came from automatic mail');
    // An out-of-office in its thread is added to the ticket and tells no technician.
    const added = await ingest('a2', `Re: [#${n}] Screen flickers`, 'Auto-Submitted: auto-replied\n');
    expect(added.outcome).to.equal('message_added');
    expect(await drained()).to.deep.equal([]);
    // A person's answer there does.
    await ingest('p2', `Re: [#${n}] Screen flickers`);
    expect(await drained()).to.include(`bob@acme.test [#${n}] Mario Rossi replied: Screen flickers`);
    await speakItalian('acme');
    expect((await (await signIn('alice')).get(`/tickets/${alert.number}`)).text).to.contain('Risposta pubblica (visibile nel portale, non inviata via email)')
      .and.contain('Questo ticket arriva dalla posta automatica');
  });

  it('tells the assignee, not an admin who assigns a ticket to herself', async () => {
    await switchOn(alice, ['ticket_assigned']);
    await alice.get('/tickets/new');
    await alice.post('/tickets', { contact: f.contacts.mario.id, title: 'Laptop', description: 'x' });
    const n = await ticketNumber('Laptop');
    await alice.get(`/tickets/${n}`);
    await alice.post(`/tickets/${n}/assignment`, { assignee: f.technicians.bob.id });
    expect(await drained()).to.deep.equal([`bob@acme.test [#${n}] Assigned to you: Laptop`]);
    await alice.post(`/tickets/${n}/assignment`, { assignee: f.technicians.alice.id });
    expect(await drained()).to.deep.equal([]);
    // Assigned to Bob again: a new event, a new email.
    await alice.post(`/tickets/${n}/assignment`, { assignee: f.technicians.bob.id });
    expect(await drained()).to.deep.equal([`bob@acme.test [#${n}] Assigned to you: Laptop`]);
  });

  it('tells the assignee (else every technician) that the requester replied, and the requester that a technician did', async () => {
    await switchOn(alice, ['requester_replied', 'technician_replied']);
    await alice.get('/tickets/new');
    await alice.post('/tickets', { contact: f.contacts.mario.id, title: 'Mail quota', description: 'x' });
    const n = await ticketNumber('Mail quota');
    const mario = await signInToPortal('mario');
    await mario.get(`/portal/tickets/${n}`);
    expect((await mario.post(`/portal/tickets/${n}/replies`, { body: 'Any news?' })).status).to.equal(303);
    expect(await drained()).to.deep.equal([`alice@acme.test [#${n}] Mario Rossi replied: Mail quota`, `bob@acme.test [#${n}] Mario Rossi replied: Mail quota`]);
    await alice.get(`/tickets/${n}`);
    await alice.post(`/tickets/${n}/assignment`, { assignee: f.technicians.bob.id });
    await mario.post(`/portal/tickets/${n}/replies`, { body: 'Still waiting' });
    expect(await drained()).to.deep.equal([`bob@acme.test [#${n}] Mario Rossi replied: Mail quota`]);
    // Bob answers: the reply email is the notification, once.
    const bob = await signIn('bob');
    await bob.get(`/tickets/${n}`);
    expect((await bob.post(`/tickets/${n}/replies`, { body: 'Raised to 50 GB', kind: 'reply' })).status).to.equal(303);
    expect(await drained()).to.deep.equal([`mario@rossi.test [#${n}] Mail quota`]);
  });

  it('sends each public reply as the Technician replied email, once, threaded and with its Reply-To; switched off, replies are not emailed', async () => {
    const mario = await signInToPortal('mario');
    await mario.get('/portal/tickets/new');
    await mario.post('/portal/tickets', { title: 'Shared drive', description: 'It is gone' });
    const n = await ticketNumber('Shared drive');
    await sql("update tickets set support_address = 'help@acme.test' where number = $1", [n]);
    await drained();
    await alice.get(`/tickets/${n}`);
    expect((await alice.post(`/tickets/${n}/replies`, { body: 'Mapped again as S:', kind: 'public' })).status).to.equal(303);
    await alice.post(`/tickets/${n}/replies`, { body: 'Only for us: the GPO was wrong', kind: 'note' });
    await drainJobs();
    const mails = h().mail.to('mario@rossi.test');
    expect(mails.map((m) => m.subject)).to.deep.equal([`[#${n}] Shared drive`]);
    const [reply] = mails;
    expect(reply.text).to.match(/^Mapped again as S:\n\n-- \nAlice Admin, Acme Services\nReply to this email, or see the ticket at http:\/\/acme\.localhost:3000\/portal\/tickets\/\d+/);
    expect(reply.headers.get('reply-to')).to.have.nested.property('value[0].address', 'help@acme.test');
    expect(reply.headers.get('auto-submitted'), 'a person\'s answer, not automatic mail').to.equal(undefined);
    expect(await sql("select kind, event_key from notification_sends where kind = 'technician_replied'")).to.have.length(1);
    // The next one threads under it.
    h().mail.clear();
    await alice.post(`/tickets/${n}/replies`, { body: 'And S: reconnects at sign-in now', kind: 'public' });
    await drainJobs();
    expect(h().mail.last('mario@rossi.test').headers.get('in-reply-to')).to.equal(reply.messageId);

    // The admin edits its template in Email Templates: that is what goes out, the reply above
    // a template that does not name {[Message Text]}.
    const [{ id }] = await sql<{ id: number }>("select template_id as id from notification_settings where kind = 'technician_replied' and tenant_id = $1", [f.acme.id]);
    await alice.get(`/admin/email-templates/${id}`);
    expect((await alice.post(`/admin/email-templates/${id}`, { name: 'Our reply', subject: 'Re: {[Ticket Title]} (#{[Ticket Number]})', body: 'Thanks for waiting, {[Contact First Name]}.' })).status).to.equal(303);
    h().mail.clear();
    await alice.post(`/tickets/${n}/replies`, { body: 'All done.', kind: 'public' });
    await drainJobs();
    const edited = h().mail.last('mario@rossi.test');
    expect([edited.subject, edited.text.trim()]).to.deep.equal([`Re: Shared drive (#${n})`, 'All done.\n\nThanks for waiting, Mario.']);

    // Switched off: the reply is written, and not emailed.
    await switchOn(alice, []);
    h().mail.clear();
    expect((await alice.post(`/tickets/${n}/replies`, { body: 'Closing this one', kind: 'public' })).status).to.equal(303);
    await drainJobs();
    expect(h().mail.messages).to.deep.equal([]);
    expect(await sql("select body from ticket_messages where body = 'Closing this one'")).to.have.length(1);
  });

  it('sends one email when a reply resolves the ticket: the reply, saying it is resolved and that replying reopens it — threaded, with its Reply-To and the credentials minted', async () => {
    // Luigi has no portal password yet: the reply sets his first one.
    await sql("update contacts set password_hash = null where email = 'luigi@rossi.test'");
    await alice.get('/tickets/new');
    await alice.post('/tickets', { contact: f.contacts.luigi.id, title: 'Portal access', description: 'x' });
    const n = await ticketNumber('Portal access');
    await sql("update tickets set support_address = 'help@acme.test' where number = $1", [n]);
    await alice.get(`/tickets/${n}`);
    await alice.post(`/tickets/${n}/replies`, { body: 'Looking into it', kind: 'public' });
    await drainJobs();
    const first = h().mail.last('luigi@rossi.test');
    h().mail.clear();
    expect((await alice.post(`/tickets/${n}/replies`, { body: 'Done. Password: {[Portal Password]}', kind: 'public', then: 'resolved' })).status).to.equal(303);
    expect((await sql<{ status: string }>('select status from tickets where number = $1', [n]))[0].status).to.equal('resolved');
    await drainJobs();
    expect(sent(), 'one email to the requester, nothing else').to.deep.equal([`luigi@rossi.test [#${n}] Portal access`]);
    const [mail] = h().mail.messages;
    const password = /^Done\. Password: (\S+)\n\nThis ticket is now resolved\. If the problem is not solved, reply to this email and the ticket reopens\.\n\n-- \nAlice Admin, Acme Services\n/.exec(mail.text)![1];
    expect(password).not.to.equal(MASK);
    expect(mail.html).to.contain('This ticket is now resolved.');
    expect(mail.headers.get('reply-to')).to.have.nested.property('value[0].address', 'help@acme.test');
    expect(mail.headers.get('in-reply-to')).to.equal(first.messageId);
    expect(mail.headers.get('auto-submitted')).to.equal(undefined);
    const luigi = browserFor('acme');
    await luigi.get('/portal/login');
    expect((await luigi.post('/portal/login', { email: 'luigi@rossi.test', password })).status, 'the minted password signs in').to.equal(303);
    expect(await everythingStored()).not.to.contain(password);
    h().mail.clear();

    // Answering it reopens the ticket, as Ticket resolved says.
    await ingestMessage({ tenantId: f.acme.id, mailbox: null, raw: Buffer.from(`From: luigi@rossi.test\nSubject: Re: ${mail.subject}\nMessage-ID: <l1@rossi.test>\nIn-Reply-To: ${mail.messageId}\n\nStill locked out\n`) });
    expect((await sql<{ status: string }>('select status from tickets where number = $1', [n]))[0].status).to.equal('open');
    await drained();

    // Send and set to Pending: the reply alone.
    await alice.post(`/tickets/${n}/replies`, { body: 'Try again in an hour', kind: 'public', then: 'pending' });
    expect(await drained()).to.deep.equal([`luigi@rossi.test [#${n}] Portal access`]);
    expect(h().mail.messages).to.deep.equal([]);
    await alice.post(`/tickets/${n}/status`, { status: 'open' });

    // To an Italian requester the line is Italian, as the shipped reply template is.
    await sql("update contacts set language = 'it' where email = 'luigi@rossi.test'");
    await alice.post(`/tickets/${n}/replies`, { body: 'Sistemato.', kind: 'public', then: 'resolved' });
    await drainJobs();
    expect(h().mail.messages.map((m) => m.text.split('\n-- \n')[0])).to.deep.equal(['Sistemato.\n\nOra questo ticket è risolto. Se il problema persiste, rispondi a questa email e il ticket si riapre.\n']);
    h().mail.clear();

    // Already resolved: the reply alone, no second "resolved".
    await alice.post(`/tickets/${n}/replies`, { body: 'PS: the VPN too.', kind: 'public', then: 'resolved' });
    await drainJobs();
    expect(h().mail.messages.map((m) => m.text.split('\n-- \n')[0])).to.deep.equal(['PS: the VPN too.\n']);
    h().mail.clear();
    await sql("update contacts set language = null where email = 'luigi@rossi.test'");

    // Ticket resolved off: the reply goes out, and says nothing of a resolution.
    await switchOn(alice, ['technician_replied']);
    await alice.post(`/tickets/${n}/status`, { status: 'open' });
    await alice.post(`/tickets/${n}/replies`, { body: 'Fixed for good.', kind: 'public', then: 'resolved' });
    await drainJobs();
    expect(h().mail.messages.map((m) => [m.subject, m.text.split('\n-- \n')[0]])).to.deep.equal([[`[#${n}] Portal access`, 'Fixed for good.\n']]);
    h().mail.clear();

    // Technician replied off: replies are not emailed; the resolution is told as any resolution is.
    await switchOn(alice, ['ticket_resolved']);
    await alice.post(`/tickets/${n}/status`, { status: 'open' });
    await alice.post(`/tickets/${n}/replies`, { body: 'Only in the portal', kind: 'public', then: 'resolved' });
    await drainJobs();
    expect(h().mail.messages.map((m) => m.subject)).to.deep.equal([`[#${n}] Resolved: Portal access`]);
    expect(h().mail.messages[0].text).not.to.contain('Only in the portal');
  });

  it('keeps an internal note out of the requester\'s thread: a technician\'s email on the ticket is named in neither In-Reply-To nor References', async () => {
    await ingestMessage({ tenantId: f.acme.id, mailbox: null, raw: Buffer.from('From: mario@rossi.test\nSubject: Laptop fan\nMessage-ID: <m1@rossi.test>\n\nIt is loud\n') });
    const n = await ticketNumber('Laptop fan');
    await drainJobs();
    const received = h().mail.last('mario@rossi.test');
    h().mail.clear();
    // Bob answers by email: an internal note (an email never speaks to the requester in a technician's name).
    await ingestMessage({ tenantId: f.acme.id, mailbox: null, raw: Buffer.from(`From: bob@acme.test\nSubject: Re: [#${n}] Laptop fan\nMessage-ID: <internal-b1@acme.test>\nIn-Reply-To: <m1@rossi.test>\n\nOrdering a new fan, do not tell him the price\n`) });
    expect(await sql('select internal from ticket_messages where email_message_id = $1', ['<internal-b1@acme.test>'])).to.deep.equal([{ internal: true }]);
    await drained();
    await alice.get(`/tickets/${n}`);
    await alice.post(`/tickets/${n}/replies`, { body: 'A new fan is on its way', kind: 'public' });
    await drainJobs();
    const reply = h().mail.last('mario@rossi.test');
    expect(reply.headers.get('in-reply-to'), 'the latest email of his thread: Ticket received').to.equal(received.messageId);
    expect(String(reply.headers.get('references'))).to.contain('<m1@rossi.test>').and.contain(received.messageId).and.not.contain('internal-b1');
  });

  it('quotes the message in technicians\' notifications: the new ticket\'s description, the requester\'s reply, the note — trimmed, at most 1500 characters', async () => {
    const mario = await signInToPortal('mario');
    await mario.get('/portal/tickets/new');
    await mario.post('/portal/tickets', { title: 'Scanner', description: '\n  The scanner on floor 2 saves blank pages.\n\n\n\nSince Monday.  \n' });
    const n = await ticketNumber('Scanner');
    await drainJobs();
    expect(h().mail.last('bob@acme.test').text).to.contain('Priority: Medium\n\nThe scanner on floor 2 saves blank pages.\n\nSince Monday.\n\nOpen it: http://acme.localhost:3000/tickets/');
    h().mail.clear();
    const long = `It still fails. ${'Details follow. '.repeat(200)}`;
    await mario.get(`/portal/tickets/${n}`);
    await mario.post(`/portal/tickets/${n}/replies`, { body: long });
    await drainJobs();
    const replied = h().mail.last('alice@acme.test').text;
    const quoted = /Status: Open\n\n([^]*)\n\nRead and answer it:/.exec(replied)![1];
    expect(quoted).to.have.length.at.most(1500).and.to.match(/^It still fails\. Details follow\./).and.to.match(/…$/);
    expect(long.startsWith(quoted.slice(0, -1))).to.equal(true);
    h().mail.clear();
    await alice.get(`/tickets/${n}`);
    await alice.post(`/tickets/${n}/replies`, { body: '@bob.tech the driver is 4.2, not 5.0 <b>really</b>', kind: 'note' });
    await drainJobs();
    expect(h().mail.last('bob@acme.test').text).to.contain('mentions you.\n\n@bob.tech the driver is 4.2, not 5.0 <b>really</b>\n\nRead it:');
    expect(h().mail.last('bob@acme.test').html).to.contain('&lt;b&gt;really&lt;/b&gt;');
  });

  it('tells the technicians a note mentions, by email or by name, never the author', async () => {
    await switchOn(alice, ['note_mention']);
    await alice.get('/tickets/new');
    await alice.post('/tickets', { contact: f.contacts.mario.id, title: 'Firewall', description: 'x' });
    const n = await ticketNumber('Firewall');
    await alice.get(`/tickets/${n}`);
    await alice.post(`/tickets/${n}/replies`, { body: '@BobTech can you check? cc @alice@acme.test', kind: 'note' });
    expect(await drained()).to.deep.equal([`bob@acme.test [#${n}] You were mentioned: Firewall`]);
    await alice.post(`/tickets/${n}/replies`, { body: 'Write to mario@rossi.test when done, @bob.tech', kind: 'note' });
    expect(await drained()).to.deep.equal([`bob@acme.test [#${n}] You were mentioned: Firewall`]);
    await alice.post(`/tickets/${n}/replies`, { body: 'No mention here: bob@acme.test', kind: 'note' });
    expect(await drained()).to.deep.equal([]);
  });

  it('tells the requester their ticket is resolved, and their reply to it reopens the ticket', async () => {
    await switchOn(alice, ['ticket_resolved']);
    await alice.get('/tickets/new');
    await alice.post('/tickets', { contact: f.contacts.mario.id, title: 'Backup', description: 'x' });
    const n = await ticketNumber('Backup');
    await alice.get(`/tickets/${n}`);
    await alice.post(`/tickets/${n}/status`, { status: 'resolved' });
    await drainJobs();
    const mail = h().mail.last('mario@rossi.test');
    expect(mail.subject).to.equal(`[#${n}] Resolved: Backup`);
    expect(mail.text).to.contain('reply to this email and the ticket reopens');
    h().mail.clear();
    await ingestMessage({ tenantId: f.acme.id, mailbox: null, raw: Buffer.from(`From: mario@rossi.test\nSubject: Re: ${mail.subject}\nMessage-ID: <r1@rossi.test>\nIn-Reply-To: ${mail.messageId}\n\nIt failed again tonight\n`) });
    expect((await sql<{ status: string }>('select status from tickets where number = $1', [n]))[0].status).to.equal('open');
    // The requester resolving their own ticket is not told.
    const [{ id }] = await sql<{ id: number }>('select id from tickets where number = $1', [n]);
    await inTenantWork(f.acme.id, async (work) => {
      await work.sql.query("update tickets set status = 'resolved' where id = $1", [id]);
      await work.sql.query("insert into ticket_events (tenant_id, ticket_id, field, from_value, to_value, actor_kind, actor_name) values ($1, $2, 'status', 'open', 'resolved', 'contact', 'Mario Rossi')", [f.acme.id, id]);
      raiseTicketEvent({ type: 'ticket.resolved', ticketId: id, from: 'open' });
    }, { kind: 'contact', id: f.contacts.mario.id, name: 'Mario Rossi' });
    expect(await drained()).to.deep.equal([]);
  });

  it('never sends one notification twice for one event', async () => {
    await switchOn(alice, ['ticket_received', 'new_ticket']);
    await alice.get('/tickets/new');
    await alice.post('/tickets', { contact: f.contacts.mario.id, title: 'Once', description: 'x' });
    const [{ id, number }] = await sql<{ id: number; number: number }>("select id, number from tickets where title = 'Once'");
    expect(await drained()).to.have.length(2);
    // The same event raised again (a retried unit, a verb raising it twice): nothing more.
    await inTenantWork(f.acme.id, async () => {
      raiseTicketEvent({ type: 'ticket.created', ticketId: id, number, source: 'technician', automatic: false });
      raiseTicketEvent({ type: 'ticket.created', ticketId: id, number, source: 'technician', automatic: false });
    }, { kind: 'technician', id: f.technicians.alice.id, name: 'Alice Admin' });
    expect(await drained()).to.deep.equal([]);
    expect(await sql('select kind, event_key, recipient from notification_sends order by recipient')).to.deep.equal([
      { kind: 'new_ticket', event_key: `ticket:${id}`, recipient: 'bob@acme.test' },
      { kind: 'ticket_received', event_key: `ticket:${id}`, recipient: 'mario@rossi.test' },
    ]);
  });

  it('leaves out a technician who turned a notification off on their profile', async () => {
    await switchOn(alice, ['new_ticket', 'ticket_assigned']);
    const bob = await signIn('bob');
    const page = await bob.get('/profile/notifications');
    expect(page.status).to.equal(200);
    expect(page.text).to.contain('New ticket').and.contain('Ticket assigned to you');
    expect((await bob.post('/profile/notifications', { receive_ticket_assigned: 'on', receive_requester_replied: 'on', receive_note_mention: 'on' })).status).to.equal(303);
    expect((await bob.get('/profile/notifications')).text).not.to.match(/id="f-receive_new_ticket"[^>]*checked/);
    await alice.get('/tickets/new');
    await alice.post('/tickets', { contact: f.contacts.mario.id, title: 'Quiet', description: 'x' });
    const n = await ticketNumber('Quiet');
    expect(await drained()).to.deep.equal([]);
    await alice.post(`/tickets/${n}/assignment`, { assignee: f.technicians.bob.id });
    expect(await drained()).to.deep.equal([`bob@acme.test [#${n}] Assigned to you: Quiet`]);
  });

  it('refuses an unknown template and keeps what the admin chose; a template a notification sends cannot be deleted', async () => {
    const page = await alice.get('/admin/notifications');
    expect(page.status).to.equal(200);
    const res = await alice.post('/admin/notifications', { enabled_ticket_received: 'on', template_ticket_received: '999999' });
    expect(res.status).to.equal(422);
    expect(res.text).to.contain('Choose one of the workspace’s templates.').and.match(/id="f-enabled_ticket_received"[^>]*checked/);
    expect(res.text).not.to.match(/id="f-enabled_new_ticket"[^>]*checked/);
    expect((await sql<{ kind: string }>('select kind from notification_settings where enabled and tenant_id = $1', [f.acme.id])).length, 'nothing saved').to.equal(KINDS.length);
    const [{ id }] = await sql<{ id: number }>("select template_id as id from notification_settings where kind = 'ticket_resolved' and tenant_id = $1", [f.acme.id]);
    await alice.get(`/admin/email-templates/${id}`);
    const deletion = await alice.post(`/admin/email-templates/${id}/deletion`, {});
    expect(deletion.text).to.contain('Admin &gt; Notifications: Ticket resolved');
    expect(await sql('select id from email_templates where id = $1', [id])).to.have.length(1);
  });

  it('refuses a template holding portal credentials for any notification, in the reader\'s words, keeping the input and saving nothing', async () => {
    const made = await alice.post('/admin/email-templates', { name: 'Credentials notice', subject: 'Your access', body: 'Your password: {[Portal Password]}' });
    expect(made.status, 'a template may hold credentials while no notification sends it').to.equal(303);
    const [{ id: credentials }] = await sql<{ id: number }>("select id from email_templates where name = 'Credentials notice' and tenant_id = $1", [f.acme.id]);
    const before = await sql<{ kind: string; template_id: number }>('select kind, template_id from notification_settings where tenant_id = $1 order by kind', [f.acme.id]);
    const page = await alice.get('/admin/notifications');
    const form: Record<string, string> = {};
    for (const kind of KINDS) {
      form[`template_${kind}`] = /name="template_KIND"[^]*?<option value="(\d+)" selected/.exec(page.text.replace(`name="template_${kind}"`, 'name="template_KIND"'))![1];
      form[`recipients_${kind}`] = kind === 'new_ticket' ? 'all' : kind === 'requester_replied' ? 'assignee_else_all' : kind === 'note_mention' ? 'mentioned' : kind === 'ticket_assigned' ? 'assignee' : 'requester';
      form[`enabled_${kind}`] = 'on';
    }
    for (const kind of ['ticket_received', 'technician_replied', 'ticket_resolved', 'new_ticket']) {
      const res = await alice.post('/admin/notifications', { ...form, [`template_${kind}`]: String(credentials) });
      expect(res.status, kind).to.equal(422);
      expect(res.text, kind).to.contain('&#34;Credentials notice&#34; contains portal credentials: every notification sent with it would change the requester’s portal password');
      const chosen = /name="template_KIND"[^]*?<option value="(\d+)" selected/.exec(res.text.replace(`name="template_${kind}"`, 'name="template_KIND"'))![1];
      expect(Number(chosen), 'the admin\'s choice is kept').to.equal(credentials);
    }
    expect(await sql('select kind, template_id from notification_settings where tenant_id = $1 order by kind', [f.acme.id]), 'nothing saved').to.deep.equal(before);
    await speakItalian('acme');
    const italian = await (await signIn('alice')).post('/admin/notifications', { ...form, template_ticket_resolved: String(credentials) });
    expect(italian.status).to.equal(422);
    expect(italian.text).to.contain('&#34;Credentials notice&#34; contiene le credenziali del portale: ogni notifica inviata con questo modello cambierebbe la password del portale del richiedente');
  });

  it('refuses credentials in a template a notification sends, naming the notification, and keeps the edit', async () => {
    const [{ id, body }] = await sql<{ id: number; body: string }>("select t.id, t.body from notification_settings s join email_templates t on t.id = s.template_id where s.kind = 'ticket_resolved' and s.tenant_id = $1", [f.acme.id]);
    await alice.get(`/admin/email-templates/${id}`);
    const res = await alice.post(`/admin/email-templates/${id}`, { name: 'Ticket resolved', subject: 'Resolved', body: 'Sign in again: {[Portal Password Link]}' });
    expect(res.status).to.equal(422);
    expect(res.text).to.contain('Portal credentials cannot go in &#34;Ticket resolved&#34;: a notification sends it (Admin &gt; Notifications: Ticket resolved)')
      .and.contain('Sign in again: {[Portal Password Link]}');
    const italianName = await alice.post(`/admin/email-templates/${id}`, { name: 'Ticket resolved', subject: 'Resolved', body: 'Password : {[Password del Portale]}' });
    expect(italianName.status, 'the snippet named in Italian is refused too').to.equal(422);
    expect((await sql<{ body: string }>('select body from email_templates where id = $1', [id]))[0].body, 'nothing saved').to.equal(body);
    const plain = await alice.post(`/admin/email-templates/${id}`, { name: 'Ticket resolved', subject: 'Resolved', body: 'Done; reply to reopen.' });
    expect(plain.status, 'without credentials it saves').to.equal(303);
  });

  it('speaks each recipient\'s language with the shipped templates — the contact\'s, the technician\'s own, else the workspace\'s — until an admin edits one', async () => {
    await sql("update technicians set language = 'it' where email = 'bob@acme.test'");
    await sql("update contacts set language = 'it' where email = 'mario@rossi.test'");
    await switchOn(alice, ['new_ticket', 'ticket_received', 'technician_replied']);
    await alice.get('/tickets/new');
    await alice.post('/tickets', { contact: f.contacts.mario.id, title: 'Urgent', description: 'x', priority: 'high' });
    await drainJobs();
    const n = await ticketNumber('Urgent');
    expect(h().mail.last('bob@acme.test').subject).to.equal(`[#${n}] Nuovo ticket: Urgent`);
    expect(h().mail.last('bob@acme.test').text).to.contain('Ciao Bob Tech,').and.contain('Priorità: Alta');
    expect(h().mail.last('mario@rossi.test').subject).to.equal(`[#${n}] Abbiamo ricevuto la tua richiesta: Urgent`);
    // A reply to Mario: the reply template in Italian; to Luigi (no language of his own) in the workspace's English.
    await alice.get(`/tickets/${n}`);
    await alice.post(`/tickets/${n}/replies`, { body: 'Ci penso io.', kind: 'public' });
    await alice.post('/tickets', { contact: f.contacts.luigi.id, title: 'Toner', description: 'x' });
    const m = await ticketNumber('Toner');
    await alice.get(`/tickets/${m}`);
    await alice.post(`/tickets/${m}/replies`, { body: 'On its way.', kind: 'public' });
    await drainJobs();
    expect(h().mail.last('mario@rossi.test').text).to.contain('Ci penso io.\n\n-- \nAlice Admin, Acme Services\nRispondi a questa email, oppure consulta il ticket su');
    expect(h().mail.last('luigi@rossi.test').text).to.contain('On its way.\n\n-- \nAlice Admin, Acme Services\nReply to this email, or see the ticket at');
    // The Email Templates page says so; saved as it is, it stays shipped.
    const [{ id }] = await sql<{ id: number }>("select template_id as id from notification_settings where kind = 'new_ticket' and tenant_id = $1", [f.acme.id]);
    const page = await alice.get(`/admin/email-templates/${id}`);
    expect(page.text).to.contain('each recipient gets it in their own language');
    const field = (name: string) => new RegExp(`name="${name}"[^>]*value="([^"]*)"`).exec(page.text)![1];
    const body = /<textarea id="f-body"[^>]*>([^]*?)<\/textarea>/.exec(page.text)![1];
    const unescape = (v: string) => v.replace(/&#39;/g, "'").replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
    expect((await alice.post(`/admin/email-templates/${id}`, { name: unescape(field('name')), subject: unescape(field('subject')), body: unescape(body) })).status).to.equal(303);
    expect(await sql('select shipped from email_templates where id = $1', [id])).to.deep.equal([{ shipped: 'new_ticket' }]);
    // Edited, it is the admin's: sent as written, to everyone.
    expect((await alice.post(`/admin/email-templates/${id}`, { name: 'New ticket (to technicians)', subject: 'New: {[Ticket Title]}', body: 'Priority {[Ticket Priority]}' })).status).to.equal(303);
    expect(await sql('select shipped from email_templates where id = $1', [id])).to.deep.equal([{ shipped: null }]);
    expect((await alice.get(`/admin/email-templates/${id}`)).text).not.to.contain('each recipient gets it in their own language');
    h().mail.clear();
    await alice.post('/tickets', { contact: f.contacts.mario.id, title: 'Later', description: 'x', priority: 'low' });
    await drainJobs();
    expect([h().mail.last('bob@acme.test').subject, h().mail.last('bob@acme.test').text.trim()]).to.deep.equal(['New: Later', 'Priority Bassa']);
    h().mail.clear();
    await signUp({ companyName: 'Rossi Impianti', slug: 'rossi', edition: 'msp', plan: 'pro', adminName: 'Maria Rossi', adminEmail: 'maria@rossi-impianti.test', password: 'a long enough passphrase', language: 'it' });
    const names = await sql<{ kind: string; name: string; subject: string }>(
      "select s.kind, e.name, e.subject from notification_settings s join email_templates e on e.id = s.template_id join tenants t on t.id = s.tenant_id where t.slug = 'rossi' order by s.id");
    expect(names.map((r) => r.name)).to.deep.equal(['Ticket ricevuto', 'Risposta al richiedente', 'Ticket risolto', 'Nuovo ticket (ai tecnici)', 'Ticket assegnato (ai tecnici)', 'Risposta del richiedente (ai tecnici)', 'Menzione in una nota (ai tecnici)']);
    expect(names.find((r) => r.kind === 'new_ticket')!.subject).to.equal('[#{[Numero del Ticket]}] Nuovo ticket: {[Titolo del Ticket]}');
  });
});
