import { expect } from 'chai';
import { browserFor, loadFixtures, signIn, signInToPortal, sql, type Browser, type Fixtures } from '../support/index.js';
import { addArticle, addCategory } from './support.js';

describe('Knowledge base visibility', () => {
  let fx: Fixtures;
  let alice: Browser;
  let slugs: Record<string, string>;

  beforeEach(async () => {
    fx = await loadFixtures();
    alice = await signIn('alice');
    const vpn = await addCategory(alice, 'VPN');
    const rossi = fx.customers['Rossi Impianti'].id;
    slugs = {
      everyone: (await addArticle(alice, { title: 'Connect to the office VPN', body: 'Open the VPN client.', category: vpn })).slug,
      contacts: (await addArticle(alice, { title: 'VPN for contacts only', body: 'The contacts VPN secret.', category: vpn, visibility: 'contacts' })).slug,
      rossi: (await addArticle(alice, { title: 'Rossi VPN gateway', body: 'The Rossi VPN gateway address.', category: vpn, visibility: 'customers', customers: [rossi] })).slug,
      draft: (await addArticle(alice, { title: 'Draft VPN notes', body: 'Unfinished VPN notes.', category: vpn, status: 'draft' })).slug,
    };
    // Another workspace's article with a slug acme does not use.
    const globex = await signIn('gina');
    const cat = await addCategory(globex, 'Globex stuff');
    slugs.globex = (await addArticle(globex, { title: 'Globex VPN secret', body: 'Globex VPN.', category: cat })).slug;
  });

  const TITLES = { everyone: 'Connect to the office VPN', contacts: 'VPN for contacts only', rossi: 'Rossi VPN gateway', draft: 'Draft VPN notes', globex: 'Globex VPN secret' };

  async function readable(browser: Browser): Promise<string[]> {
    const out: string[] = [];
    for (const [name, slug] of Object.entries(slugs)) {
      const res = await browser.get(`/portal/kb/${slug}`);
      if (res.status === 200) out.push(name);
      else {
        expect(res.status).to.equal(404);
        expect(res.text).not.to.contain(TITLES[name as keyof typeof TITLES]);
      }
    }
    return out.sort();
  }

  async function found(browser: Browser, suggestions: boolean): Promise<string[]> {
    const home = await browser.get('/portal/kb');
    const search = await browser.get('/portal/kb/search?q=vpn');
    const suggested = suggestions ? await browser.hx('get', '/portal/kb/suggestions?title=vpn') : undefined;
    // Highlights split a title into tags: compare the text.
    const text = (html: string) => html.replace(/<[^>]+>/g, '');
    const names = Object.entries(TITLES).filter(([, title]) => text(search.text).includes(title)).map(([n]) => n).sort();
    // The home page, the search and the suggestions show the same articles, and no other title.
    for (const [name, title] of Object.entries(TITLES)) {
      expect(text(home.text).includes(title), `home and ${name}`).to.equal(names.includes(name));
      if (suggested) expect(text(suggested.text).includes(title), `suggestions and ${name}`).to.equal(names.includes(name));
    }
    return names;
  }

  it('an anonymous visitor reads only the articles for everyone, without signing in', async () => {
    const visitor = browserFor('acme');
    expect(await readable(visitor)).to.deep.equal(['everyone']);
    expect(await found(visitor, false)).to.deep.equal(['everyone']);
    // The suggestions belong to the new-ticket form: signed-in contacts only.
    expect((await visitor.get('/portal/kb/suggestions?title=vpn')).status).to.equal(303);
  });

  it('a contact of the selected customer, and its main contact, read everything published for them', async () => {
    for (const who of ['luigi', 'mario'] as const) {
      const contact = await signInToPortal(who);
      expect(await readable(contact), who).to.deep.equal(['contacts', 'everyone', 'rossi']);
      expect(await found(contact, true), who).to.deep.equal(['contacts', 'everyone', 'rossi']);
    }
  });

  it('a contact of another customer does not see the selected customers’ article, anywhere', async () => {
    const peach = await signInToPortal('peach');
    expect(await readable(peach)).to.deep.equal(['contacts', 'everyone']);
    expect(await found(peach, true)).to.deep.equal(['contacts', 'everyone']);
  });

  it('a technician sees every article of their workspace in the list, drafts included, and none of another’s', async () => {
    const list = await alice.get('/kb');
    for (const name of ['everyone', 'contacts', 'rossi', 'draft'] as const) expect(list.text).to.contain(TITLES[name]);
    expect(list.text).not.to.contain(TITLES.globex);
    const [globexArticle] = await sql<{ id: number }>("select id from kb_articles where title = 'Globex VPN secret'");
    expect((await alice.get(`/kb/articles/${globexArticle.id}`)).status).to.equal(404);
    // The reply box's article search offers published articles only.
    const links = await alice.hx('get', '/kb/links?q=vpn');
    expect(links.text).to.contain(TITLES.everyone).and.contain(TITLES.rossi).and.not.contain(TITLES.draft).and.not.contain(TITLES.globex);
  });

  it('an image answers with its article’s visibility', async () => {
    const [article] = await sql<{ id: number }>("select id from kb_articles where title = 'Rossi VPN gateway'");
    const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(20)]);
    await alice.get(`/kb/articles/${article.id}`);
    const up = await alice.agent.post(`/kb/articles/${article.id}/images`).set('Host', alice.host).field('_csrf', alice.csrfToken).attach('image', png, { filename: 'gateway.png', contentType: 'image/png' });
    expect(up.status, up.text).to.equal(303);
    const [image] = await sql<{ id: number; content_type: string }>('select id, content_type from kb_images');
    expect(image.content_type).to.equal('image/png');
    expect((await browserFor('acme').get(`/portal/kb/images/${image.id}`)).status).to.equal(404);
    expect((await (await signInToPortal('peach')).get(`/portal/kb/images/${image.id}`)).status).to.equal(404);
    const luigi = await (await signInToPortal('luigi')).get(`/portal/kb/images/${image.id}`);
    expect(luigi.status).to.equal(200);
    expect(luigi.headers['content-type']).to.equal('image/png');
    expect(luigi.headers['x-content-type-options']).to.equal('nosniff');
    // The technician's preview shows it whatever the article's visibility, drafts included.
    await sql("update kb_articles set status = 'draft' where id = $1", [article.id]);
    expect((await alice.get(`/portal/kb/images/${image.id}`)).status).to.equal(200);
    expect((await (await signInToPortal('luigi')).get(`/portal/kb/images/${image.id}`)).status).to.equal(404);
    await sql("update kb_articles set status = 'published' where id = $1", [article.id]);
    // An SVG (or anything that is not a known image by its bytes) is refused whatever it claims to be.
    const svg = await alice.agent.post(`/kb/articles/${article.id}/images`).set('Host', alice.host).field('_csrf', alice.csrfToken)
      .attach('image', Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'), { filename: 'x.png', contentType: 'image/png' });
    expect(svg.status).to.equal(422);
    expect(svg.text).to.contain('Only PNG, JPEG, GIF and WebP images can be added.');
  });
});
