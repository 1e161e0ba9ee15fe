// Adversarial checks of the foundation: each test names a defect that was found
// and fixed, through the real routes.
import { expect } from 'chai';
import { addressKey } from '../../src/web/rate-limits.js';
import { browserFor, loadFixtures, PASSWORD } from '../support/index.js';

describe('Security: sign-in rate limits cannot be sidestepped', () => {
  beforeEach(async () => {
    await loadFixtures();
  });

  it('ignores credentials in the query string (the per-account limit is keyed on the form\'s email)', async () => {
    const browser = browserFor('acme');
    await browser.get('/login');
    const res = await browser.agent.post('/login?email=alice%40acme.test').set('Host', browser.host).type('form')
      .send({ _csrf: browser.csrfToken, password: PASSWORD });
    expect(res.status).to.equal(401);
    expect((await browser.get('/')).status).to.equal(303);

    const portal = browserFor('acme');
    await portal.get('/portal/login');
    const viaQuery = await portal.agent.post('/portal/login?email=mario%40rossi.test').set('Host', portal.host).type('form')
      .send({ _csrf: portal.csrfToken, password: PASSWORD });
    expect(viaQuery.status).to.equal(401);
  });

  it('lets no more than the limit through when wrong guesses arrive all at once', async () => {
    const browser = browserFor('acme');
    await browser.get('/login');
    const answers = await Promise.all(Array.from({ length: 15 }, (_, i) =>
      browser.agent.post('/login').set('Host', browser.host).type('form')
        .send({ _csrf: browser.csrfToken, email: 'alice@acme.test', password: `wrong guess number ${i}` })));
    const statuses = answers.map((r) => r.status);
    expect(statuses.filter((s) => s === 401).length).to.be.at.most(5);
    expect(statuses.filter((s) => s === 429).length).to.be.at.least(10);
  });

  it('answers a very long email with the usual refusal, and counts it', async () => {
    const browser = browserFor('acme');
    await browser.get('/login');
    const email = `${'a'.repeat(64)}@${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(56)}.test`;
    for (let i = 0; i < 5; i++) {
      const res = await browser.post('/login', { email, password: `wrong guess number ${i}` });
      expect(res.status).to.equal(401);
    }
    expect((await browser.post('/login', { email, password: 'wrong guess again' })).status).to.equal(429);
  });
});

describe('Security: the per-address sign-in limit counts a network, not one of its many addresses', () => {
  it('keys an IPv6 client by its /64 (one subscriber holds them all) and an IPv4 one as it is', () => {
    expect(addressKey('2001:db8:1:2::1')).to.equal(addressKey('2001:db8:1:2:ffff:ffff:ffff:fffe'));
    expect(addressKey('2001:db8:1:2::1')).to.equal(addressKey('2001:0DB8:0001:0002:0:0:0:7'));
    expect(addressKey('2001:db8:1:2::1')).not.to.equal(addressKey('2001:db8:1:3::1'));
    expect(addressKey('::ffff:192.0.2.7')).to.equal('192.0.2.7');
    expect(addressKey('192.0.2.7')).not.to.equal(addressKey('192.0.2.8'));
    expect(addressKey('fe80::1%eth0')).to.equal(addressKey('fe80::2'));
  });
});
