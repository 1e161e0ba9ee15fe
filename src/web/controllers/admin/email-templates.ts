// Admin > Email Templates: list, create, edit, delete (refused while in use), preview.
import { Contact } from '../../../domain/contact/contact.js';
import { EmailTemplate } from '../../../domain/email/email-template.js';
import { createTemplate, deleteTemplate, templateById, templateUses, updateTemplate } from '../../../domain/email/templates.js';
import type { Em } from '../../../db/orm.js';
import { Ticket } from '../../../domain/ticket/ticket.js';
import { masked } from '../../../outbound/credentials.js';
import { say, type T } from '../../../i18n/translate.js';
import { renderSnippets, snippetMenu, type SnippetContext } from '../../../domain/email/snippets.js';
import { admin, idParam, type TechnicianCtx } from '../../action.js';
import { isShipped, shippedText } from '../../../domain/notification/shipped.js';
import { parseId } from '../../params.js';

async function list(ctx: TechnicianCtx, error?: string, status = 200) {
  const { em, tenant, reply } = ctx;
  const templates = await em.find(EmailTemplate, {}, { orderBy: { name: 'asc' } });
  const uses: Record<number, string[]> = {};
  for (const template of templates) uses[template.id] = (await templateUses(em, tenant, template)).map((m) => say(ctx.t, m));
  await reply.render('admin/email-templates/index', { title: ctx.t('templates.index.title'), templates, uses, error }, status);
}

/** The contacts to preview with. */
async function previewContacts(em: Em): Promise<Contact[]> {
  return (await em.find(Contact, {}, { orderBy: { email: 'asc' }, limit: 200, fields: ['id', 'email', 'firstName', 'lastName'] })) as Contact[];
}

async function form(ctx: TechnicianCtx, view: 'new' | 'edit', locals: Record<string, unknown>, status = 200) {
  const { em, tenant, reply } = ctx;
  const contacts = await previewContacts(em);
  await reply.render(`admin/email-templates/${view}`, {
    errors: {}, snippets: snippetMenu(tenant), contacts, ...locals,
  }, status);
}

export const index = admin((ctx) => list(ctx));

export const newTemplate = admin((ctx) => form(ctx, 'new', { title: ctx.t('templates.form.newTitle'), values: {} }));

export const create = admin(async (ctx) => {
  await ctx.form(async (em) => {
    const template = await createTemplate(em, ctx.tenant, ctx.body);
    ctx.reply.flash(ctx.t('templates.form.saved', { name: template.name }));
    ctx.reply.redirect('/admin/email-templates');
  }, (errors) => form(ctx, 'new', { title: ctx.t('templates.form.newTitle'), values: ctx.body, errors }, 422));
});

export const edit = admin(async (ctx) => {
  const template = await templateById(ctx.em, idParam(ctx.req));
  // A shipped template shows what it sends (the catalogue's words, in the workspace's language).
  const values = isShipped(template.shipped) ? { ...shippedText(template.shipped, ctx.tenant), name: template.name } : template;
  await form(ctx, 'edit', { title: template.name, template, values, shipped: isShipped(template.shipped) });
});

export const update = admin(async (ctx) => {
  const template = await templateById(ctx.em, idParam(ctx.req), { forChange: true });
  const title = template.name;
  await ctx.form(async (em) => {
    await updateTemplate(em, ctx.tenant, template, ctx.body);
    ctx.reply.flash(ctx.t('templates.form.saved', { name: template.name }));
    ctx.reply.redirect('/admin/email-templates');
  }, (errors) => form(ctx, 'edit', { title, template, values: ctx.body, errors, shipped: isShipped(template.shipped) }, 422));
});

/** The deletion's confirmation step (GET /admin/email-templates/:id/deletion). */
export const confirmDestroy = admin(async ({ em, req, reply, t }) => {
  const template = await templateById(em, idParam(req));
  await reply.render('shared/confirm-deletion', {
    title: t('ticketPage.confirmDeletion.title', { name: template.name }), heading: t('ticketPage.confirmDeletion.title', { name: template.name }),
    warning: t('ticketPage.confirmDeletion.template', { name: template.name }), action: `/admin/email-templates/${template.id}/deletion`,
    submit: t('ticketPage.confirmDeletion.submit', { name: template.name }), cancel: '/admin/email-templates',
  });
});

export const destroy = admin(async (ctx) => {
  const template = await templateById(ctx.em, idParam(ctx.req), { forChange: true });
  await ctx.form(async (em) => {
    await deleteTemplate(em, ctx.tenant, template);
    ctx.reply.flash(ctx.t('templates.form.deleted', { name: template.name }));
    ctx.reply.redirect('/admin/email-templates');
  }, (errors) => list(ctx, errors.template, 422));
});

/** A stand-in when the tenant has no contact yet to preview with. */
function sampleContact(t: T): Contact {
  return Object.assign(new Contact(), { id: 0, email: 'jane.example@example.com', firstName: 'Jane', lastName: 'Example', customer: { name: t('templates.preview.sampleCustomer') } });
}

/** The form's subject and body rendered for a chosen contact (and ticket); credentials as ••••••••. */
export const preview = admin(async ({ em, tenant, reply, body, technician, t }) => {
  const ticketNumber = parseId(String(body.previewTicket ?? '').trim().replace(/^#/, ''));
  const ticket = ticketNumber ? await em.findOne(Ticket, { number: ticketNumber }, { populate: ['customer', 'contact', 'contact.customer', 'assignee'] }) : null;
  const contactId = parseId(body.previewContact);
  const contact = (contactId ? await em.findOne(Contact, { id: contactId }, { populate: ['customer'] }) : null) ?? ticket?.contact ?? sampleContact(t);
  const ctx: SnippetContext = { tenant, contact, ticket, technician: ticket?.assignee ?? technician };
  const source = { subject: String(body.subject ?? ''), body: String(body.body ?? '') };
  await reply.render('admin/email-templates/_preview', {
    subject: masked(renderSnippets(source.subject, ctx)), text: masked(renderSnippets(source.body, ctx)),
    contact, ticket, sample: contact.id === 0, ticketAsked: Boolean(body.previewTicket), ticketMissing: Boolean(body.previewTicket) && !ticket,
  }, 200, true);
});
