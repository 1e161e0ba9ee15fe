// The knowledge-base search without a catalogue change (migration 0031): the match runs in
// sportello_kb_search, which keeps to the transaction's workspace and answers ids and ranks;
// pg_catalog.ts_match_vq stays as PostgreSQL ships it (not leakproof).
import { expect } from 'chai';
import { h, loadFixtures, signIn, sql } from '../support/index.js';
import { addArticle, addCategory } from './support.js';

describe('Knowledge-base search function', () => {
  it('alters no catalogue function', async () => {
    const [row] = await sql<{ leakproof: boolean }>(`select proleakproof as leakproof from pg_proc where oid = 'pg_catalog.ts_match_vq(tsvector, tsquery)'::regprocedure`);
    expect(row.leakproof).to.equal(false);
  });

  it("answers the matches of the transaction's workspace only, and none without one", async () => {
    const f = await loadFixtures();
    const alice = await signIn('alice');
    const mine = await addArticle(alice, { title: 'Printer jam', category: await addCategory(alice, 'Printing') });
    const gina = await signIn('gina');
    await addArticle(gina, { title: 'Printer jam at Globex', category: await addCategory(gina, 'Globex printing') });
    const client = await h().runtimePool.connect();
    try {
      const found = async (tenant: string) => {
        await client.query(`begin; select set_config('app.tenant_id', '${tenant}', true)`);
        const { rows } = await client.query<{ id: number; rank: number }>(`select id, rank from sportello_kb_search('printer & jam')`);
        await client.query('rollback');
        return rows;
      };
      const acme = await found(String(f.acme.id));
      expect(acme.map((r) => r.id)).to.deep.equal([mine.id]);
      expect(acme[0].rank).to.be.greaterThan(0);
      expect(await found('')).to.deep.equal([]);
    } finally {
      client.release();
    }
  });

  it("reads the search's GIN index, led by the workspace", async () => {
    const f = await loadFixtures();
    const [category] = await sql<{ id: number }>(`insert into kb_categories (tenant_id, name) values ($1, 'Many') returning id`, [f.acme.id]);
    await sql(`insert into kb_articles (tenant_id, category_id, title, slug, body_text, status, language)
      select $1, $2, 'Article ' || n, 'article-' || n, 'Words about topic ' || n, 'published', 'en' from generate_series(1, 500) n`, [f.acme.id, category.id]);
    await sql('vacuum analyze kb_articles'); // the index's pending list merged, as autovacuum does
    // The function's own statement, as its owner (the migration's user) runs it.
    const client = await h().owner.connect();
    try {
      await client.query(`begin; select set_config('app.tenant_id', '${f.acme.id}', true); set local enable_seqscan = off`);
      const { rows: [{ prosrc }] } = await client.query<{ prosrc: string }>(`select prosrc from pg_proc where proname = 'sportello_kb_search'`);
      const { rows } = await client.query(`explain ${prosrc.replace(/\bquery\b/g, `'topic & 42'`)}`);
      const plan = rows.map((r: Record<string, string>) => r['QUERY PLAN']).join('\n');
      expect(plan).to.contain('Bitmap Index Scan on kb_articles_search');
      expect(plan).to.match(/Index Cond: \(\(tenant_id = /);
      await client.query('rollback');
    } finally {
      client.release();
    }
  });
});
