// The verbs of the knowledge base: categories and articles, written by technicians. Each save
// renders the Markdown again (render.ts): the stored HTML never comes from input. A changed
// slug keeps the old one as a redirect; who changed what is the article's history (audit).
import { UniqueConstraintViolationException } from '@mikro-orm/core';
import type { Em } from '../../db/orm.js';
import { lockForChange } from '../../db/locks.js';
import { isLanguage, type Language } from '../../i18n/languages.js';
import { Checker, NotFoundError, ValidationError, text } from '../../lib/validation.js';
import { audit } from '../audit/audit-event.js';
import type { Tenant } from '../tenant/tenant.js';
import { KbArticle, KbCategory, STATUSES, VISIBILITIES, type ArticleStatus, type Visibility } from './article.js';
import { renderArticle } from './render.js';

export const BODY_MAX = 100_000;
export const TITLE_MAX = 300;
export const SLUG_MAX = 200;
/** Paths under /portal/kb that are not articles. */
const RESERVED_SLUGS = new Set(['search', 'suggestions', 'images', 'categories']);

export interface CategoryInput { name?: unknown; description?: unknown; position?: unknown }
export interface ArticleInput {
  title?: unknown; slug?: unknown; category?: unknown; body?: unknown; status?: unknown;
  visibility?: unknown; customers?: unknown; language?: unknown;
}

const multiline = (value: unknown) => (typeof value === 'string' ? value.replace(/\r\n/g, '\n') : '');

/** A slug from any text: lower-case ASCII words joined by dashes ("Perché la VPN?" → "perche-la-vpn"). */
export function slugify(value: string): string {
  return value.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase()
    .replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, SLUG_MAX).replace(/-+$/, '');
}

export async function categoryById(em: Em, id: number): Promise<KbCategory> {
  const category = await em.findOne(KbCategory, { id });
  if (!category) throw new NotFoundError();
  return category;
}

function readCategory(input: CategoryInput) {
  const values = { name: text(input.name), description: multiline(input.description).trim(), position: Number.parseInt(String(input.position ?? '0'), 10) };
  const check = new Checker().require('name', values.name, 'kb.fields.name');
  if (values.description.length > 2000) check.add('description', { key: 'validation.tooLong', params: { label: { key: 'kb.fields.description' }, max: 2000 } });
  if (!Number.isInteger(values.position) || values.position < 0 || values.position > 10_000) {
    if (String(input.position ?? '').trim() === '') values.position = 0;
    else check.add('position', 'kb.errors.position');
  }
  return { values, check };
}

async function flushCategory(em: Em, name: string): Promise<void> {
  try {
    await em.flush();
  } catch (error) {
    if (error instanceof UniqueConstraintViolationException) throw new ValidationError({ name: { key: 'kb.errors.categoryTaken', params: { name } } });
    throw error;
  }
}

export async function createCategory(em: Em, tenant: Tenant, input: CategoryInput): Promise<KbCategory> {
  const { values, check } = readCategory(input);
  check.throwIfAny();
  const category = em.create(KbCategory, { tenant, ...values, createdAt: new Date(), updatedAt: new Date() });
  await flushCategory(em, values.name);
  audit(em, tenant, 'kb_category.created', { type: 'kb_category', id: category.id }, { name: values.name });
  await em.flush();
  return category;
}

export async function updateCategory(em: Em, tenant: Tenant, category: KbCategory, input: CategoryInput): Promise<void> {
  const { values, check } = readCategory(input);
  check.throwIfAny();
  Object.assign(category, values, { updatedAt: new Date() });
  audit(em, tenant, 'kb_category.updated', { type: 'kb_category', id: category.id }, { name: values.name });
  await flushCategory(em, values.name);
}

/** The article with this id, or NotFound. `forChange` locks its row until the unit of work ends. */
export async function articleById(em: Em, id: number, options: { forChange?: boolean } = {}): Promise<KbArticle> {
  if (options.forChange && !(await lockForChange(em, KbArticle, { id }))) throw new NotFoundError();
  const article = await em.findOne(KbArticle, { id }, { populate: ['category'] });
  if (!article) throw new NotFoundError();
  return article;
}

/** The customer ids an article of visibility *selected customers* is shown to. */
export async function articleCustomerIds(em: Em, article: KbArticle): Promise<number[]> {
  const rows = await em.execute<Array<{ customer_id: number }>>('select customer_id from kb_article_customers where tenant_id = ? and article_id = ? order by customer_id', [article.tenant.id, article.id]);
  return rows.map((r) => r.customer_id);
}

function idList(value: unknown): number[] {
  const list = Array.isArray(value) ? value : value === undefined || value === '' ? [] : [value];
  return [...new Set(list.map((v) => Number(v)).filter((n) => Number.isInteger(n) && n > 0 && n < 2_147_483_647))];
}

async function readArticle(em: Em, tenant: Tenant, input: ArticleInput, exceptId?: number) {
  const title = text(input.title);
  const body = multiline(input.body);
  const slug = slugify(text(input.slug) || title);
  const status = (STATUSES.includes(input.status as ArticleStatus) ? input.status : 'draft') as ArticleStatus;
  const visibility = VISIBILITIES.includes(input.visibility as Visibility) ? (input.visibility as Visibility) : undefined;
  const language: Language = isLanguage(input.language) ? input.language : tenant.language;
  const check = new Checker().require('title', title, 'kb.fields.title', TITLE_MAX);
  if (body.length > BODY_MAX) check.add('body', { key: 'validation.tooLong', params: { label: { key: 'kb.fields.body' }, max: BODY_MAX } });
  if (!visibility) check.add('visibility', 'kb.errors.visibility');
  if (input.language !== undefined && input.language !== '' && !isLanguage(input.language)) check.add('language', 'kb.errors.language');
  if (!slug) {
    if (title) check.add('slug', 'kb.errors.slugEmpty');
  } else if (RESERVED_SLUGS.has(slug)) {
    check.add('slug', { key: 'kb.errors.slugReserved', params: { slug } });
  } else {
    const taken = await em.findOne(KbArticle, { slug, ...(exceptId ? { id: { $ne: exceptId } } : {}) }, { fields: ['id'] });
    if (taken) check.add('slug', { key: 'kb.errors.slugTaken', params: { slug } });
  }
  const categoryId = Number(input.category);
  const category = Number.isInteger(categoryId) && categoryId > 0 && categoryId < 2_147_483_647 ? await em.findOne(KbCategory, { id: categoryId }) : null;
  if (!category) check.add('category', 'kb.errors.category');
  let customers: number[] = [];
  if (visibility === 'customers') {
    const asked = idList(input.customers);
    customers = asked.length ? (await em.execute<Array<{ id: number }>>('select id from customers where tenant_id = ? and id = any(?::int[]) order by id', [tenant.id, `{${asked.join(',')}}`])).map((r) => r.id) : [];
    if (!customers.length) check.add('customers', 'kb.errors.customers');
  }
  check.throwIfAny();
  return { title, body, slug, status, visibility: visibility!, language, category: category!, customers };
}

async function saveCustomers(em: Em, tenant: Tenant, article: KbArticle, customers: number[]): Promise<void> {
  await em.execute('delete from kb_article_customers where tenant_id = ? and article_id = ? and not (customer_id = any(?::int[]))', [tenant.id, article.id, `{${customers.join(',')}}`]);
  for (const id of customers) {
    await em.execute('insert into kb_article_customers (tenant_id, article_id, customer_id) values (?, ?, ?) on conflict do nothing', [tenant.id, article.id, id]);
  }
}

/** A slug now in use is no longer anyone's old slug (the current article wins). */
async function claimSlug(em: Em, tenant: Tenant, slug: string): Promise<void> {
  await em.execute('delete from kb_article_slugs where tenant_id = ? and slug = ?', [tenant.id, slug]);
}

async function flushArticle(em: Em, slug: string): Promise<void> {
  try {
    await em.flush();
  } catch (error) {
    if (error instanceof UniqueConstraintViolationException) throw new ValidationError({ slug: { key: 'kb.errors.slugTaken', params: { slug } } });
    throw error;
  }
}

export async function createArticle(em: Em, tenant: Tenant, input: ArticleInput): Promise<KbArticle> {
  const values = await readArticle(em, tenant, input);
  const rendered = renderArticle(values.body);
  const now = new Date();
  await claimSlug(em, tenant, values.slug);
  const article = em.create(KbArticle, {
    tenant, category: values.category, title: values.title, slug: values.slug, body: values.body,
    bodyHtml: rendered.html, bodyText: rendered.text, toc: rendered.toc, status: values.status, visibility: values.visibility,
    language: values.language, publishedAt: values.status === 'published' ? now : null, createdAt: now, updatedAt: now,
  });
  await flushArticle(em, values.slug);
  await saveCustomers(em, tenant, article, values.customers);
  audit(em, tenant, 'kb_article.created', { type: 'kb_article', id: article.id }, { title: values.title, changes: ['title', 'body', 'status', 'visibility'] });
  await em.flush();
  return article;
}

export async function updateArticle(em: Em, tenant: Tenant, article: KbArticle, input: ArticleInput): Promise<void> {
  const values = await readArticle(em, tenant, input, article.id);
  const before = { title: article.title, slug: article.slug, body: article.body, status: article.status, visibility: article.visibility, language: article.language, category: article.category.id };
  const customersBefore = await articleCustomerIds(em, article);
  const changes = (Object.keys(before) as Array<keyof typeof before>).filter((k) => (k === 'category' ? values.category.id : values[k]) !== before[k]);
  if (values.customers.join(',') !== (values.visibility === 'customers' ? customersBefore.join(',') : '')) changes.push('customers' as never);
  if (before.slug !== values.slug) {
    await claimSlug(em, tenant, values.slug);
    await em.execute(`insert into kb_article_slugs (tenant_id, article_id, slug) values (?, ?, ?)
      on conflict (tenant_id, slug) do update set article_id = excluded.article_id, created_at = now()`, [tenant.id, article.id, before.slug]);
  }
  const rendered = renderArticle(values.body);
  Object.assign(article, {
    category: values.category, title: values.title, slug: values.slug, body: values.body,
    bodyHtml: rendered.html, bodyText: rendered.text, toc: rendered.toc, status: values.status, visibility: values.visibility, language: values.language,
    publishedAt: values.status === 'published' ? (article.publishedAt ?? new Date()) : null, updatedAt: new Date(),
  });
  await flushArticle(em, values.slug);
  await saveCustomers(em, tenant, article, values.customers);
  if (changes.length) audit(em, tenant, 'kb_article.updated', { type: 'kb_article', id: article.id }, { title: values.title, changes });
  await em.flush();
}

export async function deleteArticle(em: Em, tenant: Tenant, article: KbArticle): Promise<void> {
  audit(em, tenant, 'kb_article.deleted', { type: 'kb_article', id: article.id }, { title: article.title });
  em.remove(article);
  await em.flush();
}
