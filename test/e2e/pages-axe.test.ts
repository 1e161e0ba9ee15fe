// In headless Chromium at a phone's width (390 px): the main pages of the technician app,
// the portal and the root host, in Italian and in English, pass axe's WCAG 2.1 A/AA rules
// and fit the width — with no console error and no CSP violation.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { loadFixtures, PASSWORD, people, contactsData, speakItalian } from '../support/index.js';
import { makeTicket } from '../support/records.js';
import { useChromium } from '../support/chromium.js';

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

interface AxeViolation { id: string; impact: string; help: string; nodes: Array<{ target: string[] }> }

async function axeViolations(page: Page): Promise<string[]> {
  // Evaluated through the DevTools protocol, so the page's CSP (script-src 'self') does not apply to axe itself.
  await page.evaluate(axeSource);
  const violations = await page.evaluate(() => (window as unknown as { axe: { run(o: unknown): Promise<{ violations: AxeViolation[] }> } })
    .axe.run({ runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } }).then((r) => r.violations));
  return violations.map((v) => `${page.url()} ${v.id} (${v.impact}): ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`);
}

async function pageWidth(page: Page): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollWidth);
}

async function check(page: Page, url: string, problems: string[]): Promise<void> {
  await page.goto(url);
  const width = await pageWidth(page);
  if (width > 390) problems.push(`${url} is ${width} px wide`);
  problems.push(...await axeViolations(page));
}

const TECHNICIAN_PAGES = ['/', '/tickets', '/tickets/1001', '/tickets/new', '/customers', '/contacts', '/profile',
  '/admin/workspace', '/admin/technicians', '/admin/email-settings', '/admin/email-templates', '/admin/quick-replies', '/admin/incoming-mail', '/admin/mail-log',
  '/contacts/imports/new'];
const PORTAL_PAGES = ['/portal/tickets', '/portal/tickets/new', '/portal/tickets/1001', '/portal/account'];

describe('End to end in Chromium: pages at 390 px pass axe, in both languages', function () {
  this.timeout(180_000);
  const chromium = useChromium();

  for (const lang of ['it', 'en'] as const) {
    it(`the technician app, the portal and the root host in ${lang === 'it' ? 'Italian' : 'English'}`, async () => {
      const fx = await loadFixtures();
      await makeTicket(fx.acme, fx.contacts.mario.customer.id, fx.contacts.mario.id, 1001, 'La stampante non stampa');
      if (lang === 'it') await speakItalian('acme');
      const problems: string[] = [];

      const visitor = await chromium.person('visitor');
      await visitor.setViewportSize({ width: 390, height: 844 });
      await visitor.setExtraHTTPHeaders({ 'Accept-Language': lang });
      for (const path of ['/', '/signup', '/find']) await check(visitor, `http://localhost:3000${path}`, problems);
      await check(visitor, 'http://acme.localhost:3000/login', problems);
      await check(visitor, 'http://acme.localhost:3000/portal/login', problems);

      const alice = await chromium.person('alice');
      await alice.setViewportSize({ width: 390, height: 844 });
      await alice.goto('http://acme.localhost:3000/login');
      await alice.locator('input[name=email]').fill(people.alice.email);
      await alice.locator('input[name=password]').fill(PASSWORD);
      await Promise.all([alice.waitForURL((u) => u.pathname === '/'), alice.locator('button[type=submit]').click()]);
      expect(await alice.locator('html').getAttribute('lang')).to.equal(lang);
      // And the pages with a customer picker (the deletion page's only while the customer has contacts or tickets).
      const pickers = ['/contacts/new', `/contacts/${fx.contacts.mario.id}/edit`, `/customers/${fx.contacts.mario.customer.id}/deletion`];
      for (const path of [...TECHNICIAN_PAGES, ...pickers]) await check(alice, `http://acme.localhost:3000${path}`, problems);

      const mario = await chromium.person('mario');
      await mario.setViewportSize({ width: 390, height: 844 });
      await mario.goto('http://acme.localhost:3000/portal/login');
      await mario.locator('input[name=email]').fill(contactsData.mario.email);
      await mario.locator('input[name=password]').fill(PASSWORD);
      await Promise.all([mario.waitForURL((u) => !u.pathname.endsWith('/login')), mario.locator('button[type=submit]').click()]);
      for (const path of PORTAL_PAGES) await check(mario, `http://acme.localhost:3000${path}`, problems);

      expect(problems).to.deep.equal([]);
      expect(chromium.problems).to.deep.equal([]);
    });
  }
});
