// Contacts (Users): list with search, customer filter and paging; page, create, edit, delete.
import { AuditEvent } from '../../domain/audit/audit-event.js';
import type { Contact } from '../../domain/contact/contact.js';
import { contactById, createContact, deleteContact, updateContact, whyContactCannotBeDeleted } from '../../domain/contact/contacts.js';
import { customerChoices } from '../../domain/customer/customers.js';
import { listContacts } from '../../domain/contact/lists.js';
import { listTickets } from '../../domain/ticket/queries.js';
import { say } from '../../i18n/translate.js';
import { parseId } from '../../lib/parse.js';
import { idParam, technician, type TechnicianCtx } from '../action.js';
import { listing, pager } from '../listing.js';
import { isFragmentRequest } from '../reply.js';

const EVENTS_SHOWN = 50;

export const index = technician(async ({ em, sql, req, reply, res }) => {
  const list = listing(req, ['q', 'customer']);
  const customerId = parseId(list.params.customer);
  if (!customerId) delete list.params.customer;
  const { contacts, total } = await listContacts(sql, { q: list.params.q, customer: customerId, page: list.page });
  const locals = { title: res.locals.terms.contacts, contacts, q: list.params.q ?? '', customerId, pager: pager('/contacts', list, total) };
  if (isFragmentRequest(req)) await reply.render('contacts/_results', locals);
  else await reply.render('contacts/index', { ...locals, customers: await customerChoices(em) });
});

export const show = technician(async ({ em, sql, me, req, reply }) => {
  const contact = await contactById(em, idParam(req));
  const { tickets, total: ticketTotal } = await listTickets(sql, { contact: contact.id, page: 1 }, me);
  const events = await em.find(AuditEvent, { subjectType: 'contact', subjectId: contact.id }, { orderBy: { createdAt: 'desc', id: 'desc' }, limit: EVENTS_SHOWN });
  await reply.render('contacts/show', { title: contact.fullName, contact, tickets, ticketTotal, events, workspaceLanguage: req.tenant!.language });
});

/** The form, new or edit. */
async function form(ctx: TechnicianCtx, view: 'contacts/new' | 'contacts/edit', locals: Record<string, unknown>, status = 200) {
  await ctx.reply.render(view, {
    errors: {}, ...locals, customers: locals.customers ?? await customerChoices(ctx.em), workspaceLanguage: ctx.req.tenant!.language,
  }, status);
}

export const newContact = technician(async (ctx) => {
  const customers = await customerChoices(ctx.em);
  const customer = typeof ctx.req.query.customer === 'string' ? ctx.req.query.customer : String(customers.find((c) => c.isDefault)?.id ?? '');
  await form(ctx, 'contacts/new', { title: ctx.t('contacts.new.title'), customers, values: { customer } });
});

export const create = technician(async (ctx) => {
  const { tenant, reply, body, t } = ctx;
  await ctx.form(async (em) => {
    const contact = await createContact(em, tenant, body, { source: 'manual' });
    reply.flash(t('contacts.flash.saved', { name: contact.fullName }));
    reply.redirect(`/contacts/${contact.id}`);
  }, (errors) => form(ctx, 'contacts/new', { title: t('contacts.new.title'), values: body, errors }, 422));
});

function formValues(contact: Contact): Record<string, unknown> {
  const { firstName, lastName, email, phone, isMain, portalAccess, noAutoTickets } = contact;
  return { firstName, lastName, email, phone, isMain, portalAccess, noAutoTickets, customer: String(contact.customer.id), language: contact.language ?? '' };
}

export const edit = technician(async (ctx) => {
  const contact = await contactById(ctx.em, idParam(ctx.req));
  await form(ctx, 'contacts/edit', { title: ctx.t('contacts.edit.title', { name: contact.fullName }), contact, values: formValues(contact) });
});

export const update = technician(async (ctx) => {
  const { em, tenant, req, reply, body, t } = ctx;
  const contact = await contactById(em, idParam(req), { forChange: true });
  const title = t('contacts.edit.title', { name: contact.fullName });
  await ctx.form(async (em) => {
    await updateContact(em, tenant, contact, body);
    reply.flash(t('contacts.flash.saved', { name: contact.fullName }));
    reply.redirect(`/contacts/${contact.id}`);
  }, (errors) => form(ctx, 'contacts/edit', { title, contact, values: body, errors }, 422));
});

export const confirmDeletion = technician(async ({ em, req, reply, t }) => {
  const contact = await contactById(em, idParam(req));
  const why = await whyContactCannotBeDeleted(em, contact);
  await reply.render('contacts/deletion', { title: t('contacts.deletion.title', { name: contact.fullName }), contact, refusal: why && say(t, why) });
});

export const destroy = technician(async ({ em, tenant, req, reply, form, t }) => {
  const contact = await contactById(em, idParam(req), { forChange: true });
  const name = contact.fullName;
  await form(async (em) => {
    await deleteContact(em, tenant, contact);
    reply.flash(t('contacts.flash.deleted', { name }));
    reply.redirect('/contacts');
  }, (errors) => reply.render('contacts/deletion', { title: t('contacts.deletion.title', { name }), contact, refusal: errors.contact }, 422));
});
