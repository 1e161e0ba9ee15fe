// Admin > Quick Replies: list, create, edit, delete.
import { QuickReply } from '../../../domain/email/quick-reply.js';
import { createQuickReply, deleteQuickReply, quickReplyById, updateQuickReply } from '../../../domain/email/templates.js';
import { snippetMenu } from '../../../domain/email/snippets.js';
import { admin, idParam, type TechnicianCtx } from '../../action.js';

async function form(ctx: TechnicianCtx, view: 'new' | 'edit', locals: Record<string, unknown>, status = 200) {
  await ctx.reply.render(`admin/quick-replies/${view}`, { errors: {}, snippets: snippetMenu(ctx.tenant), ...locals }, status);
}

export const index = admin(async ({ em, reply, t }) => {
  const quickReplies = await em.find(QuickReply, {}, { orderBy: { name: 'asc' } });
  await reply.render('admin/quick-replies/index', { title: t('templates.quickReplies.title'), quickReplies });
});

export const newQuickReply = admin((ctx) => form(ctx, 'new', { title: ctx.t('templates.quickReplies.newTitle'), values: {} }));

export const create = admin(async (ctx) => {
  await ctx.form(async (em) => {
    const created = await createQuickReply(em, ctx.tenant, ctx.body);
    ctx.reply.flash(ctx.t('templates.quickReplies.saved', { name: created.name }));
    ctx.reply.redirect('/admin/quick-replies');
  }, (errors) => form(ctx, 'new', { title: ctx.t('templates.quickReplies.newTitle'), values: ctx.body, errors }, 422));
});

export const edit = admin(async (ctx) => {
  const quickReply = await quickReplyById(ctx.em, idParam(ctx.req));
  await form(ctx, 'edit', { title: quickReply.name, quickReply, values: quickReply });
});

export const update = admin(async (ctx) => {
  const quickReply = await quickReplyById(ctx.em, idParam(ctx.req), { forChange: true });
  const title = quickReply.name;
  await ctx.form(async (em) => {
    await updateQuickReply(em, ctx.tenant, quickReply, ctx.body);
    ctx.reply.flash(ctx.t('templates.quickReplies.saved', { name: quickReply.name }));
    ctx.reply.redirect('/admin/quick-replies');
  }, (errors) => form(ctx, 'edit', { title, quickReply, values: ctx.body, errors }, 422));
});

/** The deletion's confirmation step (GET /admin/quick-replies/:id/deletion). */
export const confirmDestroy = admin(async ({ em, req, reply, t }) => {
  const quickReply = await quickReplyById(em, idParam(req));
  await reply.render('shared/confirm-deletion', {
    title: t('ticketPage.confirmDeletion.title', { name: quickReply.name }), heading: t('ticketPage.confirmDeletion.title', { name: quickReply.name }),
    warning: t('ticketPage.confirmDeletion.quickReply', { name: quickReply.name }), action: `/admin/quick-replies/${quickReply.id}/deletion`,
    submit: t('ticketPage.confirmDeletion.submit', { name: quickReply.name }), cancel: '/admin/quick-replies',
  });
});

export const destroy = admin(async (ctx) => {
  const quickReply = await quickReplyById(ctx.em, idParam(ctx.req), { forChange: true });
  await deleteQuickReply(ctx.em, ctx.tenant, quickReply);
  ctx.reply.flash(ctx.t('templates.quickReplies.deleted', { name: quickReply.name }));
  ctx.reply.redirect('/admin/quick-replies');
});
