// Adversarial checks of the foundation: each test names a defect that was found
// and fixed, through the real routes.
import { expect } from 'chai';
import { loadFixtures, signIn, signInToPortal } from '../support/index.js';

describe('Security: CSRF on every state-changing route', () => {
  beforeEach(async () => {
    await loadFixtures();
  });

  it('refuses a multipart sign-out without the token (a cross-site form cannot sign a technician out)', async () => {
    const alice = await signIn('alice');
    const forged = await alice.agent.post('/logout').set('Host', alice.host).field('x', 'y');
    expect(forged.status).to.equal(403);
    expect((await alice.get('/')).status).to.equal(200);
  });

  it('refuses a multipart portal sign-out without the token', async () => {
    const mario = await signInToPortal('mario');
    const forged = await mario.agent.post('/portal/logout').set('Host', mario.host).field('x', 'y');
    expect(forged.status).to.equal(403);
    expect((await mario.get('/portal/account')).status).to.equal(200);
  });
});
