// End to end in headless Chromium (issue 15): a contact searches the knowledge base, opens an
// article, votes, and sees suggestions while typing a new ticket's title; the technician writes
// with a live preview. No console error, no CSP violation, no failed request.
import { expect } from 'chai';
import { contactsData, loadFixtures, people, sql } from '../support/index.js';
import { htmxSettled, signInThroughForm as signIn, useChromium } from '../support/chromium.js';

const ACME = 'http://acme.localhost:3000';

describe('End to end in Chromium: the knowledge base', function () {
  this.timeout(90_000);
  const chromium = useChromium();


  it('alice writes an article with a live preview; mario finds it, reads it, votes, and sees it suggested for a new ticket', async () => {
    await loadFixtures();
    const alice = await chromium.person('alice');
    await signIn(alice, people.alice.email, '/login');
    await alice.getByRole('navigation').getByRole('link', { name: 'Knowledge Base' }).click();
    await alice.getByRole('link', { name: 'Categories' }).click();
    await alice.getByLabel('Name').fill('Printing');
    await Promise.all([alice.waitForURL(/\/kb\/categories$/), alice.getByRole('button', { name: 'Add category' }).click()]);
    await alice.getByRole('cell', { name: 'Printing', exact: true }).waitFor();
    await alice.goto(`${ACME}/kb/articles/new`);
    await alice.getByLabel('Title').fill('The printer is offline');
    await alice.getByLabel('Category').selectOption({ label: 'Printing' });
    await alice.getByLabel('Status').selectOption('published');
    await alice.getByLabel('Article (Markdown)').fill('## Restart it\n\nTurn the **printer** off and on. <script>alert(1)</script>');
    await alice.locator('#kb-preview strong').waitFor();
    await htmxSettled(alice);
    expect(await alice.locator('#kb-preview').innerHTML()).to.contain('<strong>printer</strong>').and.not.contain('<script');
    await Promise.all([alice.waitForURL(/\/kb\/articles\/\d+$/), alice.getByRole('button', { name: 'Save' }).click()]);
    expect(await alice.locator('main').innerText()).to.contain('Article “The printer is offline” saved.');

    const mario = await chromium.person('mario');
    await signIn(mario, contactsData.mario.email, '/portal/login');
    await mario.getByRole('navigation').getByRole('link', { name: 'Knowledge base' }).click();
    await mario.getByLabel('Search the knowledge base').fill('printers offl');
    await Promise.all([mario.waitForURL(/\/portal\/kb\/search/), mario.getByRole('button', { name: 'Search' }).click()]);
    expect(await mario.locator('.kb-results mark').first().innerText()).to.equal('printer');
    await Promise.all([mario.waitForURL(/\/portal\/kb\/the-printer-is-offline$/), mario.locator('.kb-results a').first().click()]);
    expect(await mario.getByRole('navigation', { name: 'Breadcrumbs' }).innerText()).to.contain('Printing');
    await mario.getByRole('button', { name: 'Yes' }).click();
    await mario.getByRole('status').waitFor();
    expect(await mario.getByRole('button', { name: 'Yes' }).getAttribute('aria-pressed')).to.equal('true');
    await mario.getByRole('button', { name: 'No' }).click();
    await mario.locator('button[value=no][aria-pressed=true]').waitFor();
    expect(await sql('select helpful from kb_votes')).to.deep.equal([{ helpful: false }]);

    await mario.getByRole('navigation').getByRole('link', { name: 'New ticket' }).click();
    await mario.getByLabel('Title').pressSequentially('printer off', { delay: 30 });
    await mario.locator('#kb-suggestions a').first().waitFor();
    expect(await mario.locator('#kb-suggestions').innerText()).to.contain('These articles may answer your question').and.contain('The printer is offline');
    await Promise.all([mario.waitForURL(/from=ticket/), mario.locator('#kb-suggestions a').first().click()]);
    expect((await sql('select count(*)::int as n from kb_suggestion_opens'))[0]).to.deep.equal({ n: 1 });

    expect(chromium.problems).to.deep.equal([]);
  });

  it('alice orders the categories by dragging one to the top, and deletes one after moving its article', async () => {
    const f = await loadFixtures();
    for (const [i, name] of ['Printing', 'Network', 'Accounts'].entries()) {
      await sql('insert into kb_categories (tenant_id, name, position) values ($1, $2, $3)', [f.acme.id, name, i + 1]);
    }
    const [accounts] = await sql<{ id: number }>("select id from kb_categories where name = 'Accounts'");
    await sql(`insert into kb_articles (tenant_id, category_id, title, slug, status, language) values ($1, $2, 'Lost password', 'lost-password', 'published', 'en')`, [f.acme.id, accounts.id]);
    const alice = await chromium.person('alice');
    await signIn(alice, people.alice.email, '/login');
    await alice.goto(`${ACME}/kb/categories`);
    const rows = alice.locator('tbody[data-sortable] tr');
    await Promise.all([
      alice.waitForResponse((res) => res.url().endsWith(`/kb/categories/${accounts.id}/position`) && res.status() === 200),
      alice.locator(`#category-${accounts.id} .drag-handle`).dragTo(rows.first().locator('.drag-handle')),
    ]);
    await htmxSettled(alice);
    expect(await rows.first().getAttribute('id')).to.equal(`category-${accounts.id}`);
    expect((await sql<{ name: string }>('select name from kb_categories order by position')).map((r) => r.name)).to.deep.equal(['Accounts', 'Printing', 'Network']);
    // The arrows follow the new order (the first has no up arrow), and still move it in place.
    expect(await rows.first().getByRole('button', { name: 'Move “Accounts” up' }).count()).to.equal(0);
    await Promise.all([
      alice.waitForResponse((res) => res.url().endsWith(`/kb/categories/${accounts.id}/position`) && res.status() === 200),
      rows.first().getByRole('button', { name: 'Move “Accounts” down' }).click(),
    ]);
    await htmxSettled(alice);
    expect(await rows.nth(1).getAttribute('id')).to.equal(`category-${accounts.id}`);

    await alice.getByRole('link', { name: 'Accounts', exact: true }).click();
    await alice.getByRole('link', { name: 'Delete category' }).click();
    expect(await alice.locator('main').innerText()).to.contain('It has 1 article, which moves to the category you choose');
    await alice.getByLabel('Move its articles to').selectOption({ label: 'Network' });
    await Promise.all([alice.waitForURL(/\/kb\/categories$/), alice.getByRole('button', { name: 'Delete “Accounts”' }).click()]);
    expect(await alice.locator('main').innerText()).to.contain('Category “Accounts” deleted; its article moved to “Network”.');
    expect(await sql<{ name: string }>("select c.name from kb_articles a join kb_categories c on c.id = a.category_id")).to.deep.equal([{ name: 'Network' }]);
    expect(chromium.problems).to.deep.equal([]);
  });
});
