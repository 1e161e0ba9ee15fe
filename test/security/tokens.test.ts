// Single-use links stay single-use when two requests redeem one at the same moment.
import { expect } from 'chai';
import { signUp } from '../../src/domain/tenant/signup.js';
import { browserFor, drainJobs, h, linkIn, loadFixtures, signIn } from '../support/index.js';

describe('Security: a single-use token works once, even under concurrency', () => {
  beforeEach(async () => {
    await loadFixtures();
  });

  it('sets a password from an invitation link once when two submissions race', async () => {
    const alice = await signIn('alice');
    await alice.get('/admin/technicians');
    await alice.post('/admin/technicians', { name: 'Carla Tech', email: 'carla@acme.test', role: 'technician' });
    await drainJobs();
    const link = new URL(linkIn(h().mail.last('carla@acme.test').text, /\/password\//));
    const carla = browserFor('acme');
    await carla.get(link.pathname);
    const answers = await Promise.all(['first racing passphrase', 'second racing passphrase', 'third racing passphrase'].map((password) =>
      carla.agent.post(link.pathname).set('Host', carla.host).type('form').send({ _csrf: carla.csrfToken, password, confirmation: password })));
    expect(answers.map((r) => r.status).filter((s) => s === 303)).to.have.length(1);
  });

  it('hands a signup over to one session only', async () => {
    const { handoverToken } = await signUp({ companyName: 'Initech', slug: 'initech', edition: 'msp', plan: 'pro', adminName: 'Peter', adminEmail: 'peter@initech.test', password: 'a long enough passphrase' });
    const browsers = [browserFor('initech'), browserFor('initech'), browserFor('initech')];
    const answers = await Promise.all(browsers.map((b) => b.get(`/session/handover/${handoverToken}`)));
    expect(answers.map((r) => r.headers.location).filter((l) => l === '/')).to.have.length(1);
  });
});
