// TRUST_PROXY: client addresses come from X-Forwarded-For only when an operator
// says a proxy stands in front. By default (clients connecting directly, as with
// `docker run -p 3000:3000`) the header is the client's own words and is ignored.
import { expect } from 'chai';
import { loadConfig } from '../../src/config.js';
import { browserFrom } from '../support/addresses.js';
import { loadFixtures, PASSWORD } from '../support/index.js';

const production = { NODE_ENV: 'production', APP_SECRET: 'a-production-secret-of-at-least-32-chars', SMTP_URL: 'smtp://mail.example.com:587' };

describe('Security: a spoofed X-Forwarded-For does not buy a fresh sign-in budget', () => {
  beforeEach(async () => {
    await loadFixtures();
  });

  it('trusts no proxy unless TRUST_PROXY says how many there are, in production too', () => {
    expect(loadConfig(production).trustProxy).to.equal(0);
    expect(loadConfig({ NODE_ENV: 'development' }).trustProxy).to.equal(0);
    expect(loadConfig({ ...production, TRUST_PROXY: '1' }).trustProxy).to.equal(1);
  });

  it('counts every guess against the connecting address, whatever X-Forwarded-For claims', async () => {
    const attacker = browserFrom('203.0.113.9', 'acme');
    await attacker.get('/login');
    for (let i = 0; i < 5; i++) {
      const res = await attacker.post('/login', { email: 'alice@acme.test', password: `guess ${i}` }, { 'X-Forwarded-For': `198.51.100.${i + 1}` });
      expect(res.status).to.equal(401);
    }
    const spoofed = await attacker.post('/login', { email: 'alice@acme.test', password: PASSWORD }, { 'X-Forwarded-For': '198.51.100.200' });
    expect(spoofed.status).to.equal(429);
  });

  it('keeps the per-address limit across accounts, whatever X-Forwarded-For claims', async () => {
    const sprayer = browserFrom('203.0.113.10', 'acme');
    await sprayer.get('/login');
    for (let i = 0; i < 30; i++) {
      const res = await sprayer.post('/login', { email: `user${i}@acme.test`, password: 'Summer2026!' }, { 'X-Forwarded-For': `198.51.100.${i + 1}` });
      expect(res.status, `attempt ${i + 1}`).to.equal(401);
    }
    const res = await sprayer.post('/login', { email: 'user99@acme.test', password: 'Summer2026!' }, { 'X-Forwarded-For': '198.51.100.99' });
    expect(res.status).to.equal(429);
  });
});
