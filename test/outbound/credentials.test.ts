import { expect } from 'chai';
import { inTenant } from '../../src/db/unit-of-work.js';
import { Tenant } from '../../src/domain/tenant/tenant.js';
import { MASK, PORTAL_PASSWORD, PORTAL_PASSWORD_LINK, TECHNICIAN_PASSWORD_LINK } from '../../src/outbound/credentials.js';
import { queueEmail } from '../../src/outbound/outbox.js';
import { Contact } from '../../src/domain/contact/contact.js';
import { sendTemplate } from '../../src/domain/email/send.js';
import { browserFor, drainJobs, everythingLogged, everythingStored, h, loadFixtures, speakItalian, sql, type Fixtures } from '../support/index.js';

describe('Credential minting in the send job', () => {
  let fx: Fixtures;
  beforeEach(async () => {
    fx = await loadFixtures();
  });

  async function queue(to: string, target: Record<string, unknown> | null) {
    await inTenant(fx.acme.id, async (em) => {
      const tenant = await em.findOneOrFail(Tenant, { id: fx.acme.id });
      queueEmail(em, tenant, {
        kind: 'test', to: { address: to }, subject: 'Test',
        text: `P: ${PORTAL_PASSWORD} L: ${PORTAL_PASSWORD_LINK} T: ${TECHNICIAN_PASSWORD_LINK}`, credentialTarget: target,
      });
      await em.flush();
    });
    await drainJobs();
  }

  it('mints nothing for a message without a matching recipient: the credentials go out masked', async () => {
    const before = await sql('select password_hash, password_changed_at from contacts order by id');
    await queue('stranger@example.test', null);
    await queue('stranger@example.test', { contactId: fx.contacts.mario.id, technicianId: fx.technicians.bob.id });
    expect(h().mail.to('stranger@example.test').map((m) => m.text.trim())).to.deep.equal([
      `P: ${MASK} L: ${MASK} T: ${MASK}`, `P: ${MASK} L: ${MASK} T: ${MASK}`,
    ]);
    expect(await sql('select password_hash, password_changed_at from contacts order by id')).to.deep.equal(before);
    expect(await sql('select * from password_tokens where contact_id is not null or purpose <> \'handover\'')).to.have.length(0);
  });

  it('leaves no minted credential behind when SMTP refuses the message', async () => {
    const before = await sql('select password_hash, must_change_password from contacts order by id');
    h().mail.failNext(1);
    await queue('mario@rossi.test', { contactId: fx.contacts.mario.id });
    expect(await sql('select password_hash, must_change_password from contacts order by id')).to.deep.equal(before);
    expect(await sql('select * from password_tokens where contact_id is not null')).to.have.length(0);
    await drainJobs({ includeFuture: true });
    const mail = h().mail.last('mario@rossi.test');
    expect(mail.text).to.match(/P: [A-Za-z0-9]{16} L: http:\/\/acme\.localhost:3000\/portal\/reset\/\S+ T: ••••••••/);
  });

  it('mints nothing when a contact\'s first and last names join into {[Portal Password]} in a template', async () => {
    await sql("update contacts set first_name = 'Mario {', last_name = '[Portal Password]}' where email = 'mario@rossi.test'");
    const before = await sql('select password_hash, must_change_password from contacts order by id');
    await inTenant(fx.acme.id, async (em) => {
      const tenant = await em.findOneOrFail(Tenant, { id: fx.acme.id });
      const mario = await em.findOneOrFail(Contact, { id: fx.contacts.mario.id });
      await sendTemplate(em, tenant, { name: 'Names', subject: 'Hi {[Contact First Name]}{[Contact Last Name]}', body: 'Dear {[Contact First Name]}{[Contact Last Name]} of {[Customer Name]}' }, { kind: 'test', contact: mario });
    });
    await drainJobs();
    expect(h().mail.last('mario@rossi.test').text.trim()).to.equal('Dear Mario {[Portal Password]} of Rossi Impianti');
    expect(await sql('select password_hash, must_change_password from contacts order by id')).to.deep.equal(before);
    expect(await sql("select * from audit_events where action in ('contact.credentials_queued', 'contact.temporary_password_minted')")).to.have.length(0);
    expect(await sql("select credential_target from outbound_emails")).to.deep.equal([{ credential_target: null }]);
  });

  it('mints a temporary password for {[Password del Portale]} at send time, as for {[Portal Password]}, and stores it nowhere', async () => {
    await speakItalian('acme');
    await inTenant(fx.acme.id, async (em) => {
      const tenant = await em.findOneOrFail(Tenant, { id: fx.acme.id });
      const luigi = await em.findOneOrFail(Contact, { id: fx.contacts.luigi.id });
      await sendTemplate(em, tenant, { name: 'Credenziali', subject: 'Le tue credenziali', body: 'Nome Utente : {[Nome Utente del Portale]}\nPassword : {[Password del Portale]}' }, { kind: 'test', contact: luigi });
    });
    const [queued] = await sql<{ text_body: string; credential_target: unknown }>('select text_body, credential_target from outbound_emails');
    expect(queued.text_body).to.contain(`Password : ${PORTAL_PASSWORD}`); // the marker, minted only by the send job
    expect(queued.credential_target).to.deep.equal({ contactId: fx.contacts.luigi.id, purpose: 'invite' });
    await drainJobs();
    const mail = h().mail.last('luigi@rossi.test');
    expect(mail.text).to.match(/^Nome Utente : luigi@rossi\.test\nPassword : [A-Za-z0-9]{16}/);
    const password = mail.text.match(/Password : (\S+)/)![1];
    expect(await sql("select must_change_password from contacts where email = 'luigi@rossi.test'")).to.deep.equal([{ must_change_password: true }]);
    const luigi = browserFor('acme');
    await luigi.get('/portal/login');
    expect((await luigi.post('/portal/login', { email: 'luigi@rossi.test', password })).status).to.equal(303);
    expect(await everythingStored()).not.to.contain(password);
    expect(everythingLogged()).not.to.contain(password);
  });
});
