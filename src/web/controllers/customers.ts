// Customers (Sites): list with search and paging, page, create, edit, delete, Manage Domains.
import { listContacts } from '../../domain/contact/lists.js';
import { customerChoices, customerForPage, defaultCustomerId, listCustomers } from '../../domain/customer/lists.js';
import { listTickets } from '../../domain/ticket/queries.js';
import {
  createCustomer, customerById, deleteCustomer, dependants, updateCustomer, whyCustomerCannotBeDeleted,
} from '../../domain/customer/customers.js';
import type { Customer } from '../../domain/customer/customer.js';
import { unassignedDomains } from '../../domain/customer/domain-moves.js';
import { applyDomains, customerForNewContact, domainsOf, ownersOfTyped, shownDomain } from '../../domain/customer/domains.js';
import { planAllows } from '../../domain/tenant/plans.js';
import { EMAIL_MAX, normaliseEmail } from '../../lib/validation.js';
import { msg, say } from '../../i18n/translate.js';
import { idParam, technician, type ShownErrors, type TechnicianCtx } from '../action.js';
import { requirePlan } from '../plan-guard.js';
import { first, parseId, parseText } from '../params.js';
import { listing, pager } from '../listing.js';
import { isFragmentRequest } from '../reply.js';

const CONTACTS_SHOWN = 100;

/** The blank choice each customer picker may open with (the options endpoint's `blank`): literal keys. */
const BLANK_CHOICE = { all: 'contacts.index.allCustomers', any: 'tickets.index.any', choose: 'customers.deletion.choose' } as const;

/**
 * A customer picker's options for its search (htmx, as one types): `customerQ` the search,
 * `customer` (or the deletion page's `moveTo`, or a rule condition's `value`) the one chosen, kept; `blank` the picker's
 * blank choice, if any; `except` a customer not offered (the one being deleted). `email`
 * (the new-contact form, as its address is typed): on Enterprise, the customer owning its
 * domain is chosen instead — where customerForNewContact would place it; still changeable.
 */
export const options = technician(async (ctx) => {
  const { sql, req, reply, t } = ctx;
  let chosen = first(req.query.customer) ?? first(req.query.moveTo) ?? first(req.query.value);
  const email = parseText(req.query.email, EMAIL_MAX);
  if (email && planAllows(req.tenant!, 'manage_domains')) {
    const placement = await customerForNewContact(ctx.em, ctx.tenant, normaliseEmail(email));
    if (placement.domain) chosen = String(placement.customer.id);
  }
  const picker = await customerChoices(sql, parseText(req.query.customerQ), parseId(chosen), { except: parseId(req.query.except) });
  const blank = BLANK_CHOICE[String(first(req.query.blank)) as keyof typeof BLANK_CHOICE];
  await reply.render('customers/_options', { ...picker, chosen: String(chosen ?? ''), blank: blank ? t(blank) : '' }, 200, true);
});

export const index = technician(async ({ sql, req, reply, res }) => {
  const list = listing(req, ['q', 'domain']);
  const { customers, total } = await sql.last(listCustomers(sql, { q: list.params.q, domain: list.params.domain, page: list.page }));
  const locals = { title: res.locals.terms.customers, customers, q: list.params.q ?? '', domain: list.params.domain ?? '', pager: pager('/customers', list, total) };
  if (isFragmentRequest(req)) await reply.render('customers/_results', locals);
  else await reply.render('customers/index', { ...locals });
});

// No ORM on this page: the customer with its domains, its contacts and its tickets are three
// statements, sent together (one socket write: db/sql.ts). No such customer: a 404, its (empty) lists unread.
export const show = technician(async ({ sql, me, req, reply }) => {
  const id = idParam(req);
  const [customer, { contacts, total: contactTotal }, { tickets, total: ticketTotal }] = await Promise.all([
    customerForPage(sql, id), listContacts(sql, { customer: id, page: 1, limit: CONTACTS_SHOWN }), listTickets(sql, { customer: id, page: 1 }, me),
  ]);
  // Unassigned's contacts by domain, for moving those of one domain at once (Enterprise, admins).
  const unassigned = customer.isDefault ? await unassignedDomains(sql, customer.id) : [];
  const domains = { domains: customer.domains.map(shownDomain), manage: { admin: me.role === 'admin' } }; // as domainsSection shows them
  await reply.render('customers/show', { title: customer.name, customer, contacts, contactTotal, tickets, ticketTotal, unassigned, ...domains });
});

export const newCustomer = technician(async ({ reply, t }) => {
  await reply.render('customers/new', { title: t('customers.new.title'), values: {}, errors: {} });
});

export const create = technician(async ({ tenant, reply, body, form, t }) => {
  await form(async (em) => {
    const customer = await createCustomer(em, tenant, body);
    reply.flash(t('customers.flash.saved', { name: customer.name }));
    reply.redirect(`/customers/${customer.id}`);
  }, (errors) => reply.render('customers/new', { title: t('customers.new.title'), values: body, errors }, 422));
});

export const edit = technician(async ({ em, req, reply, t }) => {
  const customer = await customerById(em, idParam(req));
  await reply.render('customers/edit', { title: t('customers.edit.title', { name: customer.name }), customer, values: customer, errors: {} });
});

export const update = technician(async ({ em, tenant, req, reply, body, form, t }) => {
  const customer = await customerById(em, idParam(req), { forChange: true });
  const title = t('customers.edit.title', { name: customer.name });
  await form(async (em) => {
    await updateCustomer(em, tenant, customer, body);
    reply.flash(t('customers.flash.saved', { name: customer.name }));
    reply.redirect(`/customers/${customer.id}`);
  }, (errors) => reply.render('customers/edit', { title, customer, values: body, errors }, 422));
});

async function deletionPage(ctx: TechnicianCtx, customer: Customer, values: Record<string, unknown>, errors: Record<string, string>, status = 200) {
  const left = await dependants(ctx.em, customer);
  // Chosen at first: the default customer, where unplaced contacts live anyway.
  if (values.moveTo === undefined) {
    const fallback = await defaultCustomerId(ctx.sql);
    values = { ...values, moveTo: fallback === customer.id ? undefined : fallback };
  }
  // The targets its search finds (the first 50), not every customer; without JavaScript its Find button reloads this page searched.
  const picker = await customerChoices(ctx.sql, parseText(values.customerQ), parseId(values.moveTo), { except: customer.id });
  const why = whyCustomerCannotBeDeleted(customer);
  const refusal = why && say(ctx.t, why);
  await ctx.reply.render('customers/deletion', { title: ctx.t('customers.deletion.title', { name: customer.name }), customer, refusal, left, picker, values, errors }, status);
}

export const confirmDeletion = technician(async (ctx) => {
  const customer = await customerById(ctx.em, idParam(ctx.req));
  // The search's reload (no JavaScript) brings its words and the target chosen so far.
  const { moveTo, customerQ } = ctx.req.query;
  await deletionPage(ctx, customer, { ...(moveTo === undefined ? {} : { moveTo: first(moveTo) }), customerQ: parseText(customerQ) ?? '' }, {});
});

export const destroy = technician(async (ctx) => {
  const { em, tenant, req, reply, body, t } = ctx;
  const customer = await customerById(em, idParam(req), { forChange: true });
  const name = customer.name;
  await ctx.form(async (em) => {
    const { moved, target } = await deleteCustomer(em, tenant, customer, body);
    reply.flash(target
      ? t('customers.flash.deletedMoved', {
        name, target: target.name,
        contacts: msg('customers.deletion.contactCount', { count: moved.contacts }),
        tickets: msg('customers.deletion.ticketCount', { count: moved.tickets }),
      })
      : t('customers.flash.deleted', { name }));
    reply.redirect('/customers');
  }, (errors) => deletionPage(ctx, customer, body, errors, 422));
});

// Manage Domains (Enterprise, admins): the customer's email domains, which place new contacts.

/** What the Domains section of a customer's page shows: its domains in Unicode, and whether Manage Domains is offered. */
async function domainsSection(ctx: Pick<TechnicianCtx, 'em' | 'me'>, customer: Customer) {
  const domains = (await domainsOf(ctx.em, customer)).map(shownDomain);
  return { domains, manage: { admin: ctx.me.role === 'admin' } };
}

/** The checkboxes' values, one or many. */
function keptDomains(value: unknown): string[] {
  return (Array.isArray(value) ? value : value === undefined ? [] : [value]).map(String);
}

/** The Manage Domains form: a page, or for htmx the same form as a modal in the Domains section. */
async function domainsPage(ctx: TechnicianCtx, customer: Customer, values: { keep: string[]; add: string }, errors: ShownErrors, status = 200) {
  const stored = await domainsOf(ctx.em, customer);
  const modal = isFragmentRequest(ctx.req);
  await ctx.reply.render('customers/domains', {
    title: ctx.t('customers.domains.title', { name: customer.name }), customer, modal,
    domains: stored.map((d) => ({ stored: d, shown: shownDomain(d) })), values, errors,
    owners: Object.keys(errors).length > 0 ? await ownersOfTyped(ctx.em, values.add, customer) : {},
  }, status);
}

// On Pro these answer 403 with the reason and a link to Admin > Plan; to non-admins, 403 too (plan-guard.ts).
export const domains = requirePlan('manage_domains')(async (ctx) => {
  const customer = await customerById(ctx.em, idParam(ctx.req));
  await domainsPage(ctx, customer, { keep: await domainsOf(ctx.em, customer), add: '' }, {});
});

/**
 * Apply: the whole change or nothing. Without scripts, a redirect to the customer's page (or
 * the form again, 422). With htmx, the updated Domains section; a refusal answers the modal
 * again into the section's dialog slot — with 200, since htmx swaps no 4xx answer (the
 * change is rolled back all the same).
 */
export const applyDomainChanges = requirePlan('manage_domains')(async (ctx) => {
  const { em, tenant, req, reply, body, t } = ctx;
  const customer = await customerById(em, idParam(req), { forChange: true });
  const values = { keep: keptDomains(body.keep), add: typeof body.add === 'string' ? body.add : '' };
  await ctx.form(async (em) => {
    await applyDomains(em, tenant, customer, values);
    if (isFragmentRequest(req)) {
      await reply.render('customers/_domains', { customer, ...(await domainsSection(ctx, customer)) });
    } else {
      reply.flash(t('customers.domains.applied', { name: customer.name }));
      reply.redirect(`/customers/${customer.id}#domains`);
    }
  }, async (errors) => {
    if (isFragmentRequest(req)) {
      ctx.res.set({ 'HX-Retarget': '#domains-dialog', 'HX-Reswap': 'innerHTML' });
      await domainsPage(ctx, customer, values, errors, 200);
    } else {
      await domainsPage(ctx, customer, values, errors, 422);
    }
  });
});
