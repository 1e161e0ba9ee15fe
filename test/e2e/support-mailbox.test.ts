// In headless Chromium: an admin adds a support address, Test connection shows its
// steps in place (htmx), mail appended to Dovecot becomes a ticket at the poll, and
// the new contact's welcome email is in the Mail Log — with no console error and no
// CSP violation.
import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { pollMailbox } from '../../src/inbound/poll.js';
import { drainJobs, loadFixtures, people, PASSWORD, sql } from '../support/index.js';
import { useChromium } from '../support/chromium.js';
import { DOVECOT, Dovecot } from '../support/dovecot.js';
import { requireProgram } from '../support/require-program.js';

describe('End to end in Chromium: a support mailbox', function () {
  this.timeout(90_000);
  const chromium = useChromium();
  const problems = chromium.problems;
  const dovecot = new Dovecot();
  let page: Page;

  before(async function () {
    requireProgram(this, DOVECOT, 'Dovecot', 'apt-get install -y dovecot-imapd');
    await dovecot.start();
  });
  after(async () => { await dovecot.stop(); });
  beforeEach(async () => { page = await chromium.person('alice'); });

  it('adds a mailbox, tests it step by step, and its mail becomes a ticket and a welcomed contact', async () => {
    const f = await loadFixtures();
    await sql(`update email_settings set auto_create_contacts = true, send_welcome_email = true,
      welcome_template_id = (select id from email_templates t where t.tenant_id = email_settings.tenant_id and t.name like 'New % welcome') where tenant_id = $1`, [f.acme.id]);
    const user = dovecot.addUser('desk@acme.test');
    await dovecot.append(user, ['From: Old <old@example.test>\r\nSubject: Already there\r\nMessage-ID: <old@example.test>\r\n\r\nOld.']);

    await page.goto('http://acme.localhost:3000/login');
    await page.getByLabel('Email').fill(people.alice.email);
    await page.getByLabel('Password').fill(PASSWORD);
    await Promise.all([page.waitForURL((url) => url.pathname !== '/login'), page.getByRole('button', { name: 'Sign in' }).click()]);

    await page.goto('http://acme.localhost:3000/admin/email-settings');
    await Promise.all([page.waitForURL('**/admin/mailboxes/new'), page.getByRole('link', { name: 'Add', exact: true }).click()]);
    await page.getByLabel('Support address').fill('desk@acme.test');
    await page.getByLabel('IMAP host').fill('127.0.0.1');
    await page.getByLabel('Security').selectOption('none');
    await page.getByLabel('Port', { exact: true }).fill(String(dovecot.port));
    await page.getByLabel('Username').fill('desk@acme.test');
    await page.getByLabel('Password', { exact: true }).fill('not the password');
    await page.getByRole('button', { name: 'Test connection' }).click();
    await page.locator('#connection-test .connection-steps').waitFor();
    const wrong = await page.locator('#connection-test').innerText();
    expect(wrong).to.contain('Failed: Sign in').and.contain('Wrong username or password.');

    await page.getByLabel('Password', { exact: true }).fill(user.password);
    await page.getByRole('button', { name: 'Test connection' }).click();
    await page.locator('#connection-test', { hasText: 'The connection works.' }).waitFor();
    const good = await page.locator('#connection-test').innerText();
    expect(good).to.contain(`Done: Connect to 127.0.0.1:${dovecot.port}`).and.contain('Done: Sign in').and.contain('Done: Open the folder INBOX')
      .and.contain('Done: Count the messages — 1 message');

    await Promise.all([page.waitForURL('**/admin/email-settings**'), page.getByRole('button', { name: 'Add', exact: true }).click()]);
    expect(await page.locator('#support-addresses').innerText()).to.contain('desk@acme.test');

    await dovecot.append(user, ['From: Giulia Verdi <giulia.verdi@newco.test>\r\nTo: desk@acme.test\r\nSubject: The printer on the second floor\r\nMessage-ID: <e2e-1@newco.test>\r\n\r\nIt jams.']);
    const [box] = await sql<{ id: number }>("select id from mailboxes where address = 'desk@acme.test'");
    await pollMailbox(f.acme.id, box.id);
    await drainJobs();

    await page.goto('http://acme.localhost:3000/tickets?view=unassigned');
    expect(await page.locator('main').innerText()).to.contain('The printer on the second floor').and.contain('Already there');
    await page.goto('http://acme.localhost:3000/admin/incoming-mail');
    expect(await page.locator('main').innerText()).to.contain('giulia.verdi@newco.test').and.contain('Ticket created');
    await page.goto('http://acme.localhost:3000/admin/mail-log');
    expect(await page.locator('main').innerText()).to.contain('giulia.verdi@newco.test');
    await page.goto('http://acme.localhost:3000/admin/email-settings');
    expect(await page.locator('#support-addresses').innerText()).to.match(/desk@acme\.test[\s\S]*Yes[\s\S]*\b2\b/);
    // At 390 px the pages fit the width (the tables scroll inside their box).
    await page.setViewportSize({ width: 390, height: 900 });
    const width = () => page.evaluate(() => document.documentElement.scrollWidth);
    expect(await width(), 'Email Settings at 390 px').to.be.at.most(390);
    await page.goto('http://acme.localhost:3000/admin/incoming-mail');
    expect(await width(), 'Incoming Mail at 390 px').to.be.at.most(390);
    await page.goto(`http://acme.localhost:3000/admin/mailboxes/${box.id}`);
    await page.getByRole('button', { name: 'Test connection' }).click();
    await page.locator('#connection-test .connection-steps').waitFor();
    expect(await width(), 'a support address at 390 px').to.be.at.most(390);
    expect(problems).to.deep.equal([]);
  });

  it('shows the IMAP password field for the Password sign-in only, following the method as it is switched', async () => {
    const f = await loadFixtures();
    await page.goto('http://acme.localhost:3000/login');
    await page.getByLabel('Email').fill(people.alice.email);
    await page.getByLabel('Password').fill(PASSWORD);
    await Promise.all([page.waitForURL((url) => url.pathname !== '/login'), page.getByRole('button', { name: 'Sign in' }).click()]);
    await page.goto('http://acme.localhost:3000/admin/mailboxes/new');
    const password = page.getByLabel('Password', { exact: true });
    const method = page.getByLabel('Sign-in', { exact: true });
    expect(await password.isVisible()).to.equal(true);
    await method.selectOption('microsoft');
    expect(await password.isVisible()).to.equal(false);
    await method.selectOption('google');
    expect(await password.isVisible()).to.equal(false);
    await method.selectOption('password');
    expect(await password.isVisible()).to.equal(true);
    // A Microsoft 365 address's own page opens without it, and saves without one.
    const [box] = await sql<{ id: number }>(`insert into mailboxes (tenant_id, address, host, port, tls, username, password_sealed, password_key_version, auth_method, oauth_status)
      values ($1, 'help@acme.test', 'outlook.office365.com', 993, 'tls', 'help@acme.test', '', 0, 'microsoft', 'connected') returning id`, [f.acme.id]);
    await page.goto(`http://acme.localhost:3000/admin/mailboxes/${box.id}`);
    expect(await password.isVisible()).to.equal(false);
    await Promise.all([page.waitForURL('**/admin/email-settings**'), page.getByRole('button', { name: 'Save', exact: true }).click()]);
    expect(await sql('select password_sealed, oauth_status from mailboxes where id = $1', [box.id])).to.deep.equal([{ password_sealed: '', oauth_status: 'connected' }]);
    expect(problems).to.deep.equal([]);
  });
});
