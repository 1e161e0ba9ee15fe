// Admin > Email Settings: the contact email settings, the templates system emails
// use, the workspace's own public mailbox domains, and the support addresses (their
// forms are in mailboxes.ts).
import { ownersOfTyped } from '../../../domain/customer/domains.js';
import { publicDomainsText, setWorkspacePublicDomains, workspacePublicDomains } from '../../../domain/customer/public-mailboxes.js';
import { emailSettingsOf } from '../../../domain/email/defaults.js';
import { TEMPLATE_SETTINGS } from '../../../domain/email/email-settings.js';
import { EmailTemplate } from '../../../domain/email/email-template.js';
import { Mailbox } from '../../../domain/mailbox/mailbox.js';
import { connectableProviders } from '../../../domain/mailbox/oauth-apps.js';
import { IMAP_PROBLEM_WORDS } from '../../../inbound/imap-errors.js';
import { updateEmailSettings } from '../../../domain/email/templates.js';
import { admin, type ShownErrors, type TechnicianCtx } from '../../action.js';
import { requirePlan } from '../../plan-guard.js';

/** The public mailbox domains form: its text, its refusals, and the customers they name (linked). */
interface PublicDomainsForm { text: string; errors: ShownErrors; owners: Record<string, { id: number; name: string }> }

async function page(ctx: TechnicianCtx, values: Record<string, unknown>, errors: Record<string, string>, status = 200, publicDomains?: PublicDomainsForm) {
  const templates = await ctx.em.find(EmailTemplate, {}, { orderBy: { name: 'asc' }, fields: ['id', 'name'] });
  const mailboxes = await ctx.em.find(Mailbox, {}, { orderBy: { address: 'asc' } });
  const publicForm = publicDomains ?? { text: publicDomainsText(await workspacePublicDomains(ctx.em)), errors: {}, owners: {} };
  await ctx.reply.render('admin/email-settings/show', { title: ctx.t('emailSettings.show.title'), templates, values, errors, mailboxes, connectable: await connectableProviders(ctx.em), problemWords: IMAP_PROBLEM_WORDS, publicDomains: publicForm }, status);
}

async function storedValues(ctx: TechnicianCtx): Promise<Record<string, unknown>> {
  const settings = await emailSettingsOf(ctx.em, ctx.tenant);
  const values: Record<string, unknown> = { autoCreateContacts: settings.autoCreateContacts, sendWelcomeEmail: settings.sendWelcomeEmail, ticketsFromAutomatedMail: settings.ticketsFromAutomatedMail, reopenClosedOnReply: settings.reopenClosedOnReply };
  for (const { field } of TEMPLATE_SETTINGS) values[field] = settings[field]?.id ?? '';
  return values;
}

export const show = admin(async (ctx) => {
  await page(ctx, await storedValues(ctx), {});
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

/** Public mailbox domains (Enterprise, like Manage Domains): on Pro a 403 with the link to Admin > Plan. */
export const updatePublicDomains = requirePlan('manage_domains')(async (ctx) => {
  const text = typeof ctx.body.domains === 'string' ? ctx.body.domains : '';
  await ctx.form(async (em) => {
    await setWorkspacePublicDomains(em, ctx.tenant, { domains: text });
    ctx.reply.flash(ctx.t('emailSettings.publicDomains.saved'));
    ctx.reply.redirect('/admin/email-settings#public-domains');
  }, async (errors) => {
    await page(ctx, await storedValues(ctx), {}, 422, { text, errors, owners: await ownersOfTyped(ctx.em, text) });
  });
});
