// Knowledge Base: ordering categories (arrows without scripts, the drag's place, htmx), deleting
// a category (its articles move to one the technician chooses, after a confirmation; refused
// when there is nowhere to move them), and deleting an image (refused while an article shows it).
import { expect } from 'chai';
import { browserFor, loadFixtures, signIn, sql, type Browser } from '../support/index.js';
import { addArticle, addCategory } from './support.js';

async function order(): Promise<string[]> {
  return (await sql<{ name: string }>('select name from kb_categories order by position, lower(name), id')).map((r) => r.name);
}

describe('Knowledge base categories and images', () => {
  let alice: Browser;
  beforeEach(async () => {
    await loadFixtures();
    alice = await signIn('alice');
  });

  describe('order', () => {
    let ids: Record<string, number>;
    beforeEach(async () => {
      ids = {};
      for (const [i, name] of ['Printing', 'Network', 'Email', 'Accounts'].entries()) ids[name] = await addCategory(alice, name, i + 1);
    });

    it('moves a category up and down without scripts, and to a place as the drag posts it', async () => {
      let res = await alice.post(`/kb/categories/${ids.Email}/position`, { direction: 'up' });
      expect(res.status).to.equal(303);
      expect((await alice.get('/kb/categories')).text).to.contain('Category “Email” is now number 2.');
      expect(await order()).to.deep.equal(['Printing', 'Email', 'Network', 'Accounts']);
      res = await alice.post(`/kb/categories/${ids.Printing}/position`, { direction: 'down' });
      expect(await order()).to.deep.equal(['Email', 'Printing', 'Network', 'Accounts']);
      await alice.post(`/kb/categories/${ids.Accounts}/position`, { position: '1' });
      expect(await order()).to.deep.equal(['Accounts', 'Email', 'Printing', 'Network']);
      await alice.post(`/kb/categories/${ids.Accounts}/position`, { direction: 'up' }); // already first: stays
      await alice.post(`/kb/categories/${ids.Network}/position`, { position: '99' }); // past the end: last
      expect(await order()).to.deep.equal(['Accounts', 'Email', 'Printing', 'Network']);
      const positions = await sql<{ position: number }>('select position from kb_categories order by position');
      expect(positions.map((p) => p.position)).to.deep.equal([1, 2, 3, 4]);
      // The portal lists them in that order.
      await addArticle(alice, { title: 'Printer jam', category: ids.Printing });
      await addArticle(alice, { title: 'Lost password', category: ids.Accounts });
      const home = (await browserFor('acme').get('/portal/kb')).text;
      expect(home.indexOf('Accounts')).to.be.greaterThan(0).and.lessThan(home.indexOf('Printing'));
    });

    it('answers an htmx move with the list in its new order, with the arrows the new places need', async () => {
      await alice.get('/kb/categories');
      const res = await alice.hx('post', `/kb/categories/${ids.Accounts}/position`, { position: '2' });
      expect(res.status).to.equal(200);
      expect(res.text.trimStart()).to.match(/^<div id="kb-categories-list">/).and.not.contain('<html');
      const names = [...res.text.matchAll(/<a href="\/kb\/categories\/\d+">([^<]+)<\/a>/g)].map((m) => m[1]);
      expect(names).to.deep.equal(['Printing', 'Accounts', 'Network', 'Email']);
      expect(res.text).not.to.contain(`aria-label="Move “Printing” up"`).and.not.to.contain(`aria-label="Move “Email” down"`);
      expect(res.text).to.contain(`aria-label="Move “Accounts” up"`).and.contain(`aria-label="Drag “Accounts” to another place"`);
    });
  });

  describe('deletion', () => {
    it('deletes a category without articles after a confirmation', async () => {
      const id = await addCategory(alice, 'Old stuff');
      const page = await alice.get(`/kb/categories/${id}/deletion`);
      expect(page.status).to.equal(200);
      expect(page.text).to.contain('Delete the category “Old stuff”?').and.contain('It has no articles.');
      const res = await alice.post(`/kb/categories/${id}/deletion`);
      expect(res.status).to.equal(303);
      expect(await sql('select 1 from kb_categories where id = $1', [id])).to.have.length(0);
      expect((await alice.get('/kb/categories')).text).to.contain('Category “Old stuff” deleted.');
      const [event] = await sql<{ action: string }>(`select action from audit_events where action = 'kb_category.deleted'`);
      expect(event.action).to.equal('kb_category.deleted');
    });

    it('moves its articles to the category chosen on the confirmation, and says so in their history', async () => {
      const printing = await addCategory(alice, 'Printing');
      const hardware = await addCategory(alice, 'Hardware');
      const a = await addArticle(alice, { title: 'Printer jam', category: printing });
      const b = await addArticle(alice, { title: 'Toner low', category: printing, status: 'draft' });
      const page = await alice.get(`/kb/categories/${printing}/deletion`);
      expect(page.text).to.contain('It has 2 articles, which move to the category you choose').and.contain('<option value="' + hardware + '">Hardware</option>');
      expect(page.text).not.to.contain(`<option value="${printing}">`);

      // Without a choice: refused, with the page again, and nothing changed.
      const refused = await alice.post(`/kb/categories/${printing}/deletion`, { moveTo: '' });
      expect(refused.status).to.equal(422);
      expect(refused.text).to.contain('Choose the category its articles move to.');
      expect(await sql('select 1 from kb_categories where id = $1', [printing])).to.have.length(1);

      const res = await alice.post(`/kb/categories/${printing}/deletion`, { moveTo: String(hardware) });
      expect(res.status).to.equal(303);
      expect(await sql('select 1 from kb_categories where id = $1', [printing])).to.have.length(0);
      const moved = await sql<{ id: number; category_id: number }>('select id, category_id from kb_articles order by id');
      expect(moved).to.deep.equal([{ id: a.id, category_id: hardware }, { id: b.id, category_id: hardware }]);
      expect((await alice.get('/kb/categories')).text).to.contain('Category “Printing” deleted; its 2 articles moved to “Hardware”.');
      const history = (await alice.get(`/kb/articles/${a.id}`)).text;
      expect(history).to.match(/changed: Category/);
    });

    it('refuses while there is no other category for its articles, and another workspace’s category is no choice', async () => {
      const printing = await addCategory(alice, 'Printing');
      await addArticle(alice, { title: 'Printer jam', category: printing });
      const page = await alice.get(`/kb/categories/${printing}/deletion`);
      expect(page.text).to.contain('there is no other category to move it to: add another category first.');
      expect(page.text).not.to.contain(`action="/kb/categories/${printing}/deletion"`);
      const gina = await signIn('gina');
      const globex = await addCategory(gina, 'Globex printing');
      const res = await alice.post(`/kb/categories/${printing}/deletion`, { moveTo: String(globex) });
      expect(res.status).to.equal(422);
      expect(await sql<{ category_id: number }>('select category_id from kb_articles')).to.deep.equal([{ category_id: printing }]);
      expect(await sql('select 1 from kb_categories where id = $1', [printing])).to.have.length(1);
    });
  });

  describe('image deletion', () => {
    const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(20)]);

    async function upload(articleId: number): Promise<number> {
      await alice.get(`/kb/articles/${articleId}`);
      const up = await alice.agent.post(`/kb/articles/${articleId}/images`).set('Host', alice.host).field('_csrf', alice.csrfToken).attach('image', png, { filename: 'router.png', contentType: 'image/png' });
      expect(up.status, up.text).to.equal(303);
      const [image] = await sql<{ id: number }>('select id from kb_images order by id desc limit 1');
      return image.id;
    }

    it('is refused while an article shows the image, then deletes it once none does', async () => {
      const category = await addCategory(alice, 'Network');
      const article = await addArticle(alice, { title: 'Router setup', category });
      const image = await upload(article.id);
      const other = await addArticle(alice, { title: 'Office wiring', category, body: `See ![router](/portal/kb/images/${image}) for the ports.` });
      await addArticle(alice, { title: 'Unrelated', category, body: `![other](/portal/kb/images/${image}0)` }); // another image's id that starts alike

      const edit = await alice.get(`/kb/articles/${article.id}`);
      expect(edit.text).to.contain(`href="/kb/images/${image}/deletion"`);
      const page = await alice.get(`/kb/images/${image}/deletion`);
      expect(page.status).to.equal(200);
      expect(page.text).to.contain('This article still shows the image, so it cannot be deleted:').and.contain(`<a href="/kb/articles/${other.id}">Office wiring</a>`);
      expect(page.text).not.to.contain('Unrelated');
      const refused = await alice.post(`/kb/images/${image}/deletion`);
      expect(refused.status).to.equal(422);
      expect(await sql('select 1 from kb_images where id = $1', [image])).to.have.length(1);

      await alice.post(`/kb/articles/${other.id}`, { title: 'Office wiring', slug: other.slug, body: 'The ports are labelled.', category: String(category), status: 'published', visibility: 'everyone', language: 'en' });
      const confirm = await alice.get(`/kb/images/${image}/deletion`);
      expect(confirm.text).to.contain('No article shows “router.png” any more.');
      const res = await alice.post(`/kb/images/${image}/deletion`);
      expect(res.status).to.equal(303);
      expect(res.headers.location).to.equal(`/kb/articles/${article.id}#images`);
      expect(await sql('select 1 from kb_images where id = $1', [image])).to.have.length(0);
      const after = (await alice.get(`/kb/articles/${article.id}`)).text;
      expect(after).to.contain('Image “router.png” deleted.').and.contain('deleted an image');
      expect((await browserFor('acme').get(`/portal/kb/images/${image}`)).status).to.equal(404);
    });
  });
});
