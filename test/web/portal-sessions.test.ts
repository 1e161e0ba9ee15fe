import { expect } from 'chai';
import { inTenant } from '../../src/db/unit-of-work.js';
import { Contact } from '../../src/domain/contact/contact.js';
import { browserFor, loadFixtures, PASSWORD, signIn, signInToPortal, type Fixtures } from '../support/index.js';

describe('Contacts signing in to the portal', () => {
  let fx: Fixtures;
  beforeEach(async () => {
    fx = await loadFixtures();
  });

  it('signs a contact in with email and password, and out again', async () => {
    const mario = await signInToPortal('mario');
    const account = await mario.get('/portal/account');
    expect(account.status).to.equal(200);
    expect(account.text).to.contain('Mario Rossi').and.contain('Rossi Impianti').and.contain('Customer Portal');
    await mario.post('/portal/logout');
    const after = await mario.get('/portal/account');
    expect(after.headers.location).to.match(/^\/portal\/login/);
  });

  it('speaks the Service Portal words to an IT department user', async () => {
    const homer = await signInToPortal('homer');
    const account = await homer.get('/portal/account');
    expect(account.text).to.contain('Service Portal').and.contain('Site').and.contain('Main user');
  });

  it('refuses a contact without portal access, in the same words as a wrong password', async () => {
    await inTenant(fx.acme.id, async (em) => {
      await em.nativeUpdate(Contact, { email: 'luigi@rossi.test' }, { portalAccess: false });
    });
    const browser = browserFor('acme');
    await browser.get('/portal/login');
    const refused = await browser.post('/portal/login', { email: 'luigi@rossi.test', password: PASSWORD });
    const wrong = await browser.post('/portal/login', { email: 'mario@rossi.test', password: 'wrong password here' });
    expect(refused.status).to.equal(401);
    expect(wrong.status).to.equal(401);
  });

  it('keeps the technician and portal sessions apart', async () => {
    const mario = await signInToPortal('mario');
    expect((await mario.get('/')).headers.location).to.match(/^\/login/);
    expect((await mario.get('/admin/technicians')).headers.location).to.match(/^\/login/);
    const alice = await signIn('alice');
    expect((await alice.get('/portal/account')).headers.location).to.match(/^\/portal\/login/);
  });

  it('sends a contact who must change their password to the change page first, then lets them in', async () => {
    await inTenant(fx.acme.id, async (em) => {
      await em.nativeUpdate(Contact, { email: 'mario@rossi.test' }, { mustChangePassword: true });
    });
    const mario = await signInToPortal('mario');
    const account = await mario.get('/portal/account');
    expect(account.status).to.equal(303);
    expect(account.headers.location).to.equal('/portal/account/password');
    expect((await mario.get('/portal/account/password')).text).to.contain('choose your own password');
    const weak = await mario.post('/portal/account/password', { current: PASSWORD, password: 'short', confirmation: 'short' });
    expect(weak.status).to.equal(422);
    const changed = await mario.post('/portal/account/password', { current: PASSWORD, password: 'mario new passphrase', confirmation: 'mario new passphrase' });
    expect(changed.status).to.equal(303);
    expect((await mario.get('/portal/account')).status).to.equal(200);
  });

  it('ends the other sessions of a contact whose password changes', async () => {
    const laptop = await signInToPortal('mario');
    const phone = await signInToPortal('mario');
    await laptop.get('/portal/account/password');
    const changed = await laptop.post('/portal/account/password', { current: PASSWORD, password: 'mario new passphrase', confirmation: 'mario new passphrase' });
    expect(changed.status).to.equal(303);
    expect((await laptop.get('/portal/account')).status).to.equal(200);
    expect((await phone.get('/portal/account')).headers.location).to.match(/^\/portal\/login/);
  });

  it('requires the current password to change it', async () => {
    const mario = await signInToPortal('mario');
    await mario.get('/portal/account/password');
    const res = await mario.post('/portal/account/password', { current: 'not my password', password: 'mario new passphrase', confirmation: 'mario new passphrase' });
    expect(res.status).to.equal(422);
    expect(res.text).to.contain('current password is not right');
  });
});
