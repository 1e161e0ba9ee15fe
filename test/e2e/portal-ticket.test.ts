// End to end in headless Chromium (issue 3): a contact opens a ticket in the
// portal, a technician answers it, the contact sees the answer — and never the
// technician's internal note. One browser, two contexts (two people, two cookie
// jars), with no console error, no CSP violation and no failed request.
//
// See test/support/chromium.ts: the app listens on a free port that Chromium uses
// as its HTTP proxy, so the browser still speaks to acme.localhost:3000.
import { readFile } from 'node:fs/promises';
import { expect } from 'chai';
import { contactsData, h, loadFixtures, people, sql } from '../support/index.js';
import { htmxSettled, signInThroughForm as signIn, useChromium } from '../support/chromium.js';

const ACME = 'http://acme.localhost:3000';

describe('End to end in Chromium: a portal ticket answered by a technician', function () {
  this.timeout(60_000);
  const chromium = useChromium();
  const problems = chromium.problems;
  const person = (who: string) => chromium.person(who);


  it('mario opens a ticket in the portal, alice answers it in place, mario sees the answer but not her note', async () => {
    problems.length = 0;
    await loadFixtures();
    const title = 'Boiler controller <b>offline</b>';
    const screenshot = Buffer.from('PNG-ish bytes of a screenshot\n');

    // Mario, in the portal: sign in (the portal sends him to its sign-in page first), open a ticket with a file.
    const mario = await person('mario');
    await mario.goto(`${ACME}/portal`);
    expect(new URL(mario.url()).pathname).to.equal('/portal/login');
    await signIn(mario, contactsData.mario.email, '/portal/login');
    await mario.getByRole('navigation').getByRole('link', { name: 'New ticket' }).click();
    await mario.getByLabel('Title').fill(title);
    await mario.getByLabel('Description').fill('The controller in the boiler room shows a red light since this morning.');
    await mario.getByLabel('Attachments').setInputFiles({ name: 'controller.png', mimeType: 'image/png', buffer: screenshot });
    await Promise.all([mario.waitForURL(/\/portal\/tickets\/\d+$/), mario.getByRole('button', { name: 'Open ticket' }).click()]);
    const number = Number(new URL(mario.url()).pathname.split('/').pop());
    expect(number).to.equal(1001);
    expect(await mario.locator('main').innerText()).to.contain(`Ticket #${number} is open`).and.contain('controller.png');
    // Markup typed into a title shows as text.
    expect(await mario.locator('h1').innerText()).to.equal(`#${number} ${title}`);

    await mario.getByRole('navigation').getByRole('link', { name: 'My tickets' }).click();
    const row = mario.locator(`#ticket-${number}`);
    expect(await row.innerText()).to.contain(title);
    expect(await row.locator('.badge').textContent()).to.equal('open');

    // Alice, in the technician app: finds it in the ticket list and opens it.
    const alice = await person('alice');
    await signIn(alice, people.alice.email, '/login');
    await alice.getByRole('navigation').getByRole('link', { name: 'Tickets' }).click();
    // The list opens on My open tickets; the new, unassigned ticket is one view away.
    await alice.getByRole('navigation', { name: 'Views' }).getByRole('link', { name: 'Unassigned' }).click();
    await Promise.all([alice.waitForURL(`**/tickets/${number}`), alice.locator(`#ticket-${number}`).getByRole('link', { name: title }).click()]);
    expect(await alice.locator('main').innerText()).to.contain('Mario Rossi').and.contain('controller.png');

    // The attachment downloads as a file.
    const [download] = await Promise.all([alice.waitForEvent('download'), alice.getByRole('link', { name: 'controller.png' }).click()]);
    expect(download.suggestedFilename()).to.equal('controller.png');
    expect(await readFile((await download.path())!)).to.deep.equal(screenshot);

    // Status changed in place (htmx): no navigation, the history updates beside it.
    const pageUrl = alice.url();
    await Promise.all([
      alice.waitForResponse((res) => res.url().endsWith(`/tickets/${number}/status`) && res.status() === 200),
      alice.getByLabel('Status', { exact: true }).selectOption('pending'),
    ]);
    await alice.locator('#ticket-history').getByText('changed status from open to pending').waitFor();
    await htmxSettled(alice);
    expect(alice.url()).to.equal(pageUrl);
    expect(await alice.getByLabel('Status', { exact: true }).inputValue()).to.equal('pending');
    // …and the swapped-in form still works (its CSRF token and htmx wiring came with it).
    await Promise.all([
      alice.waitForResponse((res) => res.url().endsWith(`/tickets/${number}/priority`) && res.status() === 200),
      alice.getByLabel('Priority', { exact: true }).selectOption('high'),
    ]);
    await alice.locator('#ticket-history').getByText('changed priority from medium to high').waitFor();
    await htmxSettled(alice);

    // An internal note, then a public reply.
    await alice.getByLabel('Reply', { exact: true }).fill('Internal: the boiler firmware is known to hang; check with the vendor.');
    await alice.getByLabel(/Internal note/).check();
    await Promise.all([alice.waitForURL(/#message-\d+$/), alice.getByRole('button', { name: 'Send Reply' }).click()]);
    await alice.getByLabel('Reply', { exact: true }).fill('Hello Mario, please switch the controller off and on again; we are on our way.');
    await alice.getByLabel(/Public reply/).check();
    const noteUrl = alice.url();
    await Promise.all([alice.waitForURL((url) => url.href !== noteUrl), alice.getByRole('button', { name: 'Send Reply' }).click()]);
    const conversation = await alice.locator('.conversation').innerText();
    expect(conversation).to.contain('boiler firmware is known to hang').and.contain('please switch the controller off and on');

    // Mario reloads his ticket: the answer and the new status are there; the note is not.
    await mario.goto(`${ACME}/portal/tickets/${number}`);
    const seen = await mario.locator('main').innerText();
    expect(seen).to.contain('please switch the controller off and on again').and.contain('Alice Admin');
    expect(await mario.locator('.badge.pending').textContent()).to.equal('pending');
    expect(seen).to.not.contain('boiler firmware');
    expect(await mario.content()).to.not.contain('boiler firmware');

    // The public reply (only) is on its way to Mario.
    expect(await sql(`select to_address, subject from outbound_emails where kind = 'ticket_reply'`))
      .to.deep.equal([{ to_address: contactsData.mario.email, subject: `[#${number}] ${title}` }]);
    expect(problems).to.deep.equal([]);
  });
});
