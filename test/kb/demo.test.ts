import { expect } from 'chai';
import { seedDemo } from '../../src/demo/seed.js';
import { browserFor, sql } from '../support/index.js';

describe('The demo’s knowledge base', function () {
  this.timeout(60_000);

  it('has three categories and articles in Italian and English: for everyone, for one customer, a draft', async () => {
    await seedDemo();
    const articles = await sql<{ language: string; status: string; visibility: string }>('select language, status, visibility from kb_articles');
    expect((await sql('select id from kb_categories')).length).to.equal(3);
    expect(articles.length).to.be.within(10, 12);
    expect(new Set(articles.map((a) => a.language))).to.deep.equal(new Set(['it', 'en']));
    expect(articles.filter((a) => a.status === 'draft').length).to.equal(1);
    expect(articles.filter((a) => a.visibility === 'customers').length).to.equal(1);
    expect(await sql(`select c.name from kb_article_customers ac join customers c on c.id = ac.customer_id`)).to.deep.equal([{ name: 'Rossi Impianti' }]);
    // An anonymous visitor finds "perché" typed without its accent, and nothing for one customer.
    const visitor = browserFor('demo');
    const found = await visitor.get('/portal/kb/search?q=perche+vpn');
    expect(found.text).to.contain('/portal/kb/collegarsi-alla-vpn-dell-ufficio');
    expect((await visitor.get('/portal/kb/search?q=gateway')).text).not.to.contain('Rossi');
    expect((await seedDemo()).created).to.deep.equal([]);
  });
});
