// Admin > Notifications: each notification on or off, the template it sends, whom it goes to.
import { EmailTemplate } from '../../../domain/email/email-template.js';
import { KINDS, RECIPIENT_WORDS } from '../../../domain/notification/kinds.js';
import { notificationSettings, updateNotificationSettings } from '../../../domain/notification/settings.js';
import { admin, type ShownErrors, type TechnicianCtx } from '../../action.js';

async function page(ctx: TechnicianCtx, values: Record<string, unknown>, errors: ShownErrors, status = 200): Promise<void> {
  const templates = await ctx.em.find(EmailTemplate, {}, { orderBy: { name: 'asc' }, fields: ['id', 'name'] });
  await ctx.reply.render('admin/notifications/show', {
    title: ctx.t('notifications.admin.title'), kinds: KINDS, recipientWords: RECIPIENT_WORDS,
    templates: templates.map((tpl) => [tpl.id, tpl.name]), values, errors,
  }, status);
}

async function storedValues(ctx: TechnicianCtx): Promise<Record<string, unknown>> {
  const values: Record<string, unknown> = {};
  for (const s of await notificationSettings(ctx.em, ctx.tenant)) {
    values[`enabled_${s.kind}`] = s.enabled;
    values[`template_${s.kind}`] = s.templateId ?? '';
    values[`recipients_${s.kind}`] = s.recipients;
  }
  return values;
}

export const show = admin(async (ctx) => {
  await page(ctx, await storedValues(ctx), {});
});

export const update = admin(async (ctx) => {
  await ctx.form(async (em) => {
    await updateNotificationSettings(em, ctx.tenant, ctx.body);
    ctx.reply.flash(ctx.t('notifications.admin.saved'));
    ctx.reply.redirect('/admin/notifications');
  }, async (errors) => {
    const values: Record<string, unknown> = { ...ctx.body };
    for (const { kind } of KINDS) values[`enabled_${kind}`] = ctx.body[`enabled_${kind}`] === 'on';
    await page(ctx, values, errors, 422);
  });
});
