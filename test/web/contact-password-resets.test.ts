import { expect } from 'chai';
import { browserFor, drainJobs, everythingLogged, everythingStored, h, linkIn, loadFixtures, PASSWORD, signIn, signInToPortal, speakItalian, sql } from '../support/index.js';

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
    expect(res.status).to.equal(303);
    expect(res.headers.location).to.equal(`/contacts/${id}/temporary-password`);
    const storedBeforeShown = await everythingStored();
    const shown = await bob.get(res.headers.location);
    expect(shown.status).to.equal(200);
    expect(shown.headers['cache-control']).to.equal('no-store');
    const password = shown.text.match(/<code id="temporary-password">([^<]+)<\/code>/)![1];
    expect(password).to.have.length(16);
    expect(storedBeforeShown, 'the session holds it sealed, never in clear').not.to.contain(password);

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
    const password = (await alice.get(res.headers.location)).text.match(/<code id="temporary-password">([^<]+)<\/code>/)![1];
    await signInToPortal('luigi', password);
    expect(await sql("select * from audit_events where action = 'contact.portal_access_granted'")).to.have.length(1);
  });

  it('shows the temporary password to one page view: a reload shows it is gone and mints nothing; another needs another click', async () => {
    const bob = await signIn('bob');
    const id = await contactId('mario@rossi.test');
    const minted = await bob.post(`/contacts/${id}/password-reset`, { mode: 'temporary' });
    const first = await bob.get(minted.headers.location);
    const password = first.text.match(/<code id="temporary-password">([^<]+)<\/code>/)![1];
    const hashAfterFirst = await sql('select password_hash from contacts where id = $1', [id]);

    const reload = await bob.get(minted.headers.location);
    expect(reload.status).to.equal(200);
    expect(reload.headers['cache-control']).to.equal('no-store');
    expect(reload.text).not.to.contain(password).and.not.to.contain('id="temporary-password"');
    expect(reload.text).to.contain('was shown once').and.contain('still works');
    expect(reload.text).to.match(new RegExp(`<form method="post" action="/contacts/${id}/password-reset"`));
    expect(reload.text).to.contain('name="mode" value="temporary"').and.contain('Set another temporary password');
    expect(await sql('select password_hash from contacts where id = $1', [id])).to.deep.equal(hashAfterFirst);
    expect(await sql("select * from audit_events where action = 'contact.temporary_password_minted'")).to.have.length(1);
    await signInToPortal('mario', password); // the one read out on the phone still works

    // Another contact's page never shows it, and does not use it up.
    const again = await bob.post(`/contacts/${id}/password-reset`, { mode: 'temporary' });
    const luigi = await bob.get(`/contacts/${await contactId('luigi@rossi.test')}/temporary-password`);
    expect(luigi.text).not.to.contain('id="temporary-password"');
    const second = (await bob.get(again.headers.location)).text.match(/<code id="temporary-password">([^<]+)<\/code>/)![1];
    expect(second).not.to.equal(password);
    expect(await sql("select * from audit_events where action = 'contact.temporary_password_minted'")).to.have.length(2);
    expect(everythingLogged()).not.to.contain(password).and.not.to.contain(second);
  });

  it('answers another workspace\'s contact with 404 and changes nothing', async () => {
    const alice = await signIn('alice');
    const homer = await contactId('homer@springfield.test');
    const before = await sql('select password_hash, password_changed_at from contacts order by id');
    expect((await alice.post(`/contacts/${homer}/password-reset`, { mode: 'temporary' })).status).to.equal(404);
    expect((await alice.post('/contacts/999999/password-reset', { mode: 'temporary' })).status).to.equal(404);
    expect((await alice.get(`/contacts/${homer}/temporary-password`)).status).to.equal(404);
    expect(await sql('select password_hash, password_changed_at from contacts order by id')).to.deep.equal(before);
  });
  it('speaks Italian to an Italian workspace: the flash, the password shown once and the page once it is gone', async () => {
    await speakItalian('acme');
    const bob = await signIn('bob');
    const id = await contactId('mario@rossi.test');
    const link = await bob.post(`/contacts/${id}/password-reset`, {});
    expect((await bob.get(link.headers.location)).text)
      .to.contain('Un link per reimpostare la password sta arrivando a mario@rossi.test. Funziona una sola volta, per 1 ora.')
      .and.contain('Richiesto un link per reimpostare la password').and.contain('Password del portale reimpostata');
    const minted = await bob.post(`/contacts/${id}/password-reset`, { mode: 'temporary' });
    const shown = await bob.get(minted.headers.location);
    expect(shown.text).to.contain('<title>Password temporanea').and.contain('<h1>Password temporanea per Mario Rossi</h1>')
      .and.contain('Comunica questa password a mario@rossi.test').and.contain('<strong>solo questa volta</strong>: Sportello non la conserva')
      .and.contain('la usa per accedere al Portale Clienti').and.contain('>Fatto</a>');
    const gone = await bob.get(minted.headers.location);
    expect(gone.text).to.contain('La password temporanea è stata mostrata una volta sola').and.contain('Funziona ancora')
      .and.contain('Imposta un&#39;altra password temporanea').and.contain('Torna a Mario Rossi');
  });
});
