// The verbs of customers (Sites in the IT edition): create, rename, delete — and
// on delete, move what still hangs on the customer to another one.
import { currentActor } from '../actor.js';
import { lockForChange } from '../../db/locks.js';
import type { Em } from '../../db/orm.js';
import { parseId } from '../../lib/parse.js';
import { msg, type Message } from '../../i18n/translate.js';
import { Checker, NotFoundError, text, ValidationError } from '../../lib/validation.js';
import { audit } from '../audit/audit-event.js';
import { Contact } from '../contact/contact.js';
import type { Tenant } from '../tenant/tenant.js';
import { Ticket } from '../ticket/ticket.js';
import { Customer } from './customer.js';

export const NAME_MAX = 200;
export const NOTES_MAX = 5000;

export interface CustomerInput { name?: unknown; notes?: unknown }

/**
 * The customer with this id in the current tenant, or NotFound (the same for another tenant's id).
 * `forChange` locks its row until the unit of work ends: load it so before changing or deleting it.
 */
export async function customerById(em: Em, id: number, options: { forChange?: boolean } = {}): Promise<Customer> {
  if (options.forChange && !(await lockForChange(em, Customer, { id }))) throw new NotFoundError();
  return em.findOneOrFail(Customer, { id });
}

function cleanInput(input: CustomerInput): { name: string; notes: string } {
  const name = text(input.name);
  const notes = text(input.notes);
  const check = new Checker().require('name', name, 'customers.form.name', NAME_MAX);
  if (notes.length > NOTES_MAX) check.add('notes', msg('validation.tooLong', { label: { key: 'customers.form.notes' }, max: NOTES_MAX }));
  check.throwIfAny();
  return { name, notes };
}

export async function createCustomer(em: Em, tenant: Tenant, input: CustomerInput): Promise<Customer> {
  const { name, notes } = cleanInput(input);
  const customer = em.create(Customer, { tenant, name, notes, isDefault: false, createdAt: new Date() });
  await em.flush();
  audit(em, tenant, 'customer.created', { type: 'customer', id: customer.id }, { name });
  await em.flush();
  return customer;
}

/** Renames a customer or changes its notes. The default customer can be renamed but stays the default. */
export async function updateCustomer(em: Em, tenant: Tenant, customer: Customer, input: CustomerInput): Promise<Customer> {
  const { name, notes } = cleanInput(input);
  const changes: Record<string, unknown> = {};
  if (name !== customer.name) changes.name = { from: customer.name, to: name };
  if (notes !== customer.notes) changes.notes = 'changed';
  customer.name = name;
  customer.notes = notes;
  if (Object.keys(changes).length > 0) audit(em, tenant, 'customer.updated', { type: 'customer', id: customer.id }, changes);
  await em.flush();
  return customer;
}

export interface Deletion { moved: { contacts: number; tickets: number; mainContactsCleared: number }; target?: Customer }

/** What deleting this customer would leave behind: its contacts and tickets. */
export async function dependants(em: Em, customer: Customer): Promise<{ contacts: number; tickets: number }> {
  return { contacts: await em.count(Contact, { customer }), tickets: await em.count(Ticket, { customer }) };
}

/** Why this customer can never be deleted (it is the default one), or undefined. */
export function whyCustomerCannotBeDeleted(customer: Customer): Message | undefined {
  return customer.isDefault ? msg('customers.errors.isDefault', { name: customer.name }) : undefined;
}

/**
 * Deletes a customer. The default customer cannot be deleted. If contacts or
 * tickets still belong to it, `moveTo` (another customer's id) is required and
 * they are moved there in the same transaction. Moved contacts stop being main
 * contacts: being main at one customer must not open another customer's tickets.
 */
export async function deleteCustomer(em: Em, tenant: Tenant, customer: Customer, input: { moveTo?: unknown }): Promise<Deletion> {
  const refusal = whyCustomerCannotBeDeleted(customer);
  if (refusal) throw new ValidationError({ customer: refusal });
  const { contacts, tickets } = await dependants(em, customer);
  let target: Customer | undefined;
  if (contacts + tickets > 0) {
    const moveTo = parseId(input.moveTo);
    target = moveTo && moveTo !== customer.id ? (await em.findOne(Customer, { id: moveTo })) ?? undefined : undefined;
    if (!target) {
      throw new ValidationError({ moveTo: msg('customers.errors.stillHas', {
        name: customer.name,
        contacts: msg('customers.deletion.contactCount', { count: contacts }),
        tickets: msg('customers.deletion.ticketCount', { count: tickets }),
      }) });
    }
  }
  let mainContactsCleared = 0;
  if (target) {
    mainContactsCleared = await em.nativeUpdate(Contact, { customer, isMain: true }, { isMain: false });
    await em.nativeUpdate(Contact, { customer }, { customer: target });
    if (tickets > 0) await recordTicketMoves(em, customer, target);
    await em.nativeUpdate(Ticket, { customer }, { customer: target });
  }
  audit(em, tenant, 'customer.deleted', { type: 'customer', id: customer.id }, {
    name: customer.name,
    ...(target ? { movedTo: { id: target.id, name: target.name }, contacts, tickets, mainContactsCleared } : {}),
  });
  em.remove(customer);
  await em.flush();
  return { moved: { contacts, tickets, mainContactsCleared }, target };
}

/** One history line per moved ticket, written by one statement (the tenant set by hand; RLS checks it too). */
async function recordTicketMoves(em: Em, from: Customer, to: Customer): Promise<void> {
  const actor = currentActor();
  await em.execute(
    `insert into ticket_events (tenant_id, ticket_id, actor_kind, actor_name, field, from_value, to_value)
     select tenant_id, id, ?, ?, 'customer', ?, ? from tickets where tenant_id = ? and customer_id = ?`,
    [actor.kind, actor.name ?? '', from.name, to.name, from.tenant.id, from.id],
  );
}
