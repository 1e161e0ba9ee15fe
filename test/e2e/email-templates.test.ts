// In headless Chromium: the template editor's snippet picker inserts at the cursor
// (public/snippet-picker.js, allowed by the CSP) and the htmx preview renders the
// template for a chosen contact — with no console error and no CSP violation.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { h, loadFixtures, people, PASSWORD, sql } from '../support/index.js';
import { requireProgram } from '../support/require-program.js';

const CHROMIUM = '/usr/bin/chromium';

describe('End to end in Chromium: the email template editor', function () {
  this.timeout(60_000);
  let server: http.Server;
  let context: BrowserContext;
  let profile: string;
  let page: Page;
  const problems: string[] = [];

  before(async function () {
    requireProgram(this, CHROMIUM, 'Chromium', 'apt-get install -y chromium');
    server = http.createServer((req, res) => {
      if (req.url && /^https?:\/\//i.test(req.url)) { const u = new URL(req.url); req.url = u.pathname + u.search; }
      h().app(req, res);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    profile = mkdtempSync(path.join(tmpdir(), 'sportello-chromium-'));
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
        '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage',
        `--proxy-server=http://127.0.0.1:${port}`, '--proxy-bypass-list=<-loopback>'],
    });
  });

  after(async () => {
    await context?.close();
    if (server) await new Promise((resolve) => server.close(resolve));
    if (profile) rmSync(profile, { recursive: true, force: true });
  });

  beforeEach(async () => {
    problems.length = 0;
    page = await context.newPage();
    page.on('console', (msg) => { if (msg.type() === 'error' || /Content Security Policy/i.test(msg.text())) problems.push(`console: ${msg.text()}`); });
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    page.on('response', (res) => { if (res.status() >= 400) problems.push(`HTTP ${res.status()}: ${res.url()}`); });
    await page.addInitScript(() => {
      document.addEventListener('securitypolicyviolation', (e) => console.error(`CSP violation (Content Security Policy): ${e.violatedDirective} ${e.blockedURI}`));
    });
  });

  afterEach(async () => { await page?.close(); });

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
