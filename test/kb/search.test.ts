import { expect } from 'chai';
import { browserFor, loadFixtures, signIn, signInToPortal, sql, type Browser } from '../support/index.js';
import { queryText } from '../../src/domain/kb/reading.js';
import { addArticle, addCategory } from './support.js';

/** The slugs of a search's results, best first. */
async function results(browser: Browser, q: string): Promise<string[]> {
  const res = await browser.get(`/portal/kb/search?q=${encodeURIComponent(q)}`);
  expect(res.status).to.equal(200);
  return [...res.text.matchAll(/<h2><a href="\/portal\/kb\/([a-z0-9-]+)">/g)].map((m) => m[1]);
}

describe('Knowledge base search', () => {
  let alice: Browser;
  let category: number;
  beforeEach(async () => {
    await loadFixtures();
    alice = await signIn('alice');
    category = await addCategory(alice, 'Printing');
  });

  it('ranks a title match above a body match', async () => {
    // Weighed alike, the body's repeated words would win (and a tie goes to the newer article).
    await addArticle(alice, { title: 'The printer is offline', body: 'Check the cable.', category, slug: 'title-match' });
    await addArticle(alice, { title: 'Office network basics', body: 'When the printer is offline, restart the printer: an offline printer needs a restart.', category, slug: 'body-match' });
    expect(await results(browserFor('acme'), 'printer offline')).to.deep.equal(['title-match', 'body-match']);
  });

  it('stems Italian and English words, each article in its own language', async () => {
    await addArticle(alice, { title: 'Configurare la stampante', body: 'Le stampanti di rete si configurano dal pannello.', category, language: 'it', slug: 'stampante' });
    await addArticle(alice, { title: 'Printing from a laptop', body: 'Printers on the network print from any laptop.', category, language: 'en', slug: 'printing' });
    const visitor = browserFor('acme');
    expect(await results(visitor, 'stampanti')).to.deep.equal(['stampante']);
    expect(await results(visitor, 'configurano')).to.deep.equal(['stampante']);
    expect(await results(visitor, 'printers')).to.deep.equal(['printing']);
    expect(await results(visitor, 'printed')).to.deep.equal(['printing']);
  });

  it('finds accented words typed without accents, and the other way round', async () => {
    await addArticle(alice, { title: 'Perché la VPN si disconnette', body: 'Succede in città quando la linea è lenta.', category, language: 'it', slug: 'perche' });
    const visitor = browserFor('acme');
    expect(await results(visitor, 'perche')).to.deep.equal(['perche']);
    expect(await results(visitor, 'citta')).to.deep.equal(['perche']);
    expect(await results(visitor, 'perché disconnètte')).to.deep.equal(['perche']);
  });

  it('matches the last word as a prefix, highlights the matches, and pages the results', async () => {
    await addArticle(alice, { title: 'Resetting a password', body: 'Open <b>the</b> reset page & follow the mail.', category, slug: 'reset' });
    const visitor = browserFor('acme');
    const res = await visitor.get('/portal/kb/search?q=passw');
    expect(res.text).to.contain('Resetting a <mark>password</mark>');
    // The body's text is escaped before the highlights become <mark>.
    const body = await visitor.get('/portal/kb/search?q=reset+page');
    expect(body.text).to.contain('Open the <mark>reset</mark> <mark>page</mark> &amp; follow');
    // Nothing a visitor types is tsquery syntax.
    for (const q of ["a:* | !b", "') or 1=1 --", '&&&', '<script>']) expect((await visitor.get(`/portal/kb/search?q=${encodeURIComponent(q)}`)).status).to.equal(200);
    expect(queryText("pass:* | !b & c")).to.equal('pass & b & c:*');
    expect(queryText('   ')).to.equal(undefined);

    for (let i = 0; i < 22; i++) await sql(`insert into kb_articles (tenant_id, category_id, title, slug, body_text, status, language) select tenant_id, id, 'Password tip ' || $1, 'tip-' || $1, 'password', 'published', 'en' from kb_categories`, [i]);
    const first = await visitor.get('/portal/kb/search?q=password');
    expect(first.text).to.contain('23 articles match “password”.').and.contain('Page 1 of 2');
    expect((await results(visitor, 'password')).length).to.equal(20);
    const second = await visitor.get('/portal/kb/search?q=password&page=2');
    expect([...second.text.matchAll(/<li class="card">/g)].length).to.equal(3);
  });

  it('suggests up to five articles under a new ticket’s title', async () => {
    for (let i = 1; i <= 7; i++) await addArticle(alice, { title: `VPN problem number ${i}`, body: 'vpn', category });
    const mario = await signInToPortal('mario');
    const form = await mario.get('/portal/tickets/new');
    expect(form.text).to.contain('hx-get="/portal/kb/suggestions"');
    const res = await mario.hx('get', '/portal/kb/suggestions?title=vpn+probl');
    expect(res.text).to.contain('These articles may answer your question');
    expect([...res.text.matchAll(/\?from=ticket/g)].length).to.equal(5);
    const none = await mario.hx('get', '/portal/kb/suggestions?title=zzzz');
    expect(none.text.trim()).to.equal('');
  });

  it('counts a deflection when a contact opens a suggestion and opens no ticket after it', async () => {
    const vpn = await addArticle(alice, { title: 'VPN drops', body: 'Restart.', category });
    const mario = await signInToPortal('mario');
    await mario.get(`/portal/kb/${vpn.slug}?from=ticket`);
    await mario.get(`/portal/kb/${vpn.slug}?from=ticket`);
    await mario.get(`/portal/kb/${vpn.slug}`);
    const opens = await sql<{ id: number }>('select id from kb_suggestion_opens order by id');
    expect(opens.length).to.equal(2);
    // The first opening is two hours old and no ticket followed; after the second, mario opened a ticket.
    await sql("update kb_suggestion_opens set opened_at = now() - interval '2 hours' where id = $1", [opens[0].id]);
    await sql("update kb_suggestion_opens set opened_at = now() - interval '3 hours' where id = $1", [opens[1].id]);
    await mario.get('/portal/tickets/new');
    expect((await mario.post('/portal/tickets', { title: 'VPN still drops', description: 'Help' })).status).to.equal(303);
    await sql("update tickets set created_at = now() - interval '170 minutes'");
    const page = await alice.get(`/kb/articles/${vpn.id}`);
    expect(page.text).to.match(/<dt>Deflections<\/dt><dd>1<\/dd>/);
    expect(page.text).to.match(/<dt>Views<\/dt><dd>3<\/dd>/);
  });
});
