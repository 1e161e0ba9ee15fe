// Knowledge Base > Categories: the ordered list, adding and editing one.
import { categoryById, createCategory, updateCategory } from '../../domain/kb/articles.js';
import { listCategories } from '../../domain/kb/lists.js';
import { idParam, technician, type TechnicianCtx } from '../action.js';

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

export const edit = technician(async (ctx) => {
  const category = await categoryById(ctx.em, idParam(ctx.req));
  await ctx.reply.render('kb/category', { title: category.name, category, values: category, errors: {} });
});

export const update = technician(async (ctx) => {
  const category = await categoryById(ctx.em, idParam(ctx.req));
  const title = category.name;
  await ctx.form(async (em) => {
    await updateCategory(em, ctx.tenant, category, ctx.body);
    ctx.reply.flash(ctx.t('kb.categories.saved', { name: category.name }));
    ctx.reply.redirect('/kb/categories');
  }, (errors) => ctx.reply.render('kb/category', { title, category, values: ctx.body, errors }, 422));
});
