// Adversarial checks of the foundation: each test names a defect that was found
// and fixed, through the real routes.
import { expect } from 'chai';
import { signUp } from '../../src/domain/tenant/signup.js';
import { browserFor, drainJobs, h, linkIn, loadFixtures, signIn } from '../support/index.js';

describe('Security: secrets never reach the log', () => {
  beforeEach(async () => {
    await loadFixtures();
  });

  it('keeps a set-password token out of the CSRF refusal log line', async () => {
    const alice = await signIn('alice');
    await alice.get('/admin/technicians');
    await alice.post('/admin/technicians', { name: 'Carla Tech', email: 'carla@acme.test', role: 'technician' });
    await drainJobs();
    const link = new URL(linkIn(h().mail.last('carla@acme.test').text, /\/password\//));
    const token = link.pathname.split('/').pop()!;

    const carla = browserFor('acme');
    await carla.get(link.pathname);
    h().logs.length = 0;
    const refused = await carla.agent.post(link.pathname).set('Host', carla.host).type('form')
      .send({ _csrf: 'stale', password: 'a brand new passphrase', confirmation: 'a brand new passphrase' });
    expect(refused.status).to.equal(403);
    expect(h().logs.join('\n')).to.contain('CSRF').and.not.to.contain(token);
  });

  it('keeps the hand-over and set-password tokens out of the request log', async () => {
    const { handoverToken } = await signUp({ companyName: 'Initech', slug: 'initech', edition: 'msp', plan: 'pro', adminName: 'Peter', adminEmail: 'peter@initech.test', password: 'a long enough passphrase' });
    h().logs.length = 0;
    const landed = await browserFor('initech').get(`/session/handover/${handoverToken}`);
    expect(landed.headers.location).to.equal('/');
    await browserFor('acme').get('/password/a-made-up-token-value?token=another-secret');
    const logged = h().logs.join('\n');
    expect(logged).to.contain('/session/handover/[redacted]').and.contain('/password/[redacted]');
    expect(logged).not.to.contain(handoverToken).and.not.to.contain('a-made-up-token-value').and.not.to.contain('another-secret');
  });
});
