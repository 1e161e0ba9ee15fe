// In headless Chromium: the template editor's snippet picker inserts at the cursor
// (public/snippet-picker.js, allowed by the CSP) and the htmx preview renders the
// template for a chosen contact — with no console error and no CSP violation.
import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { loadFixtures, people, PASSWORD, sql } from '../support/index.js';
import { useChromium } from '../support/chromium.js';

describe('End to end in Chromium: the email template editor', function () {
  this.timeout(60_000);
  const chromium = useChromium();
  const problems = chromium.problems;
  let page: Page;

  beforeEach(async () => {
    page = await chromium.person('alice');
  });

  it('inserts snippets at the cursor, previews for a contact, and saves', async () => {
    await loadFixtures();
    await page.goto('http://acme.localhost:3000/login');
    await page.getByLabel('Email').fill(people.alice.email);
    await page.getByLabel('Password').fill(PASSWORD);
    await Promise.all([page.waitForURL((url) => url.pathname !== '/login'), page.getByRole('button', { name: 'Sign in' }).click()]);

    await page.goto('http://acme.localhost:3000/admin/email-templates/new');
    await page.getByLabel('Name').fill('Greeting');
    const subject = page.getByLabel('Subject');
    await subject.fill('News from ');
    await subject.press('End');
    await page.getByRole('button', { name: 'Company Name' }).click();
    const body = page.getByLabel('Body');
    await body.fill('Hello !');
    await body.press('End');
    await body.press('ArrowLeft'); // the cursor before "!"
    await page.getByRole('button', { name: 'Contact First Name' }).click();
    expect(await subject.inputValue()).to.equal('News from {[Company Name]}');
    expect(await body.inputValue()).to.equal('Hello {[Contact First Name]}!');

    await page.getByLabel('Contact', { exact: true }).selectOption({ label: 'mario@rossi.test' });
    await page.getByRole('button', { name: 'Preview' }).click();
    await page.locator('#template-preview pre').waitFor();
    expect(await page.locator('#template-preview').innerText()).to.contain('News from Acme Services').and.contain('Hello Mario!');

    await Promise.all([page.waitForURL('**/admin/email-templates'), page.getByRole('button', { name: 'Save template' }).click()]);
    expect(await page.locator('body').innerText()).to.contain('Template "Greeting" is saved.');
    expect(await sql("select subject, body from email_templates where name = 'Greeting'")).to.deep.equal([{ subject: 'News from {[Company Name]}', body: 'Hello {[Contact First Name]}!' }]);
    expect(problems).to.deep.equal([]);
  });
});
