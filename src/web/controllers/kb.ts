// Knowledge Base (technicians): the article list with search and filters, writing an article
// with a live preview, its history and counts, images, and *Insert article link* for replies.
import { STATUSES, VISIBILITIES, type KbArticle } from '../../domain/kb/article.js';
import { articleById, articleCustomerIds, createArticle, deleteArticle, updateArticle } from '../../domain/kb/articles.js';
import { addImage, articlesShowingImage, deleteImage, imageById } from '../../domain/kb/images.js';
import { articleCounts, articleHistory, articleImages, linkChoices, listArticles, listCategories } from '../../domain/kb/lists.js';
import { renderArticle, TOC_MIN } from '../../domain/kb/render.js';
import { customerChoices } from '../../domain/customer/lists.js';
import { languages } from '../../i18n/languages.js';
import { tenantUrl } from '../../lib/urls.js';
import { NotFoundError, ValidationError } from '../../lib/validation.js';
import { technician, idParam, type TechnicianCtx } from '../action.js';
import { listing, pager } from '../listing.js';
import { uploadedFiles } from '../middleware/uploads.js';
import { parseId } from '../params.js';
import { isFragmentRequest } from '../reply.js';

export const STATUS_LABEL = { draft: 'kb.status.draft', published: 'kb.status.published' } as const;
export const VISIBILITY_LABEL = { everyone: 'kb.visibility.everyone', contacts: 'kb.visibility.contacts', customers: 'kb.visibility.customers' } as const;
export const LANGUAGE_LABEL = { it: 'kb.language.it', en: 'kb.language.en' } as const;
const HISTORY_LABEL = { 'kb_article.created': 'kb.history.created', 'kb_article.updated': 'kb.history.updated', 'kb_article.image_added': 'kb.history.imageAdded', 'kb_article.image_deleted': 'kb.history.imageDeleted' };
const CHANGE_LABEL = {
  title: 'kb.fields.title', slug: 'kb.fields.slug', body: 'kb.fields.body', status: 'kb.fields.status', visibility: 'kb.fields.visibility',
  language: 'kb.fields.language', category: 'kb.fields.category', customers: 'kb.history.customers', image: 'kb.images.title',
};
const words = { historyLabel: HISTORY_LABEL, changeLabel: CHANGE_LABEL, statuses: STATUSES, visibilities: VISIBILITIES, languages, statusLabel: STATUS_LABEL, visibilityLabel: VISIBILITY_LABEL, languageLabel: LANGUAGE_LABEL };

export const index = technician(async ({ sql, req, reply, t }) => {
  const list = listing(req, ['q', 'category', 'status', 'language']);
  const category = parseId(list.params.category);
  const status = STATUSES.find((s) => s === list.params.status);
  const language = languages.find((l) => l === list.params.language);
  const result = await listArticles(sql, { q: list.params.q, category, status, language, page: list.page });
  const categories = await listCategories(sql);
  await reply.render(isFragmentRequest(req) ? 'kb/_results' : 'kb/index', { title: t('kb.index.title'), ...result, categories, filters: list.params, pager: pager('/kb', list, result.total), ...words });
});

async function articleForm(ctx: TechnicianCtx, view: 'new' | 'edit', locals: { values: Record<string, unknown>; article?: KbArticle; errors?: Record<string, string> }, status = 200) {
  const categories = await listCategories(ctx.sql);
  const customers = (await customerChoices(ctx.sql, undefined, undefined)).customers;
  const preview = renderArticle(String(locals.values.body ?? ''));
  const extra = locals.article ? {
    counts: await articleCounts(ctx.sql, locals.article.id),
    history: await articleHistory(ctx.sql, locals.article.id),
    images: await articleImages(ctx.sql, locals.article.id),
    portalUrl: `/portal/kb/${locals.article.slug}`,
  } : {};
  const title = locals.article ? locals.article.title : ctx.t('kb.new.title');
  await ctx.reply.render(`kb/${view}`, { title, errors: {}, categories, customers, preview, ...words, ...extra, ...locals }, status);
}

const chosenCustomers = (value: unknown) => (Array.isArray(value) ? value : value ? [value] : []).map(String);

export const newArticle = technician((ctx) => articleForm(ctx, 'new', { values: { language: ctx.tenant.language, visibility: 'everyone', status: 'draft', category: ctx.req.query.category, customers: [] } }));

export const create = technician(async (ctx) => {
  await ctx.form(async (em) => {
    const article = await createArticle(em, ctx.tenant, ctx.body);
    ctx.reply.flash(ctx.t('kb.saved', { title: article.title }));
    ctx.reply.redirect(`/kb/articles/${article.id}`);
  }, (errors) => articleForm(ctx, 'new', { values: { ...ctx.body, customers: chosenCustomers(ctx.body.customers) }, errors }, 422));
});

export const edit = technician(async (ctx) => {
  const article = await articleById(ctx.em, idParam(ctx.req));
  const customers = (await articleCustomerIds(ctx.em, article)).map(String);
  await articleForm(ctx, 'edit', { article, values: { ...article, category: article.category.id, customers } });
});

export const update = technician(async (ctx) => {
  const article = await articleById(ctx.em, idParam(ctx.req), { forChange: true });
  const saved = { ...article };
  await ctx.form(async (em) => {
    await updateArticle(em, ctx.tenant, article, ctx.body);
    ctx.reply.flash(ctx.t('kb.saved', { title: article.title }));
    ctx.reply.redirect(`/kb/articles/${article.id}`);
  }, (errors) => articleForm(ctx, 'edit', { article: Object.assign(article, saved), values: { ...ctx.body, customers: chosenCustomers(ctx.body.customers) }, errors }, 422));
});

export const destroy = technician(async (ctx) => {
  const article = await articleById(ctx.em, idParam(ctx.req), { forChange: true });
  await deleteArticle(ctx.em, ctx.tenant, article);
  ctx.reply.flash(ctx.t('kb.deleted', { title: article.title }));
  ctx.reply.redirect('/kb');
});

// POST /kb/preview — the Markdown as the portal will show it, rendered by the same code.
export const preview = technician(async ({ body, reply }) => {
  const rendered = renderArticle(typeof body.body === 'string' ? body.body.slice(0, 200_000) : '');
  await reply.render('kb/_preview', { preview: rendered, tocMin: TOC_MIN }, 200, true);
});

// POST /kb/articles/:id/images — an image for the article; the page shows the Markdown that places it.
export const createImage = technician(async (ctx) => {
  const article = await articleById(ctx.em, idParam(ctx.req), { forChange: true });
  await ctx.form(async (em) => {
    if (ctx.req.uploadError) throw new ValidationError({ image: ctx.req.uploadError });
    const image = await addImage(em, ctx.tenant, article, uploadedFiles(ctx.req)[0]);
    ctx.reply.flash(ctx.t('kb.images.added', { name: image.fileName }));
    ctx.reply.redirect(`/kb/articles/${article.id}#images`);
  }, async (errors) => {
    const customers = (await articleCustomerIds(ctx.em, article)).map(String);
    await articleForm(ctx, 'edit', { article, values: { ...article, category: article.category.id, customers }, errors }, 422);
  });
});

// GET /kb/images/:id/deletion — the confirmation, or which articles still show the image.
export const confirmImageDeletion = technician(async ({ em, tenant, req, reply, t }) => {
  const image = await imageById(em, tenant, idParam(req));
  const showing = await articlesShowingImage(em, tenant, image);
  await reply.render('kb/image-deletion', { title: t('kb.images.deleteTitle', { name: image.fileName }), image, showing });
});

// POST /kb/images/:id/deletion — refused (the confirmation again, 422) while an article's text shows it.
export const destroyImage = technician(async (ctx) => {
  const image = await imageById(ctx.em, ctx.tenant, idParam(ctx.req));
  await ctx.form(async (em) => {
    await deleteImage(em, ctx.tenant, image);
    ctx.reply.flash(ctx.t('kb.images.deleted', { name: image.fileName }));
    ctx.reply.redirect(`/kb/articles/${image.article.id}#images`);
  }, async () => {
    const showing = await articlesShowingImage(ctx.em, ctx.tenant, image);
    await ctx.reply.render('kb/image-deletion', { title: ctx.t('kb.images.deleteTitle', { name: image.fileName }), image, showing }, 422);
  });
});

// GET /kb/links?q= — *Insert article link* in a ticket's reply box: published articles by title.
export const links = technician(async ({ sql, tenant, req, reply }) => {
  const q = typeof req.query.q === 'string' ? req.query.q.slice(0, 200) : '';
  const choices = q.trim() ? await linkChoices(sql, q) : [];
  await reply.render('kb/_links', { q, choices, portalBase: tenantUrl(tenant.slug, '/portal/kb/') }, 200, true);
});

// POST /kb/links/:id — the reply box again, with the article's title and portal address added at its end.
export const insertLink = technician(async ({ em, tenant, req, body, reply }) => {
  const article = await articleById(em, idParam(req));
  if (article.status !== 'published') throw new NotFoundError();
  const text = typeof body.body === 'string' ? body.body.replace(/\s+$/, '') : '';
  const link = `${article.title}: ${tenantUrl(tenant.slug, `/portal/kb/${article.slug}`)}`;
  await reply.render('tickets/_reply-body', { body: text ? `${text}\n\n${link}` : link, errors: {} }, 200, true);
});
