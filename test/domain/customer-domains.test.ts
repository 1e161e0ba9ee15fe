// Manage Domains in the domain logic: normalisation, the refusals (all or nothing), and
// customerForNewContact — where every creation path places a new contact.
import { expect } from 'chai';
import { runWithCurrent } from '../../src/current.js';
import { inTenant } from '../../src/db/unit-of-work.js';
import { createContact } from '../../src/domain/contact/contacts.js';
import { Customer } from '../../src/domain/customer/customer.js';
import { applyDomains, normaliseDomain, shownDomain, splitDomains } from '../../src/domain/customer/domains.js';
import { Tenant } from '../../src/domain/tenant/tenant.js';
import { say, speakerFor } from '../../src/i18n/translate.js';
import { ForbiddenError, ValidationError } from '../../src/lib/validation.js';
import { loadFixtures, sql, type Fixtures } from '../support/index.js';

async function apply(tenantId: number, customerId: number, change: { keep?: string[]; add?: string }): Promise<unknown> {
  return runWithCurrent({ actor: { kind: 'system' } }, () => inTenant(tenantId, async (em) => {
    const tenant = await em.findOneOrFail(Tenant, { id: tenantId });
    const customer = await em.findOneOrFail(Customer, { id: customerId });
    return applyDomains(em, tenant, customer, { keep: change.keep ?? [], add: change.add ?? '' });
  })).catch((error: unknown) => error);
}

async function domains(customerId: number): Promise<string[]> {
  return (await sql<{ domain: string }>('select domain from customer_domains where customer_id = $1 order by domain', [customerId])).map((r) => r.domain);
}

function words(error: unknown, lang: 'en' | 'it' = 'en'): string[] {
  expect(error).to.be.instanceOf(ValidationError);
  return Object.values((error as ValidationError).errors).map((m) => say(speakerFor(lang).t, m));
}

async function newContact(tenantId: number, email: string) {
  return runWithCurrent({ actor: { kind: 'system' } }, () => inTenant(tenantId, async (em) => {
    const tenant = await em.findOneOrFail(Tenant, { id: tenantId });
    const contact = await createContact(em, tenant, { email }, { source: 'email', welcome: false });
    return { id: contact.id, customer: contact.customer.name };
  }));
}

describe('Customer domains', () => {
  let fx: Fixtures;
  let rossi: number;
  let bianchi: number;
  beforeEach(async () => {
    fx = await loadFixtures();
    rossi = fx.customers['Rossi Impianti'].id;
    bianchi = fx.customers['Bianchi Srl'].id;
  });

  it('normalises what is typed and round-trips an internationalised name', () => {
    expect(normaliseDomain('  Client.Example. ')).to.equal('client.example');
    expect(normaliseDomain('@client.example')).to.equal('client.example');
    expect(normaliseDomain('Someone@Client.Example')).to.equal('client.example');
    expect(normaliseDomain('Müller.DE')).to.equal('xn--mller-kva.de');
    expect(shownDomain('xn--mller-kva.de')).to.equal('müller.de');
    expect(splitDomains('a.example, b.example\nc.example;d.example  e.example')).to.deep.equal(['a.example', 'b.example', 'c.example', 'd.example', 'e.example']);
  });

  it('adds and removes domains in one Apply, stored as punycode, audited', async () => {
    expect(await apply(fx.acme.id, rossi, { add: 'rossi.example, @Müller.de\nluigi@rossi-impianti.it' })).to.deep.include({ removed: [] });
    expect(await domains(rossi)).to.deep.equal(['rossi-impianti.it', 'rossi.example', 'xn--mller-kva.de']);
    await apply(fx.acme.id, rossi, { keep: ['rossi.example', 'xn--mller-kva.de'], add: 'rossi.example' });
    expect(await domains(rossi)).to.deep.equal(['rossi.example', 'xn--mller-kva.de']);
    const events = await sql<{ details: { added: string[]; removed: string[] } }>("select details from audit_events where action = 'customer.domains_changed' order by id");
    expect(events.map((e) => e.details)).to.deep.equal([
      { name: 'Rossi Impianti', added: ['rossi.example', 'xn--mller-kva.de', 'rossi-impianti.it'], removed: [] },
      { name: 'Rossi Impianti', added: [], removed: ['rossi-impianti.it'] },
    ]);
  });

  it('refuses free mail, a domain another customer owns (naming it), and names that are no domains; a mixed Apply changes nothing', async () => {
    await apply(fx.acme.id, bianchi, { add: 'bianchi.example' });
    await apply(fx.acme.id, rossi, { add: 'rossi.example' });
    const error = await apply(fx.acme.id, rossi, { keep: [], add: 'new-rossi.example gmail.com @yopmail.com bianchi.example co.uk localhost 127.0.0.1 a_b.example' });
    expect(words(error)).to.deep.equal([
      'gmail.com is a public mailbox provider: its addresses belong to strangers, who must not be put together in one customer.',
      'yopmail.com is a public mailbox provider: its addresses belong to strangers, who must not be put together in one customer.',
      '“co.uk” is not a domain name that can be owned (such as client.example).',
      '“localhost” is not a domain name that can be owned (such as client.example).',
      '“127.0.0.1” is not a domain name that can be owned (such as client.example).',
      '“a_b.example” is not a domain name that can be owned (such as client.example).',
      'bianchi.example already belongs to Bianchi Srl.',
    ]);
    expect(words(error, 'it')).to.include('bianchi.example appartiene già a Bianchi Srl.');
    // Nothing changed: rossi.example (unticked) stays, new-rossi.example (valid) was not added.
    expect(await domains(rossi)).to.deep.equal(['rossi.example']);
    expect(await sql("select * from audit_events where action = 'customer.domains_changed'")).to.have.length(2);
  });

  it('is Enterprise only, in the domain logic too', async () => {
    const springfield = (await sql<{ id: number }>("select id from customers where tenant_id = $1 and not is_default", [fx.globex.id]))[0].id;
    expect(await apply(fx.globex.id, springfield, { add: 'springfield.example' })).to.be.instanceOf(ForbiddenError);
    expect(await domains(springfield)).to.deep.equal([]);
  });

  it('places a new contact in the customer owning its domain on Enterprise, says why, and never moves existing contacts', async () => {
    await apply(fx.acme.id, rossi, { add: 'client.example, rossi.test' });
    const placed = await newContact(fx.acme.id, 'Someone@Client.Example');
    expect(placed.customer).to.equal('Rossi Impianti');
    const [event] = await sql<{ details: { placedByDomain: string; customer: { name: string } } }>(
      "select details from audit_events where action = 'contact.created' and subject_id = $1", [placed.id]);
    expect(event.details).to.deep.include({ placedByDomain: 'client.example', customer: { id: rossi, name: 'Rossi Impianti' } });
    expect((await newContact(fx.acme.id, 'someone@unknown.example')).customer).to.equal('Unassigned');
    // Exact match on the stored form: a subdomain is another domain.
    expect((await newContact(fx.acme.id, 'someone@mail.client.example')).customer).to.equal('Unassigned');
    // peach@bianchi.test existed before rossi.test mattered, and bianchi.test is not rossi's anyway: nobody moved.
    const [peach] = await sql<{ customer_id: number }>("select customer_id from contacts where email = 'peach@bianchi.test'");
    expect(peach.customer_id).to.equal(bianchi);
  });

  it('keeps one domain in two workspaces apart, and does not use stored domains on Pro', async () => {
    await sql("update tenants set plan = 'enterprise' where id = $1", [fx.globex.id]);
    const springfield = (await sql<{ id: number }>("select id from customers where tenant_id = $1 and not is_default", [fx.globex.id]))[0].id;
    expect(await apply(fx.globex.id, springfield, { add: 'client.example' })).not.to.be.instanceOf(Error);
    expect(await apply(fx.acme.id, rossi, { add: 'client.example' })).not.to.be.instanceOf(Error);
    expect((await newContact(fx.acme.id, 'one@client.example')).customer).to.equal('Rossi Impianti');
    expect((await newContact(fx.globex.id, 'two@client.example')).customer).to.equal('Springfield');
    // Back on Pro, the stored domain stays but places nobody.
    await sql("update tenants set plan = 'pro' where id = $1", [fx.globex.id]);
    expect((await newContact(fx.globex.id, 'three@client.example')).customer).to.equal('Unassigned');
    expect(await domains(springfield)).to.deep.equal(['client.example']);
  });
});
