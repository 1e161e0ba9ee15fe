// Writing knowledge-base articles as a technician does, for the tests.
import { expect } from 'chai';
import { sql, type Browser } from '../support/index.js';

export async function addCategory(alice: Browser, name: string, position = 0): Promise<number> {
  const res = await alice.post('/kb/categories', { name, description: `About ${name}`, position: String(position) });
  expect(res.status, res.text).to.equal(303);
  const [row] = await sql<{ id: number }>('select id from kb_categories where name = $1', [name]);
  return row.id;
}

export interface NewArticle { title: string; body?: string; category: number; status?: string; visibility?: string; language?: string; slug?: string; customers?: number[] }

export async function addArticle(alice: Browser, a: NewArticle): Promise<{ id: number; slug: string }> {
  const res = await alice.post('/kb/articles', {
    title: a.title, body: a.body ?? '', category: String(a.category), status: a.status ?? 'published', visibility: a.visibility ?? 'everyone',
    language: a.language ?? 'en', slug: a.slug ?? '', customers: (a.customers ?? []).map(String),
  });
  expect(res.status, res.text).to.equal(303);
  const id = Number(res.headers.location.split('/').pop());
  const [row] = await sql<{ slug: string }>('select slug from kb_articles where id = $1', [id]);
  return { id, slug: row.slug };
}
