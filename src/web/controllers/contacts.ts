// Contacts (Users): list with search, customer filter and paging; page, create, edit, delete.
import type { Contact } from '../../domain/contact/contact.js';
import { contactById, createContact, deleteContact, updateContact, whyContactCannotBeDeleted } from '../../domain/contact/contacts.js';
import { customerChoices, defaultCustomerId } from '../../domain/customer/lists.js';
import { contactForPage, listContacts } from '../../domain/contact/lists.js';
import { listTickets } from '../../domain/ticket/queries.js';
import { say } from '../../i18n/translate.js';
import { first, parseId, parseText } from '../../lib/parse.js';
import { idParam, technician, type TechnicianCtx } from '../action.js';
import { listing, pager } from '../listing.js';
import { isFragmentRequest } from '../reply.js';

const EVENTS_SHOWN = 50;

export const index = technician(async ({ sql, req, reply, res }) => {
  const list = listing(req, ['q', 'customer']);
  const customerId = parseId(list.params.customer);
  if (!customerId) delete list.params.customer;
  const fragment = isFragmentRequest(req);
  // The full page's customer filter offers the customers its search finds (the first 50), not every customer.
  const customerQ = parseText(req.query.customerQ) ?? '';
  // Sent together: one socket write and one answer for both (db/sql.ts writeTogether), and the
  // commit with them (sql.last) — unless the picker may read its chosen customer after them.
  const reads = Promise.all([
    listContacts(sql, { q: list.params.q, customer: customerId, page: list.page }),
    fragment ? undefined : customerChoices(sql, customerQ, customerId),
  ]);
  const [{ contacts, total }, picker] = await (customerId && !fragment ? reads : sql.last(reads));
  const locals = { title: res.locals.terms.contacts, contacts, q: list.params.q ?? '', customerId, pager: pager('/contacts', list, total) };
  if (fragment) await reply.render('contacts/_results', locals);
  else await reply.render('contacts/index', { ...locals, customerQ, picker });
});

// No ORM on this page: the contact with its customer and audit events is one statement, its
// tickets another, sent together (one socket write: db/sql.ts). No such contact: a 404, its
// (empty) list unread.
export const show = technician(async ({ sql, me, req, reply }) => {
  const id = idParam(req);
  const [{ contact, events }, { tickets, total: ticketTotal }] = await sql.last(Promise.all([
    contactForPage(sql, id, EVENTS_SHOWN), listTickets(sql, { contact: id, page: 1 }, me),
  ]));
  await reply.render('contacts/show', { title: contact.fullName, contact, tickets, ticketTotal, events, workspaceLanguage: req.tenant!.language });
});

/**
 * The form, new or edit. The customer picker offers the customers its search finds (the
 * first 50), the chosen one kept: with JavaScript the search answers new options as one
 * types (customers.options); without, its Find button reloads the form searched.
 */
async function form(ctx: TechnicianCtx, view: 'contacts/new' | 'contacts/edit', locals: { values: Record<string, unknown> } & Record<string, unknown>, status = 200) {
  const { values } = locals;
  const picker = await customerChoices(ctx.sql, parseText(values.customerQ), parseId(values.customer));
  await ctx.reply.render(view, { errors: {}, ...locals, picker, workspaceLanguage: ctx.req.tenant!.language }, status);
}

/** The search's reload (no JavaScript): its words, and the customer chosen so far if it says one. */
function pickerQuery(ctx: TechnicianCtx): { customerQ: string; customer?: string } {
  const { customer, customerQ } = ctx.req.query;
  return { customerQ: parseText(customerQ) ?? '', ...(typeof first(customer) === 'string' ? { customer: first(customer) as string } : {}) };
}

export const newContact = technician(async (ctx) => {
  // The customer it came from (a customer's "New contact"), else the default one.
  const { customer, customerQ } = pickerQuery(ctx);
  const chosen = customer ?? String(await defaultCustomerId(ctx.sql) ?? '');
  await form(ctx, 'contacts/new', { title: ctx.t('contacts.new.title'), values: { customer: chosen, customerQ } });
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
  await form(ctx, 'contacts/edit', { title: ctx.t('contacts.edit.title', { name: contact.fullName }), contact, values: { ...formValues(contact), ...pickerQuery(ctx) } });
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
