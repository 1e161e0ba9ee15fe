// End to end in headless Chromium (Debian's /usr/bin/chromium, driven by
// playwright-core; never a downloaded browser): sign up, land signed in on the
// workspace, sign out, sign in — with no console error and no CSP violation.
//
// The app keeps APP_DOMAIN=localhost:3000 (as every test sees it) while listening on
// a free port: Chromium sends every request, *.localhost included, through that port
// as its HTTP proxy, so the browser still speaks to acme.localhost:3000 etc.
import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { sql } from '../support/index.js';
import { useChromium } from '../support/chromium.js';

describe('End to end in Chromium', function () {
  this.timeout(60_000);
  const chromium = useChromium();
  const problems = chromium.problems;
  let page: Page;

  beforeEach(async () => {
    page = await chromium.person('visitor');
  });

  it('signs up, lands signed in on the workspace, signs out and signs in again', async () => {
    await page.goto('http://localhost:3000/signup');
    await page.getByLabel('Company name').fill('Acme Services');
    await page.getByLabel('Subdomain').fill('acme');
    await page.locator('input[name=edition][value=msp]').check();
    await page.locator('input[name=plan][value=enterprise]').check();
    await page.getByLabel('Your name').fill('Alice Admin');
    await page.getByLabel('Your email').fill('alice@acme.test');
    await page.getByLabel('Password').fill('a long and private passphrase');
    await Promise.all([page.waitForURL('http://acme.localhost:3000/**'), page.getByRole('button', { name: 'Create workspace' }).click()]);

    // Landed on the workspace's own host, already signed in.
    expect(new URL(page.url()).host).to.equal('acme.localhost:3000');
    await page.getByRole('button', { name: 'Sign out' }).waitFor();
    const landed = await page.locator('body').innerText();
    expect(landed).to.contain('Acme Services').and.contain('Alice Admin');
    expect(await sql('select slug from tenants')).to.deep.equal([{ slug: 'acme' }]);
    // htmx is loaded (from our own origin, allowed by the CSP).
    expect(await page.evaluate(() => typeof (window as unknown as { htmx?: unknown }).htmx)).to.equal('object');

    await Promise.all([page.waitForURL('**/login**'), page.getByRole('button', { name: 'Sign out' }).click()]);
    expect(await page.getByRole('button', { name: 'Sign in' }).isVisible()).to.equal(true);
    // Signed out for real: the workspace sends us back to the sign-in page.
    await page.goto('http://acme.localhost:3000/');
    expect(new URL(page.url()).pathname).to.equal('/login');
    // Signed out, a visitor is stored nowhere: the sign-in form's token is in a cookie.
    expect(await sql('select sid from session')).to.deep.equal([]);

    await page.getByLabel('Email').fill('alice@acme.test');
    await page.getByLabel('Password').fill('a long and private passphrase');
    await Promise.all([page.waitForURL((url) => url.pathname !== '/login'), page.getByRole('button', { name: 'Sign in' }).click()]);
    await page.getByRole('button', { name: 'Sign out' }).waitFor();
    expect(await page.locator('body').innerText()).to.contain('Alice Admin');
    expect(await sql('select sid from session')).to.have.length(1);

    expect(problems).to.deep.equal([]);
  });

  it('would notice a CSP violation (the listener works)', async () => {
    await page.goto('http://localhost:3000/signup');
    await page.evaluate(() => { const s = document.createElement('script'); s.textContent = 'window.injected = 1'; document.body.append(s); });
    await page.waitForTimeout(200);
    expect(problems.join('\n')).to.match(/Content Security Policy/);
  });
});
