// Mail ingest places the contact it makes from an unknown sender where customerForNewContact
// says: on Enterprise the customer owning the sender's domain, otherwise "Unassigned".
import { expect } from 'chai';
import { ingestMessage } from '../../src/inbound/ingest.js';
import { loadFixtures, signIn, sql, type Fixtures } from '../support/index.js';

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
