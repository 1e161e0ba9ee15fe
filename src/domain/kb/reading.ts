// The knowledge base as the portal reads it. Who may see an article is decided in every query
// (VISIBLE below), never after: a draft, an article of another workspace, or one the reader
// may not see is simply not found — search, suggestions, redirects and images included.
import type { Sql } from '../../db/sql.js';
import { escapeHtml } from '../../lib/html.js';
import type { TocEntry } from './render.js';

/** Who reads: nobody signed in, or a contact of a customer. */
export interface Audience { signedIn: boolean; customerId: number | null }
export const ANONYMOUS: Audience = { signedIn: false, customerId: null };

/** The visibility condition on `a` for the audience in parameters $2 (signed in) and $3 (their customer). */
const VISIBLE = `a.status = 'published' and (a.visibility = 'everyone'
  or ($2::boolean and a.visibility = 'contacts')
  or ($2::boolean and a.visibility = 'customers' and exists (select 1 from kb_article_customers ac
       where ac.tenant_id = a.tenant_id and ac.article_id = a.id and ac.customer_id = $3::int)))`;

const audienceParams = (sql: Sql, who: Audience) => [sql.tenantId, who.signedIn, who.signedIn ? who.customerId : null];

export const SEARCH_PAGE_SIZE = 20;
export const SUGGESTIONS = 5;
const PER_CATEGORY = 10;

export interface HomeCategory { id: number; name: string; description: string; articles: Array<{ title: string; slug: string }>; more: boolean }

/** The categories with the published articles the reader may see (the first few of each, by title). */
export async function readableCategories(sql: Sql, who: Audience): Promise<HomeCategory[]> {
  const rows = await sql.query<{ id: number; name: string; description: string; title: string; slug: string }>(
    `select c.id, c.name, c.description, x.title, x.slug from kb_categories c
     join lateral (select a.title, a.slug from kb_articles a
                   where a.tenant_id = $1 and a.category_id = c.id and ${VISIBLE}
                   order by lower(a.title), a.id limit ${PER_CATEGORY + 1}) x on true
     where c.tenant_id = $1 order by c.position, lower(c.name), c.id`, audienceParams(sql, who));
  const out: HomeCategory[] = [];
  for (const r of rows) {
    let category = out.at(-1);
    if (!category || category.id !== r.id) out.push(category = { id: r.id, name: r.name, description: r.description, articles: [], more: false });
    if (category.articles.length < PER_CATEGORY) category.articles.push({ title: r.title, slug: r.slug });
    else category.more = true;
  }
  return out;
}

/** One category with a page of the articles the reader may see, or undefined when it has none for them. */
export async function readableCategory(sql: Sql, who: Audience, id: number, page: number) {
  const rows = await sql.query<{ name: string; description: string; title: string; slug: string; total: number }>(
    `select c.name, c.description, a.title, a.slug, count(*) over ()::int as total from kb_categories c
     join kb_articles a on a.tenant_id = c.tenant_id and a.category_id = c.id and ${VISIBLE}
     where c.tenant_id = $1 and c.id = $4 order by lower(a.title), a.id limit $5 offset $6`,
    [...audienceParams(sql, who), id, SEARCH_PAGE_SIZE, (page - 1) * SEARCH_PAGE_SIZE]);
  if (!rows.length) return undefined;
  return { id, name: rows[0].name, description: rows[0].description, total: rows[0].total, articles: rows.map((r) => ({ title: r.title, slug: r.slug })) };
}

export interface ReadableArticle {
  id: number; title: string; slug: string; bodyHtml: string; toc: TocEntry[]; language: string; updatedAt: Date;
  category: { id: number; name: string };
}

/** The article at `slug` if the reader may see it; else, if `slug` is an old slug of one they may see, its current slug. */
export async function readableArticle(sql: Sql, who: Audience, slug: string): Promise<{ article?: ReadableArticle; movedTo?: string }> {
  const row = await sql.one<{ id: number; title: string; slug: string; body_html: string; toc: TocEntry[]; language: string; updated_at: Date; category_id: number; category: string }>(
    `select a.id, a.title, a.slug, a.body_html, a.toc, a.language, a.updated_at, c.id as category_id, c.name as category
     from kb_articles a join kb_categories c on c.tenant_id = a.tenant_id and c.id = a.category_id
     where a.tenant_id = $1 and a.slug = $4 and ${VISIBLE}`, [...audienceParams(sql, who), slug]);
  if (row) {
    return { article: { id: row.id, title: row.title, slug: row.slug, bodyHtml: row.body_html, toc: row.toc, language: row.language, updatedAt: row.updated_at, category: { id: row.category_id, name: row.category } } };
  }
  const moved = await sql.one<{ slug: string }>(
    `select a.slug from kb_article_slugs s join kb_articles a on a.tenant_id = s.tenant_id and a.id = s.article_id
     where s.tenant_id = $1 and s.slug = $4 and ${VISIBLE}`, [...audienceParams(sql, who), slug]);
  return { movedTo: moved?.slug };
}

/** Other articles of the same category the reader may see. */
export async function relatedArticles(sql: Sql, who: Audience, article: ReadableArticle): Promise<Array<{ title: string; slug: string }>> {
  return sql.query(
    `select a.title, a.slug from kb_articles a where a.tenant_id = $1 and a.category_id = $4 and a.id <> $5 and ${VISIBLE}
     order by a.views desc, lower(a.title), a.id limit 5`, [...audienceParams(sql, who), article.category.id, article.id]);
}

/**
 * What a search box's text means to PostgreSQL: its words (letters and digits only, so the
 * text can never be tsquery syntax), all required, the last one as a prefix (it may be half
 * typed). Undefined when there is no word.
 */
export function queryText(q: string): string | undefined {
  const words = (q.normalize('NFC').toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []).slice(0, 8).map((w) => w.slice(0, 60));
  if (!words.length) return undefined;
  return words.map((w, i) => (i === words.length - 1 ? `${w}:*` : w)).join(' & ');
}

// Each article is matched and ranked with its own language's configuration by sportello_kb_search
// (migration 0031: the match runs there so that the GIN index serves it under row-level security);
// ts_rank weighs title (A) above body (B). Who may read each match is decided here, under RLS.
const CONFIG = `(case a.language when 'it' then 'kb_italian'::regconfig else 'kb_english'::regconfig end)`;
const OWN_QUERY = `(case a.language when 'it' then to_tsquery('kb_italian', $4) else to_tsquery('kb_english', $4) end)`;
// Private-use characters mark the matches, so the text can be escaped before they become <mark>.
const START = '\ue000';
const STOP = '\ue001';

/** Plain text with the highlight markers as HTML: everything escaped, the matches in <mark>. */
function highlighted(text: string): string {
  return escapeHtml(text).replaceAll(START, '<mark>').replaceAll(STOP, '</mark>');
}

export interface SearchHit { slug: string; category: string; titleHtml: string; snippetHtml: string }

/** A page of the articles the reader may see that match `q`, best first, with their matches highlighted. */
export async function searchArticles(sql: Sql, who: Audience, q: string, page: number, size = SEARCH_PAGE_SIZE): Promise<{ hits: SearchHit[]; total: number }> {
  const query = queryText(q);
  if (!query) return { hits: [], total: 0 };
  const rows = await sql.query<{ total: number; slug: string | null; category: string; title_hl: string; snippet: string }>(
    `with hits as (
       select a.id, a.title, a.slug, a.body_text, a.language, a.category_id, s.rank
       from sportello_kb_search($4) s join kb_articles a on a.tenant_id = $1 and a.id = s.id
       where ${VISIBLE}),
     total as (select count(*)::int as n from hits),
     page as (select * from hits order by rank desc, id desc limit $5 offset $6)
     select total.n as total, a.slug, c.name as category,
       ts_headline(${CONFIG}, a.title, ${OWN_QUERY}, 'HighlightAll=true, StartSel=${START}, StopSel=${STOP}') as title_hl,
       ts_headline(${CONFIG}, a.body_text, ${OWN_QUERY}, 'MaxFragments=2, MaxWords=28, MinWords=12, FragmentDelimiter=" … ", StartSel=${START}, StopSel=${STOP}') as snippet
     from total left join page a on true left join kb_categories c on c.tenant_id = $1 and c.id = a.category_id
     order by a.rank desc, a.id desc`,
    [...audienceParams(sql, who), query, size, (page - 1) * size]);
  const hits = rows.filter((r) => r.slug !== null).map((r) => ({ slug: r.slug!, category: r.category, titleHtml: highlighted(r.title_hl), snippetHtml: highlighted(r.snippet) }));
  return { hits, total: Number(rows[0]?.total ?? 0) };
}

/** Up to SUGGESTIONS articles for a new ticket's title (the same search, its first page). */
export async function suggestArticles(sql: Sql, who: Audience, title: string): Promise<SearchHit[]> {
  return (await searchArticles(sql, who, title, 1, SUGGESTIONS)).hits;
}

/** One view more (the article page was opened). */
export async function countView(sql: Sql, articleId: number): Promise<void> {
  await sql.query('update kb_articles set views = views + 1 where tenant_id = $1 and id = $2', [sql.tenantId, articleId]);
}

/** A contact opened the article from the new-ticket suggestions: a deflection unless they open a ticket soon after. */
export async function noteSuggestionOpened(sql: Sql, articleId: number, contactId: number): Promise<void> {
  await sql.query('insert into kb_suggestion_opens (tenant_id, article_id, contact_id) values ($1, $2, $3)', [sql.tenantId, articleId, contactId]);
}

/** The reader's vote (`contact:<id>` or `browser:<random>`), changed if they voted before. */
export async function vote(sql: Sql, articleId: number, voter: string, helpful: boolean): Promise<void> {
  await sql.query(
    `insert into kb_votes (tenant_id, article_id, voter, helpful) values ($1, $2, $3, $4)
     on conflict (tenant_id, article_id, voter) do update set helpful = excluded.helpful, updated_at = now()`,
    [sql.tenantId, articleId, voter, helpful]);
}

export async function voteOf(sql: Sql, articleId: number, voter: string | undefined): Promise<boolean | undefined> {
  if (!voter) return undefined;
  return (await sql.one<{ helpful: boolean }>('select helpful from kb_votes where tenant_id = $1 and article_id = $2 and voter = $3', [sql.tenantId, articleId, voter]))?.helpful;
}

export interface ImageFile { fileName: string; contentType: string; data: Buffer }

/** Whether this technician of the workspace is active (a deactivated one's session reads nothing). */
export async function isActiveTechnician(sql: Sql, id: number): Promise<boolean> {
  return Boolean(await sql.one('select 1 from technicians where tenant_id = $1 and id = $2 and active', [sql.tenantId, id]));
}

/** An article image, if the reader may see its article (`technician`: any image of the workspace, drafts included). */
export async function readableImage(sql: Sql, who: Audience | 'technician', id: number): Promise<ImageFile | undefined> {
  const row = who === 'technician'
    ? await sql.one<{ file_name: string; content_type: string; data: Buffer }>('select file_name, content_type, data from kb_images where tenant_id = $1 and id = $2', [sql.tenantId, id])
    : await sql.one<{ file_name: string; content_type: string; data: Buffer }>(
      `select i.file_name, i.content_type, i.data from kb_images i join kb_articles a on a.tenant_id = i.tenant_id and a.id = i.article_id
       where i.tenant_id = $1 and i.id = $4 and ${VISIBLE}`, [...audienceParams(sql, who), id]);
  return row && { fileName: row.file_name, contentType: row.content_type, data: row.data };
}
