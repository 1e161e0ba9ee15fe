import { expect } from 'chai';
import { browserFor, drainJobs, everythingLogged, everythingStored, h, linkIn, loadFixtures, PASSWORD, signIn, signInToPortal, sql } from '../support/index.js';

const NEW_PASSWORD = 'mario chooses this one';

async function contactId(email: string): Promise<number> {
  const [row] = await sql<{ id: number }>('select id from contacts where email = $1', [email]);
  return row.id;
}

describe('Contact page > Reset portal password', () => {
  beforeEach(async () => {
    await loadFixtures();
  });

  it('emails a reset link by default, recorded with who asked', async () => {
    const bob = await signIn('bob');
    const id = await contactId('mario@rossi.test');
    const res = await bob.post(`/contacts/${id}/password-reset`, {});
    expect(res.status).to.equal(303);
    await drainJobs();
    const link = new URL(linkIn(h().mail.last('mario@rossi.test').text, /\/portal\/reset\//));
    const mario = browserFor('acme');
    await mario.get(link.pathname);
    expect((await mario.post(link.pathname, { password: NEW_PASSWORD, confirmation: NEW_PASSWORD })).status).to.equal(303);
    await signInToPortal('mario', NEW_PASSWORD);
    const [reset] = await sql<{ actor_name: string; details: { by: string; mode: string } }>("select actor_name, details from audit_events where action = 'contact.password_reset'");
    expect(reset.details).to.deep.equal({ by: 'Bob Tech', mode: 'link' });
  });

  it('shows a temporary password once, which signs in, must be changed, and is stored nowhere', async () => {
    const phone = await signInToPortal('mario');
    const bob = await signIn('bob');
    const id = await contactId('mario@rossi.test');
    const res = await bob.post(`/contacts/${id}/password-reset`, { mode: 'temporary' });
    expect(res.status).to.equal(200);
    expect(res.headers['cache-control']).to.equal('no-store');
    const password = res.text.match(/<code id="temporary-password">([^<]+)<\/code>/)![1];
    expect(password).to.have.length(16);

    expect((await phone.get('/portal/account')).headers.location).to.match(/^\/portal\/login/);
    let refused = false;
    try { await signInToPortal('mario', PASSWORD); } catch { refused = true; }
    expect(refused, 'the old password no longer works').to.equal(true);

    const mario = await signInToPortal('mario', password);
    expect((await mario.get('/portal/account')).headers.location).to.equal('/portal/account/password');
    await mario.get('/portal/account/password');
    expect((await mario.post('/portal/account/password', { current: password, password: NEW_PASSWORD, confirmation: NEW_PASSWORD })).status).to.equal(303);
    expect((await mario.get('/portal/account')).status).to.equal(200);

    expect(await everythingStored()).not.to.contain(password);
    expect(everythingLogged()).not.to.contain(password);
    const [event] = await sql<{ details: Record<string, unknown> }>("select details from audit_events where action = 'contact.temporary_password_minted'");
    expect(event.details.how).to.equal('set by Bob Tech, shown once');
  });

  it('turns portal access on for a contact who had none, and says so in the audit log', async () => {
    await sql("update contacts set portal_access = false where email = 'luigi@rossi.test'");
    const alice = await signIn('alice');
    const res = await alice.post(`/contacts/${await contactId('luigi@rossi.test')}/password-reset`, { mode: 'temporary' });
    const password = res.text.match(/<code id="temporary-password">([^<]+)<\/code>/)![1];
    await signInToPortal('luigi', password);
    expect(await sql("select * from audit_events where action = 'contact.portal_access_granted'")).to.have.length(1);
  });

  it('answers another workspace\'s contact with 404 and changes nothing', async () => {
    const alice = await signIn('alice');
    const homer = await contactId('homer@springfield.test');
    const before = await sql('select password_hash, password_changed_at from contacts order by id');
    expect((await alice.post(`/contacts/${homer}/password-reset`, { mode: 'temporary' })).status).to.equal(404);
    expect((await alice.post('/contacts/999999/password-reset', { mode: 'temporary' })).status).to.equal(404);
    expect(await sql('select password_hash, password_changed_at from contacts order by id')).to.deep.equal(before);
  });
});
