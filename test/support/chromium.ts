// Headless Chromium for end-to-end tests (Debian's /usr/bin/chromium driven by
// playwright-core; never a downloaded browser). The app keeps APP_DOMAIN=localhost:3000
// (as every test sees it) while listening on a free port that Chromium uses as its
// HTTP proxy, so the browser still speaks to acme.localhost:3000 and friends.
// Every page records its problems: console errors, page errors, CSP violations,
// HTTP errors and failed requests — a test ends by expecting none.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { h } from './harness.js';
import { PASSWORD } from './fixtures.js';
import { requireProgram } from './require-program.js';

export const CHROMIUM = '/usr/bin/chromium';

export interface Chromium {
  browser: Browser;
  problems: string[];
  /** A new person at the keyboard: their own context (cookies) and a watched page. */
  person(who: string): Promise<Page>;
}

/** Registers before/after hooks on the describe block; use the returned object inside its tests. */
export function useChromium(): Chromium {
  let server: http.Server | undefined;
  const contexts: BrowserContext[] = [];
  const session = { problems: [] as string[] } as Chromium;

  before(async function () {
    requireProgram(this, CHROMIUM, 'Chromium', 'apt-get install -y chromium');
    // Requests arrive in proxy form (`GET http://acme.localhost:3000/login`): hand the app the path.
    server = http.createServer((req, res) => {
      if (req.url && /^https?:\/\//i.test(req.url)) { const u = new URL(req.url); req.url = u.pathname + u.search; }
      h().app(req, res);
    });
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    session.browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
        '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage',
        `--proxy-server=http://127.0.0.1:${port}`, '--proxy-bypass-list=<-loopback>'],
    });
  });

  beforeEach(() => {
    session.problems.length = 0;
  });

  afterEach(async () => {
    for (const context of contexts.splice(0)) await context.close();
  });

  after(async () => {
    await session.browser?.close();
    if (server) await new Promise((resolve) => server!.close(resolve));
  });

  session.person = async (who: string) => {
    const context = await session.browser.newContext({ acceptDownloads: true });
    contexts.push(context);
    const page = await context.newPage();
    const problems = session.problems;
    page.on('console', (msg) => { if (msg.type() === 'error' || /Content Security Policy/i.test(msg.text())) problems.push(`${who} console: ${msg.text()}`); });
    page.on('pageerror', (error) => problems.push(`${who} page error: ${error.message}`));
    page.on('response', (res) => { if (res.status() >= 400) problems.push(`${who} HTTP ${res.status()}: ${res.url()}`); });
    page.on('requestfailed', (req) => {
      // Chromium fetches the favicon on the side and aborts that fetch when the page navigates away: not a failure of ours.
      if (req.url().endsWith('/favicon.svg') && req.failure()?.errorText === 'net::ERR_ABORTED') return;
      problems.push(`${who} request failed: ${req.url()} ${req.failure()?.errorText}`);
    });
    // securitypolicyviolation events, reported through the console so they cannot be missed.
    await page.addInitScript(() => {
      document.addEventListener('securitypolicyviolation', (e) => console.error(`CSP violation (Content Security Policy): ${e.violatedDirective} ${e.blockedURI}`));
    });
    return page;
  };
  return session;
}

/** Waits until htmx has swapped, settled and wired up what it swapped in (as a person would, before the next click). */
export async function htmxSettled(page: Page): Promise<void> {
  await page.waitForFunction(() => !document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling, .htmx-added'));
}

/**
 * Signs `page` in through a sign-in form of acme (the technicians' `/login` or the
 * portal's `/portal/login`) as a person does: fills Email and Password, clicks Sign in,
 * and waits to leave the sign-in page.
 */
export async function signInThroughForm(page: Page, email: string, loginPath: string, password = PASSWORD): Promise<void> {
  await page.goto(`http://acme.localhost:3000${loginPath}`);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await Promise.all([page.waitForURL((url) => !url.pathname.endsWith('/login')), page.getByRole('button', { name: 'Sign in' }).click()]);
}
