// End to end in headless Chromium: Manage Domains opens as a modal on the customer's page,
// Apply saves the change and the Domains section updates in place (no page load); and the
// new-contact form pre-selects the customer owning a typed address's domain. No console
// error, no CSP violation.
import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { loadFixtures, PASSWORD, people, sql, type Fixtures } from '../support/index.js';
import { useChromium } from '../support/chromium.js';

const ACME = 'http://acme.localhost:3000';

async function signInAlice(page: Page): Promise<void> {
  await page.goto(`${ACME}/login`);
  await page.getByLabel('Email').fill(people.alice.email);
  await page.getByLabel('Password').fill(PASSWORD);
  await Promise.all([page.waitForURL((u) => u.pathname === '/'), page.getByRole('button', { name: 'Sign in' }).click()]);
}

const listed = (page: Page) => page.locator('#domains ul.domains li').allInnerTexts();

describe('End to end in Chromium: Manage Domains', function () {
  this.timeout(60_000);
  const chromium = useChromium();
  let fx: Fixtures;
  let rossi: number;

  beforeEach(async () => {
    fx = await loadFixtures();
    rossi = fx.customers['Rossi Impianti'].id;
    await sql('insert into customer_domains (tenant_id, customer_id, domain) values ($1, $2, $3)', [fx.acme.id, rossi, 'old-rossi.example']);
  });

  it('adds two domains and removes one in the modal, and Apply updates the section without a page load', async () => {
    const alice = await chromium.person('alice');
    await signInAlice(alice);
    await alice.goto(`${ACME}/customers/${rossi}`);
    expect(await listed(alice)).to.deep.equal(['old-rossi.example']);
    // Set on this page's window: a page load would lose it.
    await alice.evaluate(() => { (window as unknown as { samePage: boolean }).samePage = true; });

    await alice.getByRole('link', { name: 'Manage Domains' }).click();
    const dialog = alice.getByRole('dialog', { name: 'Manage Domains: Rossi Impianti' });
    await dialog.waitFor();
    expect(new URL(alice.url()).pathname).to.equal(`/customers/${rossi}`);

    // A refusal answers the modal again, with the reason, and changes nothing.
    await dialog.getByLabel('Add domains').fill('gmail.com');
    await dialog.getByRole('button', { name: 'Apply' }).click();
    await alice.getByText('gmail.com is a public mailbox provider').waitFor();
    expect(await sql('select domain from customer_domains where customer_id = $1', [rossi])).to.deep.equal([{ domain: 'old-rossi.example' }]);

    // Two domains added, the old one unticked, one Apply.
    await alice.getByLabel('Add domains').fill('rossi.example, Müller.de');
    await alice.getByRole('checkbox', { name: 'old-rossi.example' }).uncheck();
    await alice.getByRole('button', { name: 'Apply' }).click();
    await alice.getByRole('dialog').waitFor({ state: 'detached' });
    await alice.waitForFunction(() => document.querySelectorAll('#domains ul.domains li').length === 2);
    expect(await listed(alice)).to.have.members(['rossi.example', 'müller.de']);
    expect((await sql<{ domain: string }>('select domain from customer_domains where customer_id = $1 order by domain', [rossi])).map((r) => r.domain))
      .to.deep.equal(['rossi.example', 'xn--mller-kva.de']);

    // Again: remove one of the two.
    await alice.getByRole('link', { name: 'Manage Domains' }).click();
    await alice.getByRole('checkbox', { name: 'müller.de' }).uncheck();
    await alice.getByRole('button', { name: 'Apply' }).click();
    await alice.waitForFunction(() => document.querySelectorAll('#domains ul.domains li').length === 1);
    expect(await listed(alice)).to.deep.equal(['rossi.example']);

    expect(await alice.evaluate(() => (window as unknown as { samePage?: boolean }).samePage)).to.equal(true);
    expect(chromium.problems).to.deep.equal([]);
  });

  it('pre-selects on the new-contact form the customer owning the typed address\'s domain, and the choice stays changeable', async () => {
    const alice = await chromium.person('alice');
    await signInAlice(alice);
    await alice.goto(`${ACME}/contacts/new`);
    const chosen = () => alice.locator('#f-customer option:checked').innerText();
    expect(await chosen()).to.equal('Unassigned');
    await alice.getByLabel('Email', { exact: true }).pressSequentially('anna@old-rossi.example', { delay: 10 });
    await alice.waitForFunction(() => (document.querySelector('#f-customer option:checked') as HTMLOptionElement | null)?.textContent === 'Rossi Impianti');
    // Changeable: choose another; the form saves that one.
    await alice.locator('#f-customer').selectOption({ label: 'Bianchi Srl' });
    await Promise.all([alice.waitForURL(/\/contacts\/\d+$/), alice.getByRole('button', { name: 'Save' }).click()]);
    const [row] = await sql<{ name: string }>("select cu.name from contacts c join customers cu on cu.id = c.customer_id where c.email = 'anna@old-rossi.example'");
    expect(row.name).to.equal('Bianchi Srl');

    await alice.goto(`${ACME}/contacts/new`);
    await alice.getByLabel('Email', { exact: true }).fill('bruno@old-rossi.example');
    await alice.waitForFunction(() => (document.querySelector('#f-customer option:checked') as HTMLOptionElement | null)?.textContent === 'Rossi Impianti');
    await Promise.all([alice.waitForURL(/\/contacts\/\d+$/), alice.getByRole('button', { name: 'Save' }).click()]);
    const [placed] = await sql<{ name: string }>("select cu.name from contacts c join customers cu on cu.id = c.customer_id where c.email = 'bruno@old-rossi.example'");
    expect(placed.name).to.equal('Rossi Impianti');
    expect(chromium.problems).to.deep.equal([]);
  });
});
