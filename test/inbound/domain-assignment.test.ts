// Mail ingest places the contact it makes from an unknown sender where customerForNewContact
// says: on Enterprise the customer owning the sender's domain, otherwise "Unassigned" —
// through the pipeline, and through a real mailbox (Dovecot over IMAP, polled).
import { expect } from 'chai';
import { inTenant } from '../../src/db/unit-of-work.js';
import { createMailbox } from '../../src/domain/mailbox/mailboxes.js';
import { Tenant } from '../../src/domain/tenant/tenant.js';
import { ingestMessage } from '../../src/inbound/ingest.js';
import { pollMailbox } from '../../src/inbound/poll.js';
import { loadFixtures, signIn, sql, type Fixtures } from '../support/index.js';
import { DOVECOT, Dovecot } from '../support/dovecot.js';
import { requireProgram } from '../support/require-program.js';

const mail = (from: string, id: string) =>
  `From: ${from}\nTo: support@acme.test\nSubject: Printer\nMessage-ID: <${id}>\nContent-Type: text/plain\n\nHello\n`;

async function customerOf(email: string): Promise<string> {
  const [row] = await sql<{ name: string }>('select c.name from contacts k join customers c on c.id = k.customer_id where k.email = $1', [email]);
  return row.name;
}

describe('Ingest places new contacts by domain', () => {
  let fx: Fixtures;
  beforeEach(async () => {
    fx = await loadFixtures();
    await sql('update email_settings set auto_create_contacts = true');
    const [springfield] = await sql<{ id: number }>('select id from customers where tenant_id = $1 and not is_default', [fx.globex.id]);
    await sql('insert into customer_domains (tenant_id, customer_id, domain) values ($1, $2, $4), ($3, $5, $4)',
      [fx.acme.id, fx.customers['Rossi Impianti'].id, fx.globex.id, 'client.example', springfield.id]);
  });

  it('on Enterprise, in the customer owning the domain, saying so; an unknown domain in Unassigned', async () => {
    expect((await ingestMessage({ tenantId: fx.acme.id, mailbox: null, raw: Buffer.from(mail('Someone <Someone@Client.Example>', 'd1@client.example')) })).outcome).to.equal('ticket_created');
    expect(await customerOf('someone@client.example')).to.equal('Rossi Impianti');
    const [event] = await sql<{ details: { placedByDomain?: string } }>("select details from audit_events where action = 'contact.created'");
    expect(event.details.placedByDomain).to.equal('client.example');
    const [contact] = await sql<{ id: number }>("select id from contacts where email = 'someone@client.example'");
    const page = await (await signIn('alice')).get(`/contacts/${contact.id}`);
    expect(page.text).to.contain('Placed in Rossi Impianti by its domain client.example.');
    await ingestMessage({ tenantId: fx.acme.id, mailbox: null, raw: Buffer.from(mail('other@unknown.example', 'd2@unknown.example')) });
    expect(await customerOf('other@unknown.example')).to.equal('Unassigned');
  });

  it('on Pro, in Unassigned though a customer holds the domain', async () => {
    await ingestMessage({ tenantId: fx.globex.id, mailbox: null, raw: Buffer.from(mail('someone@client.example', 'd3@client.example')) });
    expect(await customerOf('someone@client.example')).to.equal('Unassigned');
  });
});

describe('A real mailbox places new contacts by domain', function () {
  this.timeout(60_000);
  const dovecot = new Dovecot();
  let fx: Fixtures;
  let n = 0;

  before(async function () {
    requireProgram(this, DOVECOT, 'Dovecot', 'apt-get install -y dovecot-imapd');
    await dovecot.start();
  });
  after(async () => { await dovecot.stop(); });

  beforeEach(async () => {
    fx = await loadFixtures();
    await sql('update email_settings set auto_create_contacts = true');
  });

  /** A fresh IMAP account on Dovecot, and a support mailbox of `tenantId` polling it. */
  async function supportMailbox(tenantId: number, slug: string) {
    n += 1;
    const address = `support-${n}@${slug}.test`;
    const user = dovecot.addUser(address);
    const mailboxId = await inTenant(tenantId, async (em) => (await createMailbox(em, await em.findOneOrFail(Tenant, { id: tenantId }), {
      address, host: '127.0.0.1', port: String(dovecot.port), tls: 'none', username: address, password: user.password,
    })).id);
    return { user, mailboxId, address };
  }

  const message = (from: string, to: string, id: string) =>
    `From: ${from}\r\nTo: ${to}\r\nSubject: Printer jam\r\nMessage-ID: <${id}>\r\nDate: Tue, 01 Dec 2026 09:00:00 +0000\r\nContent-Type: text/plain\r\n\r\nThe printer jams.\r\n`;

  it('on Enterprise, mail from someone@client.example lands the contact in the customer owning client.example; an unknown domain in Unassigned', async () => {
    const alice = await signIn('alice');
    expect((await alice.post(`/customers/${fx.customers['Rossi Impianti'].id}/domains`, { add: 'client.example' })).status).to.equal(303);
    const box = await supportMailbox(fx.acme.id, 'acme');
    await dovecot.append(box.user, [message('Someone <someone@client.example>', box.address, 'imap-1@client.example'), message('other@unknown.example', box.address, 'imap-2@unknown.example')]);
    await pollMailbox(fx.acme.id, box.mailboxId);
    expect(await customerOf('someone@client.example')).to.equal('Rossi Impianti');
    expect(await customerOf('other@unknown.example')).to.equal('Unassigned');
    const [ticket] = await sql<{ name: string }>("select cu.name from tickets t join customers cu on cu.id = t.customer_id where t.title = 'Printer jam' order by t.id limit 1");
    expect(ticket.name).to.equal('Rossi Impianti');
  });

  it('on Pro, the same stored domain places nobody: the contact lands in Unassigned', async () => {
    const [springfield] = await sql<{ id: number }>('select id from customers where tenant_id = $1 and not is_default', [fx.globex.id]);
    await sql('insert into customer_domains (tenant_id, customer_id, domain) values ($1, $2, $3)', [fx.globex.id, springfield.id, 'client.example']);
    const box = await supportMailbox(fx.globex.id, 'globex');
    await dovecot.append(box.user, [message('someone@client.example', box.address, 'imap-3@client.example')]);
    await pollMailbox(fx.globex.id, box.mailboxId);
    expect(await customerOf('someone@client.example')).to.equal('Unassigned');
  });
});
