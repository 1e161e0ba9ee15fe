// Knowledge Base > Categories: the ordered list (moved up, down, or by drag), adding, editing
// and deleting one (after a confirmation that says where its articles go).
import { categoryById, createCategory, updateCategory } from '../../domain/kb/articles.js';
import { articleCountOf, categoryDeletion, deleteCategory, moveCategory, placeOfCategory } from '../../domain/kb/categories.js';
import { listCategories } from '../../domain/kb/lists.js';
import { parseId } from '../../lib/parse.js';
import { idParam, technician, type TechnicianCtx } from '../action.js';
import { isFragmentRequest } from '../reply.js';

async function page(ctx: TechnicianCtx, locals: Record<string, unknown>, status = 200) {
  const categories = await listCategories(ctx.sql);
  await ctx.reply.render('kb/categories', { title: ctx.t('kb.categories.title'), categories, values: {}, errors: {}, ...locals }, status);
}

export const index = technician((ctx) => page(ctx, {}));

export const create = technician(async (ctx) => {
  await ctx.form(async (em) => {
    const category = await createCategory(em, ctx.tenant, ctx.body);
    ctx.reply.flash(ctx.t('kb.categories.saved', { name: category.name }));
    ctx.reply.redirect('/kb/categories');
  }, (errors) => page(ctx, { values: ctx.body, errors }, 422));
});

// Its page says how many articles it has: an empty one's Delete asks in a dialog, one with articles leads to the page that moves them.
async function articleCount(ctx: TechnicianCtx, category: Awaited<ReturnType<typeof categoryById>>): Promise<number> {
  return articleCountOf(ctx.em, ctx.tenant, category);
}

export const edit = technician(async (ctx) => {
  const category = await categoryById(ctx.em, idParam(ctx.req));
  await ctx.reply.render('kb/category', { title: category.name, category, values: category, errors: {}, articles: await articleCount(ctx, category) });
});

export const update = technician(async (ctx) => {
  const category = await categoryById(ctx.em, idParam(ctx.req));
  const title = category.name;
  await ctx.form(async (em) => {
    await updateCategory(em, ctx.tenant, category, ctx.body);
    ctx.reply.flash(ctx.t('kb.categories.saved', { name: category.name }));
    ctx.reply.redirect('/kb/categories');
  }, async (errors) => ctx.reply.render('kb/category', { title, category, values: ctx.body, errors, articles: await articleCount(ctx, category) }, 422));
});

// POST /kb/categories/:id/position — up, down, or a place (the drag). With htmx it answers the list in place.
export const move = technician(async (ctx) => {
  const { em, tenant, req, body, reply, sql, t } = ctx;
  const category = await categoryById(em, idParam(req));
  const current = await placeOfCategory(em, tenant, category);
  const place = body.direction === 'up' ? current - 1 : body.direction === 'down' ? current + 1 : parseId(body.position) ?? current;
  await moveCategory(em, tenant, category, place);
  if (isFragmentRequest(req)) return reply.render('kb/_categories-list', { categories: await listCategories(sql) });
  reply.flash(t('kb.categories.moved', { name: category.name, place: await placeOfCategory(em, tenant, category) }));
  reply.redirect('/kb/categories');
});

async function deletionPage(ctx: TechnicianCtx, category: Awaited<ReturnType<typeof categoryById>>, locals: Record<string, unknown>, status = 200) {
  const deletion = await categoryDeletion(ctx.em, ctx.tenant, category);
  await ctx.reply.render('kb/category-deletion', { title: ctx.t('kb.categories.deleteTitle', { name: category.name }), category, ...deletion, values: {}, errors: {}, ...locals }, status);
}

// GET /kb/categories/:id/deletion — the confirmation: what happens to its articles.
export const confirmDeletion = technician(async (ctx) => {
  await deletionPage(ctx, await categoryById(ctx.em, idParam(ctx.req)), {});
});

export const destroy = technician(async (ctx) => {
  const category = await categoryById(ctx.em, idParam(ctx.req));
  const name = category.name;
  await ctx.form(async (em) => {
    const { moved, to } = await deleteCategory(em, ctx.tenant, category, ctx.body.moveTo);
    ctx.reply.flash(to ? ctx.t('kb.categories.deletedMoved', { name, count: moved, to: to.name }) : ctx.t('kb.categories.deleted', { name }));
    ctx.reply.redirect('/kb/categories');
  }, (errors) => deletionPage(ctx, category, { values: ctx.body, errors }, 422));
});
