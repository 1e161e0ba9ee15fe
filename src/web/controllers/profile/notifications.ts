// /profile/notifications: the technician notifications the signed-in technician receives.
import { KINDS } from '../../../domain/notification/kinds.js';
import { chooseNotifications, notificationSettings, optedOut } from '../../../domain/notification/settings.js';
import { technician } from '../../action.js';

export const show = technician(async (ctx) => {
  const settings = await notificationSettings(ctx.em, ctx.tenant);
  const off = await optedOut(ctx.em, ctx.me.id);
  const choices = KINDS.filter((k) => k.audience === 'technicians').map(({ kind, words }) => ({ kind, words, receive: !off.has(kind), workspaceOn: settings.find((s) => s.kind === kind)?.enabled === true }));
  await ctx.reply.render('profile/notifications', { title: ctx.t('notifications.profile.title'), choices });
});

export const update = technician(async (ctx) => {
  await chooseNotifications(ctx.em, ctx.tenant, ctx.technician, ctx.body);
  ctx.reply.flash(ctx.t('notifications.profile.saved'));
  ctx.reply.redirect('/profile/notifications');
});
