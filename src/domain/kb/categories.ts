// The order of the knowledge base's categories, and deleting one. A category's articles are
// never deleted with it: a category that has articles is deleted only once they have another
// one to go to, chosen on the confirmation page — the move is in each article's history.
import type { Em } from '../../db/orm.js';
import { lockForChange } from '../../db/locks.js';
import { NotFoundError, ValidationError } from '../../lib/validation.js';
import { audit } from '../audit/audit-event.js';
import type { Tenant } from '../tenant/tenant.js';
import { KbCategory } from './article.js';

const ORDER = 'order by position, lower(name), id';

/** The categories' ids in their order (locked with `forChange`, so two reorders take turns). */
async function orderedIds(em: Em, tenant: Tenant, forChange = false): Promise<number[]> {
  const rows = await em.execute<Array<{ id: number }>>(`select id from kb_categories where tenant_id = ? ${ORDER}${forChange ? ' for update' : ''}`, [tenant.id]);
  return rows.map((r) => r.id);
}

/** Where the category stands (1 = first). */
export async function placeOfCategory(em: Em, tenant: Tenant, category: KbCategory): Promise<number> {
  return (await orderedIds(em, tenant)).indexOf(category.id) + 1;
}

/**
 * Moves the category to `place` (1 = first), the others keeping their order, and numbers
 * them all 1…n again — the portal shows them in that order.
 */
export async function moveCategory(em: Em, tenant: Tenant, category: KbCategory, place: number): Promise<void> {
  const ids = await orderedIds(em, tenant, true);
  const from = ids.indexOf(category.id);
  if (from < 0) throw new NotFoundError();
  const to = Math.min(Math.max(Math.trunc(place) || 1, 1), ids.length) - 1;
  ids.splice(to, 0, ...ids.splice(from, 1));
  await em.execute(`update kb_categories c set position = o.place, updated_at = now()
    from unnest(?::int[]) with ordinality o(id, place) where c.tenant_id = ? and c.id = o.id and c.position is distinct from o.place`, [`{${ids.join(',')}}`, tenant.id]);
  if (from !== to) audit(em, tenant, 'kb_category.moved', { type: 'kb_category', id: category.id }, { name: category.name, from: from + 1, to: to + 1 });
  await em.flush();
  await em.refresh(category);
}

export interface CategoryDeletion {
  articles: number;
  /** The other categories its articles may move to, in order. */
  others: Array<{ id: number; name: string }>;
}

/** How many articles the category holds. */
export async function articleCountOf(em: Em, tenant: Tenant, category: KbCategory): Promise<number> {
  const [{ n }] = await em.execute<Array<{ n: number }>>('select count(*)::int as n from kb_articles where tenant_id = ? and category_id = ?', [tenant.id, category.id]);
  return n;
}

/** What deleting the category would do: how many articles it has, and where they could go. */
export async function categoryDeletion(em: Em, tenant: Tenant, category: KbCategory): Promise<CategoryDeletion> {
  const n = await articleCountOf(em, tenant, category);
  const others = await em.execute<Array<{ id: number; name: string }>>(`select id, name from kb_categories where tenant_id = ? and id <> ? ${ORDER}`, [tenant.id, category.id]);
  return { articles: n, others };
}

/**
 * Deletes the category. When it has articles, `moveTo` (another category of the workspace)
 * receives them first, each noted in its history; without one the deletion is refused and
 * nothing changes. The category is locked first: an article saved into it meanwhile waits,
 * then finds it gone.
 */
export async function deleteCategory(em: Em, tenant: Tenant, category: KbCategory, moveTo: unknown): Promise<{ moved: number; to?: KbCategory }> {
  if (!(await lockForChange(em, KbCategory, { id: category.id }))) throw new NotFoundError();
  const articles = await em.execute<Array<{ id: number; title: string }>>('select id, title from kb_articles where tenant_id = ? and category_id = ? order by id for update', [tenant.id, category.id]);
  let to: KbCategory | undefined;
  if (articles.length) {
    const id = Number(moveTo);
    to = Number.isInteger(id) && id > 0 && id < 2_147_483_647 && id !== category.id ? (await em.findOne(KbCategory, { id })) ?? undefined : undefined;
    if (!to) throw new ValidationError({ moveTo: 'kb.errors.moveTo' });
    await em.execute('update kb_articles set category_id = ?, updated_at = now() where tenant_id = ? and category_id = ?', [to.id, tenant.id, category.id]);
    for (const a of articles) audit(em, tenant, 'kb_article.updated', { type: 'kb_article', id: a.id }, { title: a.title, changes: ['category'], from: category.name, to: to.name });
  }
  audit(em, tenant, 'kb_category.deleted', { type: 'kb_category', id: category.id }, { name: category.name, moved: articles.length, ...(to ? { to: to.name } : {}) });
  await em.flush();
  await em.execute('delete from kb_categories where tenant_id = ? and id = ?', [tenant.id, category.id]);
  return { moved: articles.length, to };
}
