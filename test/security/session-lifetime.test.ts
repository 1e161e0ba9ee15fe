// Adversarial checks of the foundation: each test names a defect that was found
// and fixed, through the real routes.
import { expect } from 'chai';
import { loadFixtures, signIn } from '../support/index.js';

describe('Security: a session ends 12 hours after sign-in, however busy', () => {
  const realNow = Date.now;
  afterEach(() => {
    Date.now = realNow;
  });
  beforeEach(async () => {
    await loadFixtures();
  });

  it('refuses a session kept alive past its absolute lifetime', async () => {
    const alice = await signIn('alice');
    const start = realNow();
    // Used every 90 minutes (never idle for two hours), the session must still end at 12 hours.
    for (let hours = 1.5; hours < 12; hours += 1.5) {
      Date.now = () => start + hours * 3600_000;
      expect((await alice.get('/')).status, `at ${hours} h`).to.equal(200);
    }
    Date.now = () => start + 12.5 * 3600_000;
    const late = await alice.get('/');
    expect(late.status).to.equal(303);
    expect(late.headers.location).to.match(/^\/login/);
  });
});
