// End to end in headless Chromium: the ticket list's htmx — a column heading sorts the list
// in place (and a filter change keeps the sort), the search box jumps to a ticket by its
// number, and a bulk edit changes the checked tickets and swaps the list in place (a refusal too).
import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { loadFixtures, PASSWORD, people, sql } from '../support/index.js';
import { useChromium } from '../support/chromium.js';
import { writeTickets } from '../support/tickets.js';

const ACME = 'http://acme.localhost:3000';

describe('End to end in Chromium: the ticket list', function () {
  this.timeout(60_000);
  const chromium = useChromium();

  const rowNumbers = (page: Page) => page.locator('#ticket-list tbody tr').evaluateAll((rows) => rows.map((r) => Number(r.id.replace('ticket-', ''))));

  it('sorts in place, keeps the sort through a filter, jumps to a number, and bulk-edits the checked rows', async () => {
    chromium.problems.length = 0;
    const fx = await loadFixtures();
    await writeTickets(fx, [
      { number: 1001, title: 'Printer jammed', priority: 'low', assignee: 'alice' },
      { number: 1002, title: 'VPN drops', priority: 'critical', assignee: 'alice' },
      { number: 1003, title: 'Mouse broken', priority: 'high', assignee: 'alice', status: 'pending' },
    ]);
    const alice = await chromium.person('alice');
    await alice.goto(`${ACME}/login`);
    await alice.getByLabel('Email').fill(people.alice.email);
    await alice.getByLabel('Password').fill(PASSWORD);
    await Promise.all([alice.waitForURL((u) => u.pathname === '/'), alice.getByRole('button', { name: 'Sign in' }).click()]);

    await alice.getByRole('link', { name: 'My open tickets' }).first().click();
    await alice.waitForURL((u) => u.pathname === '/tickets');
    expect(await rowNumbers(alice)).to.deep.equal([1003, 1002, 1001]);
    // Sort by priority: the list swaps, the URL follows.
    await alice.locator('#ticket-list th a', { hasText: 'Priority' }).click();
    await alice.waitForURL((u) => u.searchParams.get('sort') === 'priority');
    await alice.waitForFunction(() => document.querySelector('#ticket-list th[aria-sort]')?.textContent?.includes('Priority'));
    expect(await rowNumbers(alice)).to.deep.equal([1002, 1003, 1001]);
    // A filter change keeps the sort.
    await alice.locator('#f-status').selectOption('open');
    await alice.waitForURL((u) => u.searchParams.get('status') === 'open');
    expect(new URL(alice.url()).searchParams.get('sort')).to.equal('priority');
    await alice.waitForFunction(() => document.querySelectorAll('#ticket-list tbody tr').length === 2);
    expect(await rowNumbers(alice)).to.deep.equal([1002, 1001]);

    // Bulk: Apply with nothing chosen is refused in place (422), the checked row kept.
    await alice.goto(`${ACME}/tickets?view=all&sort=number&dir=asc`);
    await alice.getByLabel('Select #1002').check();
    await alice.getByRole('button', { name: 'Apply' }).click();
    await alice.locator('#ticket-list [role=alert]', { hasText: 'Choose what to change' }).waitFor();
    expect(await alice.getByLabel('Select #1002').isChecked()).to.equal(true);
    await alice.getByLabel('Select #1002').uncheck();
    expect(chromium.problems.splice(0).filter((p) => !/HTTP 422: .*\/tickets\/bulk-edits$|status of 422/.test(p))).to.deep.equal([]);
    // Check two rows, choose a priority, Apply — the list swaps in place with what changed.
    await alice.getByLabel('Select #1001').check();
    await alice.getByLabel('Select #1003').check();
    await alice.locator('#b-priority').selectOption('medium');
    await alice.getByRole('button', { name: 'Apply' }).click();
    await alice.locator('#ticket-list .notice', { hasText: '2 tickets changed.' }).waitFor();
    expect(new URL(alice.url()).pathname).to.equal('/tickets');
    const rows = await sql<{ number: number; priority: string }>('select number, priority from tickets where tenant_id = $1 order by number', [fx.acme.id]);
    expect(rows.map((r) => `${r.number} ${r.priority}`)).to.deep.equal(['1001 medium', '1002 critical', '1003 medium']);
    expect(await alice.getByLabel('Select #1001').isChecked()).to.equal(false);

    // The search box: a number goes straight to that ticket.
    await alice.locator('#f-q').fill('#1002');
    await alice.waitForURL((u) => u.pathname === '/tickets/1002');
    expect(chromium.problems).to.deep.equal([]);
  });
});
