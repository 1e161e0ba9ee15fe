// End to end in headless Chromium (issue 4): a technician picks the credentials
// quick reply on a ticket and sends it; the contact uses the emailed credentials to
// sign in and is made to change the password first. Nothing stored holds the
// password. One browser, two contexts, no console error, CSP violation or failed request.
//
// Same trick as signup.test.ts: the app listens on a free port that Chromium uses
// as its HTTP proxy, so the browser still speaks to acme.localhost:3000.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect } from 'chai';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { contactsData, drainJobs, h, loadFixtures, PASSWORD, people, sql } from '../support/index.js';
import { makeTicket } from '../support/records.js';
import { requireProgram } from '../support/require-program.js';

const CHROMIUM = '/usr/bin/chromium';
const ACME = 'http://acme.localhost:3000';

describe('End to end in Chromium: portal credentials by quick reply', function () {
  this.timeout(60_000);
  let server: http.Server;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  const problems: string[] = [];

  before(async function () {
    requireProgram(this, CHROMIUM, 'Chromium', 'apt-get install -y chromium');
    // Requests arrive in proxy form (`GET http://acme.localhost:3000/login`): hand the app the path.
    server = http.createServer((req, res) => {
      if (req.url && /^https?:\/\//i.test(req.url)) { const u = new URL(req.url); req.url = u.pathname + u.search; }
      h().app(req, res);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
        '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage',
        `--proxy-server=http://127.0.0.1:${port}`, '--proxy-bypass-list=<-loopback>'],
    });
  });

  after(async () => {
    await browser?.close();
    if (server) await new Promise((resolve) => server.close(resolve));
  });

  afterEach(async () => {
    for (const context of contexts.splice(0)) await context.close();
  });

  /** A new person at the keyboard: their own context (cookies), every problem of their pages recorded. */
  async function person(who: string): Promise<Page> {
    const context = await browser.newContext({ acceptDownloads: true });
    contexts.push(context);
    const page = await context.newPage();
    page.on('console', (msg) => { if (msg.type() === 'error' || /Content Security Policy/i.test(msg.text())) problems.push(`${who} console: ${msg.text()}`); });
    page.on('pageerror', (error) => problems.push(`${who} page error: ${error.message}`));
    page.on('response', (res) => { if (res.status() >= 400) problems.push(`${who} HTTP ${res.status()}: ${res.url()}`); });
    page.on('requestfailed', (req) => {
      // Chromium fetches the favicon on the side and aborts that fetch when the page navigates away: not a failure of ours.
      if (req.url().endsWith('/favicon.svg') && req.failure()?.errorText === 'net::ERR_ABORTED') return;
      problems.push(`${who} request failed: ${req.url()} ${req.failure()?.errorText}`);
    });
    await page.addInitScript(() => {
      document.addEventListener('securitypolicyviolation', (e) => console.error(`CSP violation (Content Security Policy): ${e.violatedDirective} ${e.blockedURI}`));
    });
    return page;
  }

  async function signIn(page: Page, email: string, loginPath: string, password = PASSWORD): Promise<void> {
    await page.goto(`${ACME}${loginPath}`);
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(password);
    await Promise.all([page.waitForURL((url) => !url.pathname.endsWith('/login')), page.getByRole('button', { name: 'Sign in' }).click()]);
  }

  /** Waits until htmx has swapped, settled and wired up what it swapped in (as a person would, before the next click). */
  async function htmxSettled(page: Page): Promise<void> {
    await page.waitForFunction(() => !document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling, .htmx-added'));
  }

  it('alice sends the credentials quick reply; mario signs in with them and must choose his own password', async () => {
    problems.length = 0;
    const fx = await loadFixtures();
    // Mario has never had a password: only the emailed one can let him in.
    await sql('update contacts set password_hash = null where id = $1', [fx.contacts.mario.id]);
    await makeTicket(fx.acme, fx.customers['Rossi Impianti'].id, fx.contacts.mario.id, 1001, 'How do I get into the portal?');

    // Alice picks the quick reply: htmx fills the reply box, snippets still as {[…]}.
    const alice = await person('alice');
    await signIn(alice, people.alice.email, '/login');
    await alice.goto(`${ACME}/tickets/1001`);
    await alice.getByLabel('Quick reply').selectOption({ label: 'Portal credentials' });
    await htmxSettled(alice);
    await alice.waitForFunction(() => (document.querySelector('#f-body') as HTMLTextAreaElement | null)?.value.includes('{[Portal Password]}'));
    const filled = await alice.locator('#f-body').inputValue();
    expect(filled).to.contain('{[Portal Address]}').and.contain('{[Portal Username]}').and.contain('{[Portal Password]}');
    await Promise.all([alice.waitForURL(`**/tickets/1001`), alice.getByRole('button', { name: 'Send Reply' }).click()]);
    // The conversation keeps the reply with the credentials masked.
    const conversation = await alice.locator('main').innerText();
    expect(conversation).to.contain('Username : mario@rossi.test').and.contain('Password : ••••••••');

    // The send job mints the password into the email only.
    await drainJobs();
    const mail = h().mail.last(contactsData.mario.email);
    const url = mail.text.match(/URL : (\S+)/)?.[1];
    const username = mail.text.match(/Username : (\S+)/)?.[1];
    const password = mail.text.match(/Password : (\S+)/)?.[1];
    expect(url).to.equal(`${ACME}/portal`);
    expect(username).to.equal(contactsData.mario.email);
    expect(password).to.match(/^[A-Za-z0-9]{12,}$/);

    // Mario follows the emailed address, signs in with the emailed credentials, and must change the password first.
    const mario = await person('mario');
    await mario.goto(url!);
    await mario.getByLabel('Email').fill(username!);
    await mario.getByLabel('Password').fill(password!);
    await Promise.all([mario.waitForURL('**/portal/account/password'), mario.getByRole('button', { name: 'Sign in' }).click()]);
    // Any other portal page sends him back here until he has chosen his own.
    await mario.goto(`${ACME}/portal/tickets`);
    expect(new URL(mario.url()).pathname).to.equal('/portal/account/password');
    await mario.getByLabel('Temporary password').fill(password!);
    await mario.getByLabel('New password', { exact: true }).fill('mario chose this one');
    await mario.getByLabel('Repeat the new password').fill('mario chose this one');
    await Promise.all([mario.waitForURL('**/portal/account'), mario.getByRole('button', { name: 'Change password' }).click()]);
    await mario.goto(`${ACME}/portal/tickets`);
    expect(await mario.locator('main').innerText()).to.contain('How do I get into the portal?');

    // The emailed password no longer works; nothing stored ever held it.
    const dump = await sql<{ text: string }>(`select string_agg(t::text, ' ') as text from (
      select * from ticket_messages) t`);
    expect(dump[0].text).not.to.contain(password!);
    expect((await sql<{ text: string }>('select string_agg(text_body, \' \') as text from outbound_emails'))[0].text).not.to.contain(password!);
    expect(h().logs.join('')).not.to.contain(password!);
    expect(problems).to.deep.equal([]);
  });
});
