// End to end in headless Chromium: the customer pickers' searches answer new options
// as one types (htmx), keep the one chosen, and leave the page's own URL and list alone.
import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { inTenant } from '../../src/db/unit-of-work.js';
import { Customer } from '../../src/domain/customer/customer.js';
import type { Tenant } from '../../src/domain/tenant/tenant.js';
import { loadFixtures, PASSWORD, people, sql } from '../support/index.js';
import { useChromium } from '../support/chromium.js';

const ACME = 'http://acme.localhost:3000';

describe('End to end in Chromium: customer pickers', function () {
  this.timeout(60_000);
  const chromium = useChromium();

  const optionNames = (page: Page, id: string) => page.locator(`#${id} option:not([value=""])`).allInnerTexts();

  it('a search narrows the contact form\'s and the ticket filter\'s customers as one types, and the chosen one is saved', async () => {
    chromium.problems.length = 0;
    const fx = await loadFixtures();
    await inTenant(fx.acme.id, async (em) => {
      const tenant = em.getReference('Tenant', fx.acme.id) as Tenant;
      for (let i = 1; i <= 60; i++) em.create(Customer, { tenant, name: `Aaa Client ${String(i).padStart(2, '0')}` });
      await em.flush();
    });
    const alice = await chromium.person('alice');
    await alice.goto(`${ACME}/login`);
    await alice.getByLabel('Email').fill(people.alice.email);
    await alice.getByLabel('Password').fill(PASSWORD);
    await Promise.all([alice.waitForURL((u) => u.pathname === '/'), alice.getByRole('button', { name: 'Sign in' }).click()]);

    await alice.goto(`${ACME}/contacts/new`);
    expect(await optionNames(alice, 'f-customer')).to.have.length(50);
    await alice.getByLabel('Find a customer').fill('client 57');
    await alice.waitForFunction(() => document.querySelectorAll('#f-customer option:not([value=""])').length === 2);
    // The default customer stays chosen, the match beside it.
    expect(await optionNames(alice, 'f-customer')).to.deep.equal(['Unassigned', 'Aaa Client 57']);
    await alice.locator('#f-customer').selectOption({ label: 'Aaa Client 57' });
    await alice.locator('#f-email').fill('daisy@client57.test');
    await Promise.all([alice.waitForURL(/\/contacts\/\d+$/), alice.getByRole('button', { name: 'Save' }).click()]);
    const [row] = await sql<{ name: string }>("select cu.name from contacts c join customers cu on cu.id = c.customer_id where c.email = 'daisy@client57.test'");
    expect(row.name).to.equal('Aaa Client 57');

    // The ticket list: the picker's search changes neither the URL nor the list; choosing filters it.
    await alice.goto(`${ACME}/tickets?status=open`);
    await alice.getByLabel('Find a customer').fill('rossi');
    await alice.waitForFunction(() => document.querySelectorAll('#f-customer option:not([value=""])').length === 1);
    expect(new URL(alice.url()).pathname + new URL(alice.url()).search).to.equal('/tickets?status=open');
    await alice.locator('#f-customer').selectOption({ label: 'Rossi Impianti' });
    await alice.waitForURL((u) => u.searchParams.get('customer') === String(fx.customers['Rossi Impianti'].id));
    expect(new URL(alice.url()).searchParams.has('customerQ')).to.equal(false);
    expect(chromium.problems).to.deep.equal([]);
  });
});
