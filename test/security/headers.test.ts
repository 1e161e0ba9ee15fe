// What the browser is told about every page: no caching of signed-in pages or
// pages with a token in their address, no Referer, the CSP.
import { expect } from 'chai';
import { browserFor, loadFixtures, signIn, signInToPortal, type Fixtures } from '../support/index.js';

describe('Security: response headers', () => {
  let fx: Fixtures;
  beforeEach(async () => {
    fx = await loadFixtures();
  });

  it('tells browsers and proxies not to store signed-in pages', async () => {
    const alice = await signIn('alice');
    const page = await alice.get(`/contacts/${fx.contacts.mario.id}`);
    expect(page.status).to.equal(200);
    expect(page.headers['cache-control']).to.contain('no-store');
    const mario = await signInToPortal('mario');
    expect((await mario.get('/portal/account')).headers['cache-control']).to.contain('no-store');
  });

  it('sends no Referer from a page whose address holds a token, and stores none of it', async () => {
    const page = await browserFor('acme').get('/password/some-token-value');
    expect(page.headers['referrer-policy']).to.equal('no-referrer');
    expect(page.headers['cache-control']).to.contain('no-store');
  });

  it('keeps the strict CSP and framing rules on every page', async () => {
    const page = await browserFor('acme').get('/login');
    const csp = String(page.headers['content-security-policy']);
    expect(csp).to.contain("script-src 'self'").and.contain("style-src 'self'").and.contain("frame-ancestors 'none'");
    expect(csp).not.to.contain('unsafe-inline');
    expect(page.headers['x-content-type-options']).to.equal('nosniff');
    expect(String(page.headers['set-cookie'])).to.contain('HttpOnly').and.contain('SameSite=Lax');
  });

  it('loads fonts from Sportello itself only: no https: or data: fonts', async () => {
    const csp = String((await browserFor('acme').get('/login')).headers['content-security-policy']);
    const fontSrc = csp.split(';').map((d) => d.trim()).find((d) => d.startsWith('font-src'));
    expect(fontSrc).to.equal("font-src 'self'");
  });

  it('lets static files be cached', async () => {
    const css = await browserFor('acme').get('/public/app.css');
    expect(css.status).to.equal(200);
    expect(String(css.headers['cache-control'] ?? '')).not.to.contain('no-store');
  });
});

describe('Body limits', () => {
  it('answers a form with too many fields with 413, not a server error', async () => {
    const root = browserFor();
    await root.get('/signup');
    const form: Record<string, string> = {};
    for (let i = 0; i < 300; i++) form[`f${i}`] = 'x';
    const res = await root.post('/signup', form);
    expect(res.status).to.equal(413);
  });
});
