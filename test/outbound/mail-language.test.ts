// Every email Sportello writes speaks its recipient's language: a contact's or technician's
// own, else the workspace's — never the language of the request that caused it.
import { expect } from 'chai';
import { inTenant } from '../../src/db/unit-of-work.js';
import { requestPasswordReset } from '../../src/domain/contact/credential-flows.js';
import { emailSettingsOf } from '../../src/domain/email/defaults.js';
import { noteSignInThrottled } from '../../src/domain/sign-in/unlock.js';
import { Technician } from '../../src/domain/technician/technician.js';
import { Tenant } from '../../src/domain/tenant/tenant.js';
import { technicianInvitation } from '../../src/outbound/mail/technician-invitation.js';
import { drainJobs, h, loadFixtures, signIn, speakItalian, sql, type Fixtures } from '../support/index.js';

describe('Emails in the recipient\'s language', () => {
  let fx: Fixtures;
  beforeEach(async () => {
    fx = await loadFixtures();
  });

  /** The built-in reset email (no reset template), for `email`. */
  async function forgotPassword(email: string) {
    await inTenant(fx.acme.id, async (em) => {
      const tenant = await em.findOneOrFail(Tenant, { id: fx.acme.id });
      (await emailSettingsOf(em, tenant)).resetTemplate = null;
      await em.flush();
      await requestPasswordReset(em, tenant, email);
    });
    await drainJobs();
    return h().mail.last(email);
  }

  it('sends a contact whose language is English an English reset email in an Italian workspace, and the others Italian', async () => {
    await speakItalian('acme');
    await sql("update contacts set language = 'en' where email = 'mario@rossi.test'");
    const mario = await forgotPassword('mario@rossi.test');
    expect(mario.subject).to.equal('Reset your portal password');
    expect(mario.text).to.match(/^Hello Mario,\n\nChoose a new password for mario@rossi\.test here \(the link works once, for 1 hour\):\nhttp:\/\/acme\.localhost:3000\/portal\/reset\/\S+\n/);
    const luigi = await forgotPassword('luigi@rossi.test');
    expect(luigi.subject).to.equal('Reimposta la password del portale');
    expect(luigi.text).to.match(/^Ciao Luigi,\n\nScegli qui una nuova password per luigi@rossi\.test \(il link funziona una sola volta, per 1 ora\):\nhttp:\/\/acme\.localhost:3000\/portal\/reset\/\S+\n\nSe non l'hai chiesta tu, ignora questa email: la tua password resta invariata\.\n\n— Acme Services/);
    expect(luigi.html).to.contain('Ciao Luigi,<br>').and.contain('l&#39;hai chiesta tu').and.match(/<a href="http:\/\/acme\.localhost:3000\/portal\/reset\/[^"]+">/);
  });

  it('sends a contact whose language is Italian an Italian reset email in an English workspace', async () => {
    await sql("update contacts set language = 'it' where email = 'mario@rossi.test'");
    const mario = await forgotPassword('mario@rossi.test');
    expect(mario.subject).to.equal('Reimposta la password del portale');
    expect(mario.text).to.match(/^Ciao Mario,\n/);
    const luigi = await forgotPassword('luigi@rossi.test');
    expect(luigi.subject).to.equal('Reset your portal password');
    expect(luigi.text).to.match(/^Hello Luigi,\n/);
  });

  it('answers a technician reading Italian with an email in the contact\'s language, not the request\'s', async () => {
    await inTenant(fx.acme.id, async (em) => {
      (await emailSettingsOf(em, await em.findOneOrFail(Tenant, { id: fx.acme.id }))).resetTemplate = null;
      await em.flush();
    });
    const bob = await signIn('bob');
    expect((await bob.get('/contacts?lang=it')).status).to.equal(200);
    expect((await bob.post(`/contacts/${fx.contacts.mario.id}/password-reset`, {})).status).to.equal(303);
    await drainJobs();
    expect(h().mail.last('mario@rossi.test').subject).to.equal('Reset your portal password');
  });

  it('invites a technician in their own language, else the workspace\'s', async () => {
    await inTenant(fx.acme.id, async (em) => {
      const tenant = await em.findOneOrFail(Tenant, { id: fx.acme.id });
      const create = (email: string, language: 'it' | null) => em.create(Technician, { tenant, name: 'Zeno', email, role: 'technician', active: true, passwordHash: null, createdAt: new Date(), language });
      const italian = create('zeno@acme.test', 'it');
      const english = create('zed@acme.test', null);
      await em.flush();
      await technicianInvitation(em, tenant, italian);
      await technicianInvitation(em, tenant, english);
      await em.flush();
    });
    await drainJobs();
    const zeno = h().mail.last('zeno@acme.test');
    expect(zeno.subject).to.equal('Acme Services ti invita su Sportello');
    expect(zeno.text).to.match(/^Ciao Zeno,\n\nAcme Services ti ha aggiunto come tecnico su Sportello\.\n\nImposta qui la tua password \(il link funziona una sola volta, per 72 ore\):\nhttp:\/\/acme\.localhost:3000\/password\/\S+\n\n— Sportello\s*$/);
    expect(h().mail.last('zed@acme.test').subject).to.equal("You're invited to Acme Services on Sportello");
  });

  it('tells a contact and a technician of wrong passwords in their own language', async () => {
    await speakItalian('acme');
    await sql("update contacts set language = 'en' where email = 'mario@rossi.test'");
    await inTenant(fx.acme.id, async (em) => {
      const tenant = await em.findOneOrFail(Tenant, { id: fx.acme.id });
      await noteSignInThrottled(em, tenant, 'contact', 'mario@rossi.test', { failures: 6, address: '203.0.113.9' });
      await noteSignInThrottled(em, tenant, 'technician', 'bob@acme.test', { failures: 7, address: '203.0.113.9' });
    });
    await drainJobs();
    const mario = h().mail.last('mario@rossi.test');
    expect(mario.subject).to.equal('Wrong passwords for your Acme Services account');
    expect(mario.text).to.contain('Someone has typed a wrong password for mario@rossi.test on Acme Services 6 times, most recently from the address 203.0.113.9.');
    const bob = h().mail.last('bob@acme.test');
    expect(bob.subject).to.equal('Password errate per il tuo account Acme Services');
    expect(bob.text).to.match(/^Ciao Bob Tech,\n\nQualcuno ha digitato una password errata per bob@acme\.test su Acme Services 7 volte, l'ultima dall'indirizzo 203\.0\.113\.9\./)
      .and.match(/\(funziona una sola volta, per 24 ore\):\nhttp:\/\/acme\.localhost:3000\/login\/unlock\/\S+\n/);
  });

  it('signs a ticket reply in the requester\'s language', async () => {
    await sql("update contacts set language = 'it' where email = 'mario@rossi.test'");
    const bob = await signIn('bob');
    await bob.get('/tickets/new');
    expect((await bob.post('/tickets', { contact: fx.contacts.mario.id, title: 'Stampante', priority: 'high', type: 'incident' })).status).to.equal(303);
    expect((await bob.post('/tickets/1001/replies', { body: 'Ciao {[Nome del Contatto]}: {[Stato del Ticket]}.', kind: 'public' })).status).to.equal(303);
    await drainJobs();
    const mail = h().mail.last('mario@rossi.test');
    expect(mail.subject).to.equal('[#1001] Stampante');
    expect(mail.text).to.contain('Ciao Mario: Aperto.').and.contain('Rispondi a questa email, oppure consulta il ticket su http://acme.localhost:3000/portal/tickets/1001');
    // An English requester reads the English signature.
    expect((await bob.post('/tickets', { contact: fx.contacts.luigi.id, title: 'Printer', type: 'incident' })).status).to.equal(303);
    expect((await bob.post('/tickets/1002/replies', { body: 'Hi', kind: 'public' })).status).to.equal(303);
    await drainJobs();
    expect(h().mail.last('luigi@rossi.test').text).to.contain('Reply to this email, or see the ticket at http://acme.localhost:3000/portal/tickets/1002');
  });
});
