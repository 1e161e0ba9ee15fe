// End to end in headless Chromium: on the ticket page the title is edited in place (htmx
// swaps the title and the history, and says Saved, without a page load), a property change
// says Saved, and Send and set to Resolved sends the reply and resolves the ticket in one step.
import { expect } from 'chai';
import { loadFixtures, people, sql } from '../support/index.js';
import { htmxSettled, signInThroughForm, useChromium } from '../support/chromium.js';
import { writeTickets } from '../support/tickets.js';

const ACME = 'http://acme.localhost:3000';

describe('End to end in Chromium: the ticket page', function () {
  this.timeout(60_000);
  const chromium = useChromium();

  it('edits the title in place, says Saved, and sends a reply that resolves the ticket', async () => {
    chromium.problems.length = 0;
    const fx = await loadFixtures();
    await writeTickets(fx, [{ number: 1001, title: 'Printr jammed' }]);
    const alice = await chromium.person('alice');
    await signInThroughForm(alice, people.alice.email, '/login');
    await alice.goto(`${ACME}/tickets/1001`);
    // A marker on the window survives only if the page never reloads.
    await alice.evaluate(() => { (window as unknown as { kept: boolean }).kept = true; });

    await alice.getByRole('link', { name: 'Edit title' }).click();
    const field = alice.getByLabel('Title (#1001)');
    await field.waitFor();
    await field.fill('Printer jammed on floor 2');
    await alice.getByRole('button', { name: 'Save title' }).click();
    await alice.locator('h1.ticket-title', { hasText: '#1001 Printer jammed on floor 2' }).waitFor();
    await alice.locator('#ticket-saved', { hasText: 'Saved' }).waitFor();
    await alice.locator('#ticket-history', { hasText: 'changed the title from' }).waitFor();
    expect(await alice.evaluate(() => (window as unknown as { kept?: boolean }).kept)).to.equal(true);
    expect((await sql<{ title: string }>('select title from tickets where number = 1001'))[0].title).to.equal('Printer jammed on floor 2');

    // A property change says Saved in place too (cleared first, so this Saved is the change's own).
    await alice.evaluate(() => { document.getElementById('ticket-saved')!.textContent = ''; });
    await alice.locator('#p-priority').selectOption('high');
    await alice.locator('#ticket-saved', { hasText: 'Saved' }).waitFor();
    await htmxSettled(alice);

    await alice.getByLabel('Reply', { exact: true }).fill('Cleared the jam: it prints again.');
    await Promise.all([alice.waitForURL((u) => u.hash.startsWith('#message-')), alice.getByRole('button', { name: 'Send and set to Resolved' }).click()]);
    await alice.locator('.message.from-technician', { hasText: 'Cleared the jam' }).waitFor();
    expect(await alice.locator('#p-status').inputValue()).to.equal('resolved');
    const [row] = await sql<{ status: string; priority: string }>('select status, priority from tickets where number = 1001');
    expect(row).to.deep.equal({ status: 'resolved', priority: 'high' });
    expect(chromium.problems).to.deep.equal([]);
  });
});
