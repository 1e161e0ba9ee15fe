// Adversarial checks of the foundation: each test names a defect that was found
// and fixed, through the real routes.
import { expect } from 'chai';
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
});
