// The knowledge base in the portal: open to anyone (the *everyone* articles), and to signed-in
// contacts with what their customer may read. Whatever the reader may not see — a draft,
// another workspace's article, one for other customers — is the same 404 as no article.
import { randomBytes } from 'node:crypto';
import type { Request, Response } from 'express';
import { ANONYMOUS, countView, isActiveTechnician, noteSuggestionOpened, readableArticle, readableCategories, readableCategory, readableImage, relatedArticles,
  searchArticles, suggestArticles, vote, voteOf, SEARCH_PAGE_SIZE, type Audience, type ImageFile } from '../../../domain/kb/reading.js';
import { TOC_MIN } from '../../../domain/kb/render.js';
import { contentDisposition } from '../../../domain/ticket/attachments.js';
import { NotFoundError } from '../../../lib/validation.js';
import { portal, portalPublic, idParam, sessionUser, type PortalVisitorCtx } from '../../action.js';
import { pagerFor } from '../../listing.js';
import { pageParam } from '../../params.js';
import { cookieName, cookieOptions, readCookie } from '../../session-cookie.js';

const audienceOf = (ctx: PortalVisitorCtx): Audience => (ctx.me ? { signedIn: true, customerId: ctx.me.customer.id } : ANONYMOUS);

const VOTER_COOKIE = 'kbvoter';
const VOTER = /^[A-Za-z0-9_-]{22}$/;

/** Who votes: the signed-in contact, or this browser (a random value in its own long-lived cookie). */
function voterOf(ctx: PortalVisitorCtx, create: boolean): string | undefined {
  if (ctx.me) return `contact:${ctx.me.id}`;
  const held = readCookie(ctx.req, cookieName(VOTER_COOKIE));
  if (held && VOTER.test(held)) return `browser:${held}`;
  if (!create) return undefined;
  const value = randomBytes(16).toString('base64url');
  ctx.res.cookie(cookieName(VOTER_COOKIE), value, { ...cookieOptions(), maxAge: 365 * 24 * 3600_000 });
  return `browser:${value}`;
}

const queryOf = (req: Request, name: string) => (typeof req.query[name] === 'string' ? (req.query[name] as string).slice(0, 200) : '');

export const home = portalPublic(async (ctx) => {
  const categories = await readableCategories(ctx.sql, audienceOf(ctx));
  await ctx.reply.render('portal/kb/home', { title: ctx.t('kb.portal.home.title'), categories, q: '' });
});

export const category = portalPublic(async (ctx) => {
  const page = pageParam(ctx.req);
  const found = await readableCategory(ctx.sql, audienceOf(ctx), idParam(ctx.req), page);
  if (!found) throw new NotFoundError();
  const pager = { ...pagerFor(`/portal/kb/categories/${found.id}`, {}, page, found.total), pages: Math.ceil(found.total / SEARCH_PAGE_SIZE) };
  await ctx.reply.render('portal/kb/category', { title: found.name, category: found, pager });
});

export const search = portalPublic(async (ctx) => {
  const q = queryOf(ctx.req, 'q');
  const page = pageParam(ctx.req);
  const result = await searchArticles(ctx.sql, audienceOf(ctx), q, page);
  const pager = { ...pagerFor('/portal/kb/search', { q }, page, result.total), pages: Math.ceil(result.total / SEARCH_PAGE_SIZE) };
  await ctx.reply.render('portal/kb/search', { title: ctx.t('kb.portal.search.title'), q, ...result, pager });
});

// GET /portal/kb/suggestions?title= — under a new ticket's title: up to five articles (htmx, debounced).
export const suggestions = portal(async (ctx) => {
  const hits = await suggestArticles(ctx.sql, audienceOf(ctx), queryOf(ctx.req, 'title'));
  await ctx.reply.render('portal/kb/_suggestions', { hits }, 200, true);
});

export const show = portalPublic(async (ctx) => {
  const who = audienceOf(ctx);
  const slug = String(ctx.req.params.slug ?? '').slice(0, 200);
  const { article, movedTo } = await readableArticle(ctx.sql, who, slug);
  if (!article) {
    if (!movedTo) throw new NotFoundError();
    ctx.res.redirect(301, `/portal/kb/${movedTo}`);
    return;
  }
  await countView(ctx.sql, article.id);
  if (ctx.me && ctx.req.query.from === 'ticket') await noteSuggestionOpened(ctx.sql, article.id, ctx.me.id);
  const related = await relatedArticles(ctx.sql, who, article);
  const voted = await voteOf(ctx.sql, article.id, voterOf(ctx, false));
  await ctx.reply.render('portal/kb/show', { title: article.title, article, related, voted, showToc: article.toc.length >= TOC_MIN });
});

// POST /portal/kb/:slug/vote — yes or no; a second vote from the same reader replaces the first.
export const createVote = portalPublic(async (ctx) => {
  const { article } = await readableArticle(ctx.sql, audienceOf(ctx), String(ctx.req.params.slug ?? '').slice(0, 200));
  if (!article) throw new NotFoundError();
  const helpful = ctx.body.helpful === 'yes';
  if (!helpful && ctx.body.helpful !== 'no') throw new NotFoundError();
  await vote(ctx.sql, article.id, voterOf(ctx, true)!, helpful);
  if (ctx.req.get('HX-Request') === 'true') return ctx.reply.render('portal/kb/_vote', { article, voted: helpful }, 200, true);
  ctx.reply.flash(ctx.t('kb.portal.vote.thanks'));
  ctx.reply.redirect(`/portal/kb/${article.slug}#vote`);
});

export function sendImage(res: Response, image: ImageFile): void {
  res.set({
    'Content-Type': image.contentType,
    'Content-Disposition': contentDisposition(image.fileName).replace(/^attachment/, 'inline'),
    'X-Content-Type-Options': 'nosniff',
    'Content-Security-Policy': "default-src 'none'; sandbox",
    'Cache-Control': 'private, no-store',
  });
  res.send(image.data);
}

// GET /portal/kb/images/:id — an article's image, for whoever may read the article (a technician: any).
export const image = portalPublic(async (ctx) => {
  const technician = sessionUser(ctx.req, 'technician');
  const asTechnician = technician ? await isActiveTechnician(ctx.sql, technician.id) : false;
  const found = await readableImage(ctx.sql, asTechnician ? 'technician' : audienceOf(ctx), idParam(ctx.req));
  if (!found) throw new NotFoundError();
  sendImage(ctx.res, found);
});
