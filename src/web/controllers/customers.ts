// Customers (Sites): list with search and paging, page, create, edit, delete.
import { Contact } from '../../domain/contact/contact.js';
import {
  createCustomer, customerById, customerChoices, customerCounts, deleteCustomer, dependants, findCustomers, updateCustomer, whyCustomerCannotBeDeleted,
} from '../../domain/customer/customers.js';
import type { Customer } from '../../domain/customer/customer.js';
import { Ticket } from '../../domain/ticket/ticket.js';
import { idParam, technician, type TechnicianCtx } from '../action.js';
import { listing, pager } from '../listing.js';
import { isFragmentRequest } from '../reply.js';

const CONTACTS_SHOWN = 100;
const TICKETS_SHOWN = 50;

export const index = technician(async ({ em, req, reply, res }) => {
  const list = listing(req, ['q']);
  const { customers, total } = await findCustomers(em, { q: list.params.q, limit: list.limit, offset: list.offset });
  const counts = await customerCounts(em, customers.map((c) => c.id));
  const locals = { title: res.locals.terms.customers, customers, counts, q: list.params.q ?? '', pager: pager('/customers', list, total) };
  if (isFragmentRequest(req)) await reply.render('customers/_results', locals);
  else await reply.render('customers/index', { ...locals });
});

export const show = technician(async ({ em, req, reply }) => {
  const customer = await customerById(em, idParam(req));
  const contacts = await em.find(Contact, { customer }, { orderBy: { lastName: 'asc', firstName: 'asc', email: 'asc' }, limit: CONTACTS_SHOWN });
  const contactTotal = contacts.length < CONTACTS_SHOWN ? contacts.length : await em.count(Contact, { customer });
  const [tickets, ticketTotal] = await em.findAndCount(Ticket, { customer }, {
    fields: ['number', 'title', 'status', 'updatedAt'], orderBy: { updatedAt: 'desc', id: 'desc' }, limit: TICKETS_SHOWN,
  });
  await reply.render('customers/show', { title: customer.name, customer, contacts, contactTotal, tickets, ticketTotal });
});

export const newCustomer = technician(async ({ reply, res }) => {
  await reply.render('customers/new', { title: `New ${res.locals.terms.customerLower}`, values: {}, errors: {} });
});

export const create = technician(async ({ tenant, reply, res, body, form }) => {
  await form(async (em) => {
    const customer = await createCustomer(em, tenant, body);
    reply.flash(`${customer.name} is saved.`);
    reply.redirect(`/customers/${customer.id}`);
  }, (errors) => reply.render('customers/new', { title: `New ${res.locals.terms.customerLower}`, values: body, errors }, 422));
});

export const edit = technician(async ({ em, req, reply }) => {
  const customer = await customerById(em, idParam(req));
  await reply.render('customers/edit', { title: `Edit ${customer.name}`, customer, values: customer, errors: {} });
});

export const update = technician(async ({ em, tenant, req, reply, body, form }) => {
  const customer = await customerById(em, idParam(req), { forChange: true });
  const title = `Edit ${customer.name}`;
  await form(async (em) => {
    await updateCustomer(em, tenant, customer, body);
    reply.flash(`${customer.name} is saved.`);
    reply.redirect(`/customers/${customer.id}`);
  }, (errors) => reply.render('customers/edit', { title, customer, values: body, errors }, 422));
});

async function deletionPage(ctx: TechnicianCtx, customer: Customer, values: Record<string, unknown>, errors: Record<string, string>, status = 200) {
  const left = await dependants(ctx.em, customer);
  const targets = (await customerChoices(ctx.em)).filter((c) => c.id !== customer.id);
  // Offered first: the default customer, where unplaced contacts live anyway.
  if (values.moveTo === undefined) values = { ...values, moveTo: targets.find((c) => c.isDefault)?.id };
  const refusal = whyCustomerCannotBeDeleted(ctx.tenant, customer);
  await ctx.reply.render('customers/deletion', { title: `Delete ${customer.name}`, customer, refusal, left, targets, values, errors }, status);
}

export const confirmDeletion = technician(async (ctx) => {
  const customer = await customerById(ctx.em, idParam(ctx.req));
  await deletionPage(ctx, customer, {}, {});
});

export const destroy = technician(async (ctx) => {
  const { em, tenant, req, reply, body, res } = ctx;
  const customer = await customerById(em, idParam(req), { forChange: true });
  const name = customer.name;
  await ctx.form(async (em) => {
    const { moved, target } = await deleteCustomer(em, tenant, customer, body);
    const terms = res.locals.terms;
    reply.flash(target
      ? `${name} is deleted; its ${moved.contacts} ${moved.contacts === 1 ? terms.contactLower : terms.contactsLower} and ${moved.tickets} ${moved.tickets === 1 ? 'ticket' : 'tickets'} moved to ${target.name}.`
      : `${name} is deleted.`);
    reply.redirect('/customers');
  }, (errors) => deletionPage(ctx, customer, body, errors, 422));
});
