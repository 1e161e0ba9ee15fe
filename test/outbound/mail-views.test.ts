import { expect } from 'chai';
import { inTenant } from '../../src/db/unit-of-work.js';
import { requestPasswordReset } from '../../src/domain/contact/credential-flows.js';
import { emailSettingsOf } from '../../src/domain/email/defaults.js';
import { Technician } from '../../src/domain/technician/technician.js';
import { Tenant } from '../../src/domain/tenant/tenant.js';
import { credentialMarkersIn, PORTAL_PASSWORD, PORTAL_PASSWORD_LINK, SIGN_IN_UNLOCK_LINK, TECHNICIAN_PASSWORD_LINK } from '../../src/outbound/credentials.js';
import { renderMail } from '../../src/outbound/mail/render.js';
import { technicianInvitation } from '../../src/outbound/mail/technician-invitation.js';
import { drainJobs, h, loadFixtures, signIn, sql } from '../support/index.js';
import { writeTickets } from '../support/tickets.js';
import { speakerFor } from '../../src/i18n/translate.js';

// A value that tries everything: markup, a lone brace, half a snippet, a snippet, the old
// unlock marker's text, and a real marker token (which must lose its delimiters).
const HOSTILE = `<script>alert(1)</script> { [Portal Password]} {[Portal Password]} {[Sign-in Unlock Link]} ${PORTAL_PASSWORD}`;
const AS_TEXT = '<script>alert(1)</script> { [Portal Password]} {[Portal Password]} {[Sign-in Unlock Link]} portal-password';

const VIEWS: Array<{ name: string; marker: string; data: Record<string, unknown> }> = [
  { name: 'technician-invitation', marker: TECHNICIAN_PASSWORD_LINK, data: { name: HOSTILE, company: HOSTILE } },
  { name: 'sign-in-unlock', marker: SIGN_IN_UNLOCK_LINK, data: { name: HOSTILE, email: HOSTILE, company: HOSTILE, failures: 5, address: HOSTILE } },
  { name: 'password-reset', marker: PORTAL_PASSWORD_LINK, data: { firstName: HOSTILE, username: HOSTILE, company: HOSTILE } },
];

describe('Mail views', () => {
  for (const view of VIEWS) {
    it(`${view.name}: carries hostile values as plain text, and only the marker the mailer puts in`, async () => {
      const { text, html } = await renderMail(view.name, { link: view.marker, ...view.data }, speakerFor('en'));
      expect(text).to.contain(AS_TEXT).and.not.contain('&lt;').and.not.contain('&amp;');
      expect(credentialMarkersIn(text)).to.deep.equal([view.marker]);
      expect(text.split(view.marker)).to.have.length(2);
      if (html !== null) {
        expect(html).to.contain('&lt;script&gt;alert(1)&lt;/script&gt; { [Portal Password]}').and.not.contain('<script>');
        expect(credentialMarkersIn(html)).to.deep.equal([view.marker]);
      }
    });
  }

  it('sends a reply by a hostile-named technician with their name as plain text and only the link the reply asked for', async () => {
    const fx = await loadFixtures();
    await sql('update technicians set name = $1 where id = $2', [HOSTILE, fx.technicians.bob.id]);
    await writeTickets(fx, [{ number: 1001, title: 'Portal access' }]);
    const bob = await signIn('bob');
    await bob.get('/tickets/1001');
    expect((await bob.post('/tickets/1001/replies', { body: 'Choose your password: {[Portal Password Link]}', kind: 'public' })).status).to.equal(303);
    await drainJobs();
    const [mail] = h().mail.to('mario@rossi.test');
    // The signature's name is a value: its markup is text, its snippets inert, its marker token stripped.
    expect(mail.text).to.contain('<script>alert(1)</script> { [Portal Password]} { [Portal Password]} { [Sign-in Unlock Link]} portal-password, Acme Services');
    expect(mail.text.match(/https?:\/\/\S+\/portal\/reset\/\S+/g)).to.have.length(1);
    expect(mail.html).to.contain('&lt;script&gt;alert(1)&lt;/script&gt;').and.not.contain('<script>');
    expect(await sql("select purpose from password_tokens where contact_id = $1", [fx.contacts.mario.id])).to.deep.equal([{ purpose: 'invite' }]);
  });

  it('sends a hostile-named technician an invitation that names them as written and mints only their own link', async () => {
    const fx = await loadFixtures();
    const contactsBefore = await sql('select id, password_hash, portal_access from contacts order by id');
    await inTenant(fx.acme.id, async (em) => {
      const tenant = await em.findOneOrFail(Tenant, { id: fx.acme.id });
      const technician = em.create(Technician, { tenant, name: HOSTILE, email: 'zed@acme.test', role: 'technician', active: true, passwordHash: null, createdAt: new Date() });
      await em.flush();
      await technicianInvitation(em, tenant, technician);
      await em.flush();
    });
    await drainJobs();
    const [mail] = h().mail.to('zed@acme.test');
    expect(mail.text).to.contain(`Hello ${AS_TEXT},`).and.match(/\/password\/\S+\n/);
    expect(await sql("select purpose from password_tokens where technician_id = (select id from technicians where email = 'zed@acme.test')")).to.deep.equal([{ purpose: 'invite' }]);
    expect(await sql("select 1 from password_tokens where purpose = 'unlock'")).to.deep.equal([]);
    expect(await sql('select id, password_hash, portal_access from contacts order by id')).to.deep.equal(contactsBefore);
  });

  it('sends the built-in reset email, text and HTML, when the workspace has no reset template', async () => {
    const fx = await loadFixtures();
    await inTenant(fx.acme.id, async (em) => {
      const tenant = await em.findOneOrFail(Tenant, { id: fx.acme.id });
      (await emailSettingsOf(em, tenant)).resetTemplate = null;
      await em.flush();
      await requestPasswordReset(em, tenant, 'mario@rossi.test');
    });
    await drainJobs();
    const [mail] = h().mail.to('mario@rossi.test');
    expect(mail.subject).to.equal('Reset your portal password');
    expect(mail.text).to.match(new RegExp('^Hello Mario,\\n\\nChoose a new password for mario@rossi.test here \\(the link works once, for 1 hour\\):\\n' +
      'http://acme\\.localhost:3000/portal/reset/\\S+\\n\\nIf you did not ask for this, ignore this email: your password stays as it is\\.\\n\\n— Acme'));
    expect(mail.html).to.match(/<a href="http:\/\/acme\.localhost:3000\/portal\/reset\/[^"]+">/);
    expect(await sql("select purpose from password_tokens where contact_id = $1", [fx.contacts.mario.id])).to.deep.equal([{ purpose: 'reset' }]);
  });
});
