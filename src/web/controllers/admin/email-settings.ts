// Admin > Email Settings: the contact email settings, the templates system emails
// use, and the support addresses (their forms are in mailboxes.ts).
import { emailSettingsOf } from '../../../domain/email/defaults.js';
import { TEMPLATE_SETTINGS } from '../../../domain/email/email-settings.js';
import { EmailTemplate } from '../../../domain/email/email-template.js';
import { Mailbox } from '../../../domain/mailbox/mailbox.js';
import { IMAP_PROBLEM_WORDS } from '../../../inbound/imap-errors.js';
import { updateEmailSettings } from '../../../domain/email/templates.js';
import { admin, type TechnicianCtx } from '../../action.js';

async function page(ctx: TechnicianCtx, values: Record<string, unknown>, errors: Record<string, string>, status = 200) {
  const templates = await ctx.em.find(EmailTemplate, {}, { orderBy: { name: 'asc' }, fields: ['id', 'name'] });
  const mailboxes = await ctx.em.find(Mailbox, {}, { orderBy: { address: 'asc' } });
  await ctx.reply.render('admin/email-settings/show', { title: ctx.t('emailSettings.show.title'), templates, values, errors, mailboxes, problemWords: IMAP_PROBLEM_WORDS }, status);
}

export const show = admin(async (ctx) => {
  const settings = await emailSettingsOf(ctx.em, ctx.tenant);
  const values: Record<string, unknown> = { autoCreateContacts: settings.autoCreateContacts, sendWelcomeEmail: settings.sendWelcomeEmail, ticketsFromAutomatedMail: settings.ticketsFromAutomatedMail, reopenClosedOnReply: settings.reopenClosedOnReply };
  for (const { field } of TEMPLATE_SETTINGS) values[field] = settings[field]?.id ?? '';
  await page(ctx, values, {});
});

export const update = admin(async (ctx) => {
  await ctx.form(async (em) => {
    await updateEmailSettings(em, ctx.tenant, ctx.body);
    ctx.reply.flash(ctx.t('emailSettings.show.updated'));
    ctx.reply.redirect('/admin/email-settings');
  }, async (errors) => {
    const values = { ...ctx.body, autoCreateContacts: ctx.body.autoCreateContacts === 'on', sendWelcomeEmail: ctx.body.sendWelcomeEmail === 'on', ticketsFromAutomatedMail: ctx.body.ticketsFromAutomatedMail === 'on', reopenClosedOnReply: ctx.body.reopenClosedOnReply === 'on' };
    await page(ctx, values, errors, 422);
  });
});
