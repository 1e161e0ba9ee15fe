// Customers > Unassigned > "move the contacts of domain X to customer Y" (Enterprise, admins):
// choose the customer, confirm with the count, move. Only the default customer has it.
import { customerById } from '../../../domain/customer/customers.js';
import { Customer } from '../../../domain/customer/customer.js';
import { contactsAtDomain, moveDomainContacts } from '../../../domain/customer/domain-moves.js';
import { domainOwners, normaliseDomain, shownDomain, whyNotOwnable } from '../../../domain/customer/domains.js';
import { customerChoices } from '../../../domain/customer/lists.js';
import { say } from '../../../i18n/translate.js';
import { first, parseId, parseText } from '../../../lib/parse.js';
import { NotFoundError } from '../../../lib/validation.js';
import { idParam, type ShownErrors, type TechnicianCtx } from '../../action.js';
import { requirePlan } from '../../plan-guard.js';

async function unassigned(ctx: TechnicianCtx, options: { forChange?: boolean } = {}): Promise<Customer> {
  const customer = await customerById(ctx.em, idParam(ctx.req), options);
  if (!customer.isDefault) throw new NotFoundError();
  return customer;
}

interface Values { domain: string; moveTo?: string; customerQ: string }

/** The move's page: choosing the customer, or (`confirm`, a customer chosen) the count to confirm. */
async function page(ctx: TechnicianCtx, from: Customer, values: Values, errors: ShownErrors, options: { confirm?: boolean; status?: number } = {}) {
  const domain = normaliseDomain(values.domain);
  const count = await contactsAtDomain(ctx.em, from, domain);
  // A public mailbox's contacts are strangers to each other: refused before any choice, as the move refuses it.
  const why = domain ? await whyNotOwnable(ctx.em, domain) : undefined;
  if (why && !errors.domain) errors = { ...errors, domain: say(ctx.t, why) };
  const chosen = parseId(values.moveTo);
  const target = options.confirm && chosen && chosen !== from.id ? (await ctx.em.findOne(Customer, { id: chosen })) ?? undefined : undefined;
  const picker = target ? undefined : await customerChoices(ctx.sql, values.customerQ, chosen, { except: from.id });
  if (options.confirm && !target) errors = { ...errors, moveTo: ctx.t('customers.domainMoves.errors.chooseTarget') };
  await ctx.reply.render('customers/domain-moves', {
    title: ctx.t('customers.domainMoves.title', { domain: shownDomain(domain) }),
    customer: from, domain: { stored: domain, shown: shownDomain(domain) }, count, picker, target, values, errors,
  }, options.status ?? 200);
}

export const show = requirePlan('manage_domains')(async (ctx) => {
  const from = await unassigned(ctx);
  const { domain, moveTo, customerQ, step } = ctx.req.query;
  const values: Values = { domain: String(first(domain) ?? ''), moveTo: first(moveTo) === undefined ? undefined : String(first(moveTo)), customerQ: parseText(customerQ) ?? '' };
  // First choice: the customer owning the domain, if one does.
  if (values.moveTo === undefined) values.moveTo = (await domainOwners(ctx.em, [normaliseDomain(values.domain)])).get(normaliseDomain(values.domain))?.id.toString();
  await page(ctx, from, values, {}, { confirm: first(step) === 'confirm' });
});

export const create = requirePlan('manage_domains')(async (ctx) => {
  const from = await unassigned(ctx, { forChange: true });
  const values: Values = { domain: typeof ctx.body.domain === 'string' ? ctx.body.domain : '', moveTo: typeof ctx.body.moveTo === 'string' ? ctx.body.moveTo : undefined, customerQ: '' };
  await ctx.form(async (em) => {
    const move = await moveDomainContacts(em, ctx.tenant, from, values);
    ctx.reply.flash(ctx.t('customers.domainMoves.moved', { count: move.moved, domain: shownDomain(move.domain), to: move.to.name }));
    ctx.reply.redirect(`/customers/${move.to.id}`);
  }, (errors) => page(ctx, from, values, errors, { status: 422 }));
});

