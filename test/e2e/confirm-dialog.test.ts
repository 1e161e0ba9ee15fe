// End to end in Chromium (issue 14): a destructive action asks first, in a native <dialog>
// (public/confirm.js) — labelled by its question, the focus kept on its buttons, Cancel and
// Escape leaving everything as it was, a danger button that goes on — and without JavaScript
// the same link leads to the confirmation page, whose button deletes.
import { expect } from 'chai';
import { loadFixtures, people, sql } from '../support/index.js';
import { signInThroughForm as signIn, useChromium } from '../support/chromium.js';
import { PHONE, screenshot } from '../support/phone.js';

const ACME = 'http://acme.localhost:3000';

describe('End to end in Chromium: destructive actions confirm in a dialog', function () {
  this.timeout(90_000);
  const chromium = useChromium();

  it('alice deletes a quick reply through the dialog, after cancelling it once with Escape and once with Cancel, at 390 px', async () => {
    const fx = await loadFixtures();
    const [quick] = await sql<{ id: number; name: string }>("insert into quick_replies (tenant_id, name, body) values ($1, 'Spare reply', 'Hello') returning id, name", [fx.acme.id]);
    const alice = await chromium.person('alice');
    await alice.setViewportSize(PHONE);
    await signIn(alice, people.alice.email, '/login');
    await alice.goto(`${ACME}/admin/quick-replies`);
    const link = alice.locator(`a[href="/admin/quick-replies/${quick.id}/deletion"]`);
    const dialog = alice.getByRole('dialog', { name: 'Delete “Spare reply”?' });

    await link.click();
    await dialog.waitFor();
    expect(await dialog.innerText()).to.contain('The quick reply “Spare reply” will be deleted. This cannot be undone.');
    await screenshot(alice, 'dialog');
    const danger = dialog.getByRole('button', { name: 'Delete “Spare reply”' });
    expect(await danger.getAttribute('class')).to.equal('danger confirm');
    // The focus starts on Cancel and stays on the dialog's buttons.
    const focused = () => alice.evaluate(() => document.activeElement?.textContent ?? '');
    expect(await focused()).to.equal('Cancel');
    await alice.keyboard.press('Tab');
    expect(await focused()).to.equal('Delete “Spare reply”');
    await alice.keyboard.press('Tab');
    expect(await focused()).to.equal('Cancel');
    await alice.keyboard.press('Shift+Tab');
    expect(await focused()).to.equal('Delete “Spare reply”');
    await alice.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    expect(alice.url()).to.equal(`${ACME}/admin/quick-replies`);
    expect(await focused()).to.contain('Delete'); // back on the link that opened it

    await link.click();
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'hidden' });
    expect(await sql('select id from quick_replies where id = $1', [quick.id])).to.have.length(1);

    await link.click();
    await Promise.all([alice.waitForURL(`${ACME}/admin/quick-replies`, { waitUntil: 'load' }), danger.click()]);
    expect(await alice.getByRole('status').innerText()).to.equal('Quick reply "Spare reply" is deleted.');
    expect(await sql('select id from quick_replies where id = $1', [quick.id])).to.have.length(0);
    expect(await alice.locator(`a[href="/admin/quick-replies/${quick.id}/deletion"]`).count()).to.equal(0);
    expect(chromium.problems).to.deep.equal([]);
  });

  it('a deletion form (a rule) asks in the dialog before it posts', async () => {
    const fx = await loadFixtures();
    const [rule] = await sql<{ id: number; name: string }>('select id, name from ticket_rules where tenant_id = $1 order by position limit 1', [fx.acme.id]);
    const alice = await chromium.person('alice');
    await signIn(alice, people.alice.email, '/login');
    await alice.goto(`${ACME}/admin/rules/${rule.id}`);
    const dialog = alice.getByRole('dialog', { name: 'Delete this rule? Its runs are deleted with it.' });
    await alice.getByRole('button', { name: 'Delete this rule' }).click();
    await dialog.waitFor();
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'hidden' });
    expect(await sql('select id from ticket_rules where id = $1', [rule.id])).to.have.length(1);
    await alice.getByRole('button', { name: 'Delete this rule' }).click();
    await Promise.all([alice.waitForURL(`${ACME}/admin/rules`), dialog.getByRole('button', { name: 'Delete this rule' }).click()]);
    expect(await sql('select id from ticket_rules where id = $1', [rule.id])).to.have.length(0);
    expect(chromium.problems).to.deep.equal([]);
  });

  it('without JavaScript the same link opens the confirmation page, whose danger button deletes', async () => {
    const fx = await loadFixtures();
    const [quick] = await sql<{ id: number }>("insert into quick_replies (tenant_id, name, body) values ($1, 'Spare reply', 'Hello') returning id", [fx.acme.id]);
    const context = await chromium.browser.newContext({ javaScriptEnabled: false });
    try {
      const alice = await context.newPage();
      await signIn(alice, people.alice.email, '/login');
      await alice.goto(`${ACME}/admin/quick-replies`);
      await Promise.all([alice.waitForURL(`${ACME}/admin/quick-replies/${quick.id}/deletion`), alice.locator(`a[href="/admin/quick-replies/${quick.id}/deletion"]`).click()]);
      expect(await alice.getByRole('dialog').count()).to.equal(0);
      await Promise.all([alice.waitForURL(`${ACME}/admin/quick-replies`), alice.getByRole('button', { name: 'Delete “Spare reply”' }).click()]);
      expect(await sql('select id from quick_replies where id = $1', [quick.id])).to.have.length(0);
    } finally {
      await context.close();
    }
  });
});
