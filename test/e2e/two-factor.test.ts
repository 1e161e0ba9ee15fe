// Two-factor sign-in in Chromium at a phone's width (390 px): enrol from the
// profile (the QR code is a data: image the CSP allows), sign out, sign in with the
// password and a code — no console error, no CSP violation, nothing wider than the screen.
import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { totpCode } from '../../src/lib/totp.js';
import { loadFixtures, PASSWORD } from '../support/index.js';
import { useChromium } from '../support/chromium.js';

async function fitsTheScreen(page: Page): Promise<void> {
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  expect(width, `${page.url()} is ${width} px wide`).to.be.at.most(390);
}

describe('Two-factor sign-in in Chromium', function () {
  this.timeout(60_000);
  const chromium = useChromium();

  it('enrols, then signs in with the password and a code, at 390 px', async () => {
    await loadFixtures();
    const page = await chromium.person('bob');
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto('http://acme.localhost:3000/login');
    await page.getByLabel('Email').fill('bob@acme.test');
    await page.getByLabel('Password').fill(PASSWORD);
    await Promise.all([page.waitForURL('http://acme.localhost:3000/'), page.getByRole('button', { name: 'Sign in' }).click()]);

    await page.goto('http://acme.localhost:3000/profile');
    await fitsTheScreen(page);
    await page.getByRole('link', { name: 'Set up two-factor sign-in' }).click();
    await page.getByAltText('QR code for your authenticator app').waitFor();
    expect(await page.getByAltText('QR code for your authenticator app').evaluate((img: HTMLImageElement) => img.naturalWidth)).to.be.greaterThan(100);
    await fitsTheScreen(page);
    const secret = (await page.locator('#totp-secret').innerText()).replace(/\s/g, '');
    await page.getByLabel('Code from the app').fill(totpCode(secret));
    await page.getByRole('button', { name: 'Turn on two-factor sign-in' }).click();
    await page.getByText('Save these recovery codes now').waitFor();
    expect(await page.locator('.recovery-codes li').count()).to.equal(10);
    await fitsTheScreen(page);

    // On a phone, Sign out is behind the top bar's Menu.
    expect(await page.getByRole('button', { name: 'Sign out' }).isVisible()).to.equal(false);
    await page.locator('summary', { hasText: 'Menu' }).click();
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL('http://acme.localhost:3000/login');
    await page.getByLabel('Email').fill('bob@acme.test');
    await page.getByLabel('Password').fill(PASSWORD);
    await Promise.all([page.waitForURL('http://acme.localhost:3000/login/two-factor'), page.getByRole('button', { name: 'Sign in' }).click()]);
    await fitsTheScreen(page);
    await page.getByLabel('Code').fill(totpCode(secret, Date.now() + 30_000));
    await Promise.all([page.waitForURL('http://acme.localhost:3000/'), page.getByRole('button', { name: 'Sign in' }).click()]);
    expect(await page.locator('header').textContent()).to.contain('Bob Tech'); // in the Menu, folded
    expect(chromium.problems).to.deep.equal([]);
  });

  it('shows Admin > Security and a technician\'s page at 390 px', async () => {
    const fx = await loadFixtures();
    const page = await chromium.person('alice');
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto('http://acme.localhost:3000/login');
    await page.getByLabel('Email').fill('alice@acme.test');
    await page.getByLabel('Password').fill(PASSWORD);
    await Promise.all([page.waitForURL('http://acme.localhost:3000/'), page.getByRole('button', { name: 'Sign in' }).click()]);
    await page.goto(`http://acme.localhost:3000/admin/technicians/${fx.technicians.bob.id}`);
    await fitsTheScreen(page);
    await page.getByLabel('Role').selectOption('admin');
    await page.getByRole('button', { name: 'Change role' }).click();
    await page.getByText('Bob Tech is now an admin.').waitFor();
    await page.goto('http://acme.localhost:3000/admin/security');
    await fitsTheScreen(page);
    await page.getByLabel('Require two-factor sign-in for every technician').check();
    // Alice has no second factor herself: she is sent to set it up at once, and told why.
    await Promise.all([page.waitForURL('http://acme.localhost:3000/profile/two-factor'), page.getByRole('button', { name: 'Save' }).click()]);
    await page.getByText('Two-factor sign-in is now required').waitFor();
    await fitsTheScreen(page);
    expect(chromium.problems).to.deep.equal([]);
  });
});
