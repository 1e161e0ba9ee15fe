// The technician's lists of the knowledge base, as plain rows through prepared SQL. Scoped by
// hand to the unit of work's tenant; row-level security holds beneath.
import type { Sql } from '../../db/sql.js';
import { PAGE_SIZE } from '../../lib/parse.js';
import { containsPattern, searchWords } from '../../lib/search.js';
import type { ArticleStatus, Visibility } from './article.js';

/** An opening from the new-ticket suggestions with no ticket from that contact this long after it is a deflection. */
export const DEFLECTION_WINDOW = '1 hour';

export interface CategoryRow { id: number; name: string; description: string; position: number; articles: number }

export async function listCategories(sql: Sql): Promise<CategoryRow[]> {
  return sql.query<CategoryRow>(
    `select c.id, c.name, c.description, c.position,
       (select count(*)::int from kb_articles a where a.tenant_id = c.tenant_id and a.category_id = c.id) as articles
     from kb_categories c where c.tenant_id = $1 order by c.position, lower(c.name), c.id`, [sql.tenantId]);
}

export interface ArticleRow {
  id: number; title: string; slug: string; category: string; status: ArticleStatus; visibility: Visibility; language: string;
  views: number; helpful: number; notHelpful: number; deflections: number; updatedAt: Date;
}

export interface ArticleQuery { q?: string; category?: number; status?: string; language?: string; page: number }

const COUNTS = `
  (select count(*)::int from kb_votes v where v.tenant_id = a.tenant_id and v.article_id = a.id and v.helpful) as helpful,
  (select count(*)::int from kb_votes v where v.tenant_id = a.tenant_id and v.article_id = a.id and not v.helpful) as not_helpful,
  (select count(*)::int from kb_suggestion_opens o where o.tenant_id = a.tenant_id and o.article_id = a.id
     and o.opened_at < now() - interval '${DEFLECTION_WINDOW}'
     and not exists (select 1 from tickets t where t.tenant_id = o.tenant_id and t.contact_id = o.contact_id
                     and t.created_at >= o.opened_at and t.created_at < o.opened_at + interval '${DEFLECTION_WINDOW}')) as deflections`;

/** A page of articles (newest change first) whose title has every word of `q`, with their counts, and the count of all matching. */
export async function listArticles(sql: Sql, query: ArticleQuery): Promise<{ articles: ArticleRow[]; total: number }> {
  const patterns = searchWords(query.q ?? '').map(containsPattern);
  const rows = await sql.query<Record<string, unknown> & { total: number; id: number | null }>(
    `with matching as (
       select a.* from kb_articles a
       where a.tenant_id = $1 and ($2::int is null or a.category_id = $2) and ($3::text is null or a.status = $3) and ($4::text is null or a.language = $4)
         and not exists (select 1 from unnest($5::text[]) w(p) where not (a.title ilike w.p or a.slug ilike w.p))),
     total as (select count(*)::int as n from matching),
     page as (select * from matching order by updated_at desc, id desc limit $6 offset $7)
     select total.n as total, a.id, a.title, a.slug, a.status, a.visibility, a.language, a.views, a.updated_at, c.name as category, ${COUNTS}
     from total left join page a on true left join kb_categories c on c.tenant_id = a.tenant_id and c.id = a.category_id
     order by a.updated_at desc, a.id desc`,
    [sql.tenantId, query.category ?? null, query.status ?? null, query.language ?? null, patterns, PAGE_SIZE, (query.page - 1) * PAGE_SIZE]);
  const articles = rows.filter((r) => r.id !== null).map((r) => ({
    id: r.id!, title: r.title as string, slug: r.slug as string, category: r.category as string, status: r.status as ArticleStatus,
    visibility: r.visibility as Visibility, language: r.language as string, views: r.views as number, helpful: r.helpful as number,
    notHelpful: r.not_helpful as number, deflections: r.deflections as number, updatedAt: r.updated_at as Date,
  }));
  return { articles, total: Number(rows[0]?.total ?? 0) };
}

export interface ArticleCounts { views: number; helpful: number; notHelpful: number; deflections: number }

export async function articleCounts(sql: Sql, id: number): Promise<ArticleCounts> {
  const row = await sql.one<{ views: number; helpful: number; not_helpful: number; deflections: number }>(
    `select a.views, ${COUNTS} from kb_articles a where a.tenant_id = $1 and a.id = $2`, [sql.tenantId, id]);
  return { views: row?.views ?? 0, helpful: row?.helpful ?? 0, notHelpful: row?.not_helpful ?? 0, deflections: row?.deflections ?? 0 };
}

export interface HistoryRow { action: string; actorName: string | null; changes: string[]; createdAt: Date }

/** Who changed the article, what and when (newest first). */
export async function articleHistory(sql: Sql, id: number): Promise<HistoryRow[]> {
  const rows = await sql.query<{ action: string; actor_name: string | null; details: { changes?: string[] }; created_at: Date }>(
    `select action, actor_name, details, created_at from audit_events
     where tenant_id = $1 and subject_type = 'kb_article' and subject_id = $2 order by created_at desc, id desc limit 100`, [sql.tenantId, id]);
  return rows.map((r) => ({ action: r.action, actorName: r.actor_name, changes: r.details?.changes ?? [], createdAt: r.created_at }));
}

export interface ImageRow { id: number; fileName: string; size: number }

export async function articleImages(sql: Sql, articleId: number): Promise<ImageRow[]> {
  const rows = await sql.query<{ id: number; file_name: string; size: number }>(
    'select id, file_name, size from kb_images where tenant_id = $1 and article_id = $2 order by id', [sql.tenantId, articleId]);
  return rows.map((r) => ({ id: r.id, fileName: r.file_name, size: r.size }));
}

export interface LinkChoice { id: number; title: string; slug: string }

/** Published articles whose title has every word of `q`, for *Insert article link* in a ticket's reply box. */
export async function linkChoices(sql: Sql, q: string): Promise<LinkChoice[]> {
  const patterns = searchWords(q).map(containsPattern);
  return sql.query<LinkChoice>(
    `select id, title, slug from kb_articles a where a.tenant_id = $1 and a.status = 'published'
       and not exists (select 1 from unnest($2::text[]) w(p) where not (a.title ilike w.p))
     order by lower(title), id limit 10`, [sql.tenantId, patterns]);
}
