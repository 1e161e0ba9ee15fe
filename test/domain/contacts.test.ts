// createContact is the one door for every contact (manual, email, csv): what the
// ingest and import code will rely on, checked without the web layer.
import { expect } from 'chai';
import { runWithCurrent } from '../../src/current.js';
import { inTenant } from '../../src/db/unit-of-work.js';
import { createContact } from '../../src/domain/contact/contacts.js';
import { Tenant } from '../../src/domain/tenant/tenant.js';
import { say, speakerFor } from '../../src/i18n/translate.js';
import { ValidationError } from '../../src/lib/validation.js';
import { loadFixtures, sql, type Fixtures } from '../support/index.js';

describe('createContact', () => {
  let fx: Fixtures;
  beforeEach(async () => {
    fx = await loadFixtures();
  });

  it('makes a contact from just an address, in the default customer, with its source, audited as the system', async () => {
    const contact = await runWithCurrent({ actor: { kind: 'system' } }, () => inTenant(fx.acme.id, async (em) => {
      const tenant = await em.findOneOrFail(Tenant, { id: fx.acme.id });
      return createContact(em, tenant, { email: 'Someone@Example.TEST' }, { source: 'email' });
    }));
    expect(contact.id).to.be.a('number');
    const [row] = await sql<{ email: string; source: string; is_default: boolean; portal_access: boolean }>(
      'select k.email, k.source, c.is_default, k.portal_access from contacts k join customers c on c.id = k.customer_id where k.id = $1', [contact.id]);
    expect(row).to.deep.equal({ email: 'someone@example.test', source: 'email', is_default: true, portal_access: false });
    const [event] = await sql<{ actor_kind: string; details: { source: string } }>("select actor_kind, details from audit_events where action = 'contact.created'");
    expect(event.actor_kind).to.equal('system');
    expect(event.details.source).to.equal('email');
  });

  it('refuses a duplicate address with a ValidationError naming the contact, and writes nothing', async () => {
    const error = await inTenant(fx.acme.id, async (em) => {
      const tenant = await em.findOneOrFail(Tenant, { id: fx.acme.id });
      return createContact(em, tenant, { email: 'PEACH@bianchi.test' }, { source: 'csv' }).then(() => undefined, (e: unknown) => e);
    });
    expect(error).to.be.instanceOf(ValidationError);
    const message = (error as ValidationError).errors.email;
    expect(say(speakerFor('en').t, message)).to.equal('Peach Bianchi already uses this email address.');
    expect(say(speakerFor('it').t, message)).to.equal('Peach Bianchi usa già questo indirizzo email.');
    expect(await sql("select * from audit_events where action = 'contact.created'")).to.have.length(0);
  });
});
