// The source article's third method, end to end: the workspace's shipped example rule
// (New Ticket Created, title equals [Portal Credentials] → email the contact the
// credentials template), turned on, answers a ticket opened in the portal and one
// opened by email through a real mailbox; the contact signs in with what they got.
import { expect } from 'chai';
import { inTenant } from '../../src/db/unit-of-work.js';
import { createMailbox } from '../../src/domain/mailbox/mailboxes.js';
import { PORTAL_PASSWORD_LINK } from '../../src/domain/email/snippets.js';
import { Tenant } from '../../src/domain/tenant/tenant.js';
import { pollMailbox } from '../../src/inbound/poll.js';
import { browserFor, drainJobs, everythingStored, h, linkIn, loadFixtures, signIn, signInToPortal, sql, type Fixtures } from '../support/index.js';
import { DOVECOT, Dovecot } from '../support/dovecot.js';
import { requireProgram } from '../support/require-program.js';
import { activate, runs } from './rules-support.js';

const CHOSEN = 'a passphrase of my own';

/** The contact follows the emailed single-use link, chooses a password and signs in with it. */
async function signInWithEmailedCredentials(email: string): Promise<void> {
  // The requester also gets the notifications a workspace sends (Ticket received): the credentials are the rule's email.
  const mail = h().mail.messages.filter((m) => m.to.includes(email) && m.subject === 'Your Customer Portal credentials').at(-1)!;
  expect(mail.subject).to.equal('Your Customer Portal credentials');
  expect(mail.headers.get('auto-submitted')).to.equal('auto-generated');
  expect(mail.text).to.contain('Find your portal credentials below').and.contain(`Username : ${email}`);
  const link = new URL(linkIn(mail.text, /\/portal\/reset\//));
  const contact = browserFor('acme');
  expect((await contact.get(link.pathname)).status).to.equal(200);
  expect((await contact.post(link.pathname, { password: CHOSEN, confirmation: CHOSEN })).status).to.equal(303);
  await contact.get('/portal/login');
  expect((await contact.post('/portal/login', { email, password: CHOSEN })).status).to.equal(303);
  expect((await contact.get('/portal/account')).text).to.contain(email);
  expect(await everythingStored()).not.to.contain(link.pathname.split('/').pop());
}

describe('The article\'s example rule: portal credentials on request', function () {
  this.timeout(60_000);
  let f: Fixtures;
  beforeEach(async () => { f = await loadFixtures(); });

  it('ships with every workspace, inactive, in its language, with its templates', async () => {
    const rules = await sql<{ slug: string; name: string; trigger: string; active: boolean; conditions: unknown; actions: unknown }>(
      `select t.slug, r.name, r.trigger, r.active,
         (select json_agg(json_build_array(c.property, c.operator, c.value)) from ticket_rule_conditions c where c.rule_id = r.id) as conditions,
         (select json_agg(json_build_array(a.kind, e.name)) from ticket_rule_actions a join email_templates e on e.id = a.template_id where a.rule_id = r.id) as actions
       from ticket_rules r join tenants t on t.id = r.tenant_id order by t.slug, r.position`);
    expect(rules).to.deep.equal([
      { slug: 'acme', name: 'Portal credentials on request', trigger: 'ticket_created', active: false, conditions: [['title', 'equals', '[Portal Credentials]']], actions: [['email_contact', 'Portal credentials']] },
      { slug: 'acme', name: 'Ticket received', trigger: 'ticket_created', active: false, conditions: [['source', 'not_equals', 'technician']], actions: [['email_contact', 'Ticket received']] },
      { slug: 'acme', name: 'Technician reply', trigger: 'technician_responded', active: false, conditions: null, actions: [['email_contact', 'Technician reply']] },
      { slug: 'globex', name: 'Portal credentials on request', trigger: 'ticket_created', active: false, conditions: [['title', 'equals', '[Portal Credentials]']], actions: [['email_contact', 'Portal credentials']] },
      { slug: 'globex', name: 'Ticket received', trigger: 'ticket_created', active: false, conditions: [['source', 'not_equals', 'technician']], actions: [['email_contact', 'Ticket received']] },
      { slug: 'globex', name: 'Technician reply', trigger: 'technician_responded', active: false, conditions: null, actions: [['email_contact', 'Technician reply']] },
    ]);
    // Inactive, they do nothing.
    const mario = await signInToPortal('mario');
    await mario.get('/portal/tickets/new');
    expect((await mario.post('/portal/tickets', { title: '[Portal Credentials]', description: 'I lost them' })).status).to.equal(303);
    await drainJobs();
    expect(h().mail.messages.map((m) => m.subject), 'the notifications only').to.deep.equal(['[#1001] We received your request: [Portal Credentials]', '[#1001] New ticket: [Portal Credentials]', '[#1001] New ticket: [Portal Credentials]']);
    expect(await runs(f.acme.id)).to.deep.equal([]);
    expect(await sql('select id from ticket_rule_events')).to.deep.equal([]);
  });

  it('emails the credentials to a contact who opens a portal ticket so titled; they sign in with them', async () => {
    await activate(f.acme.id, 'Portal credentials on request');
    const mario = await signInToPortal('mario');
    await mario.get('/portal/tickets/new');
    expect((await mario.post('/portal/tickets', { title: '[Portal Credentials]', description: 'My colleague needs them again' })).status).to.equal(303);
    expect(h().mail.messages, 'nothing is sent inside the request').to.have.length(0);
    await drainJobs();
    // The rule's credentials, and the notifications: Ticket received to Mario, New ticket to the technicians.
    expect(h().mail.messages.map((m) => m.to[0]).sort()).to.deep.equal(['alice@acme.test', 'bob@acme.test', 'mario@rossi.test', 'mario@rossi.test']);
    await signInWithEmailedCredentials('mario@rossi.test');
    const [run] = await runs(f.acme.id);
    expect(run).to.deep.include({ rule: 'Portal credentials on request', event: 'ticket.created', outcome: 'applied', error: null });
    expect(run.actions).to.deep.equal([{ kind: 'email_contact', result: 'applied', detail: 'mario@rossi.test' }]);
    const [email] = await sql<{ kind: string; auto_submitted: boolean; ticket_id: number; text_body: string }>("select kind, auto_submitted, ticket_id, text_body from outbound_emails where kind <> 'notification'");
    expect(email).to.include({ kind: 'rule_email', auto_submitted: true });
    expect(email.text_body, 'the credentials are minted at send, not stored').to.contain(PORTAL_PASSWORD_LINK).and.not.contain('/portal/reset/');
    expect(await sql("select actor_kind, actor_name, subject_type, details->>'template' as template from audit_events where action = 'contact.credentials_queued'")).to.deep.equal([
      { actor_kind: 'rule', actor_name: 'Portal credentials on request', subject_type: 'contact', template: 'Portal credentials' },
    ]);
    // The Mail Log says what it was.
    const alice = await signIn('alice');
    const [{ id }] = await sql<{ id: number }>("select id from outbound_emails where kind = 'rule_email'");
    expect((await alice.get(`/admin/mail-log/${id}`)).text).to.contain('Automation rule email');
    expect(await sql('select id from ticket_rule_events'), 'the queue is empty once done').to.deep.equal([]);
  });

  describe('by email, through the real mailbox', () => {
    const dovecot = new Dovecot();
    before(async function () {
      requireProgram(this, DOVECOT, 'Dovecot', 'apt-get install -y dovecot-imapd');
      await dovecot.start();
    });
    after(async () => { await dovecot.stop(); });

    it('emails the credentials to a new sender whose subject is [Portal Credentials]; they sign in with them', async () => {
      await sql('update email_settings set auto_create_contacts = true where tenant_id = $1', [f.acme.id]);
      await activate(f.acme.id, 'Portal credentials on request');
      const address = 'support-rules@acme.test';
      const user = dovecot.addUser(address);
      const mailboxId = await inTenant(f.acme.id, async (em) => (await createMailbox(em, await em.findOneOrFail(Tenant, { id: f.acme.id }), {
        address, host: '127.0.0.1', port: String(dovecot.port), tls: 'none', username: address, password: user.password,
      })).id);
      await dovecot.append(user, [Buffer.from(`From: Giulia Verdi <giulia.verdi@newco.test>\r\nTo: ${address}\r\nSubject:  [PORTAL CREDENTIALS] \r\n`
        + 'Message-ID: <ask-1@newco.test>\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nPlease send me my access.\r\n')]);
      const report = await pollMailbox(f.acme.id, mailboxId);
      expect(report.problem).to.equal(undefined);
      expect((await sql<{ outcome: string }>('select outcome from inbound_messages'))[0].outcome).to.equal('ticket_created');
      await drainJobs();
      expect(h().mail.messages.map((m) => m.to[0]).sort()).to.deep.equal(['alice@acme.test', 'bob@acme.test', 'giulia.verdi@newco.test', 'giulia.verdi@newco.test']);
      await signInWithEmailedCredentials('giulia.verdi@newco.test');
      expect((await runs(f.acme.id)).map((r) => r.outcome)).to.deep.equal(['applied']);
    });
  });
});
