// The verbs of contacts (Users in the IT edition). Every contact — typed in by a
// technician, created from an incoming email or imported — is made by
// createContact, so whatever must happen to a new contact happens in one place.
import { UniqueConstraintViolationException } from '@mikro-orm/core';
import { lockForChange } from '../../db/locks.js';
import type { Em } from '../../db/orm.js';
import { isLanguage, type Language } from '../../i18n/languages.js';
import { msg, type Message } from '../../i18n/translate.js';
import { parseFlag, parseId } from '../../lib/parse.js';
import { Checker, EMAIL_MAX, normaliseEmail, NotFoundError, text, ValidationError } from '../../lib/validation.js';
import { PasswordToken } from '../technician/password-token.js';
import { audit } from '../audit/audit-event.js';
import { Customer } from '../customer/customer.js';
import { defaultCustomer } from '../customer/defaults.js';
import { customerForNewContact } from '../customer/domains.js';
import type { Tenant } from '../tenant/tenant.js';
import { Ticket } from '../ticket/ticket.js';
import { Contact, type ContactSource } from './contact.js';
import { welcomeNewContact } from './credential-flows.js';

export const LIMITS = { firstName: 100, lastName: 100, email: EMAIL_MAX, phone: 50 } as const;
/**
 * The longest full name (first, a space, last): what every column a contact's name is
 * copied into must hold — the outbox's recipient, the history's and audit log's actor.
 */
export const FULL_NAME_MAX = LIMITS.firstName + 1 + LIMITS.lastName;

export interface ContactInput {
  firstName?: unknown;
  lastName?: unknown;
  email?: unknown;
  phone?: unknown;
  /**
   * A customer id. Empty, for a new contact: where customerForNewContact places its address
   * (on Enterprise the customer owning its domain, else the default one); for an existing
   * contact: the default ("Unassigned") customer.
   */
  customer?: unknown;
  isMain?: unknown;
  portalAccess?: unknown;
  noAutoTickets?: unknown;
  /** Their own language code; anything else (empty, unknown, forged) means the workspace's. */
  language?: unknown;
}

interface CleanContact {
  firstName: string; lastName: string; email: string; phone: string;
  customer: Customer; isMain: boolean; portalAccess: boolean; noAutoTickets: boolean; language: Language | null;
}

/**
 * The contact with this id in the current tenant, or NotFound (the same for another tenant's id).
 * `forChange` locks its row until the unit of work ends: load it so before changing or deleting it.
 */
export async function contactById(em: Em, id: number, options: { forChange?: boolean } = {}): Promise<Contact> {
  if (options.forChange && !(await lockForChange(em, Contact, { id }))) throw new NotFoundError();
  return em.findOneOrFail(Contact, { id }, { populate: ['customer'] });
}

async function cleanInput(em: Em, tenant: Tenant, input: ContactInput, self?: Contact): Promise<CleanContact & { placedByDomain?: string }> {
  const firstName = text(input.firstName);
  const lastName = text(input.lastName);
  const email = normaliseEmail(input.email);
  const phone = text(input.phone);
  const check = new Checker().email('email', email);
  if (firstName.length > LIMITS.firstName) check.add('firstName', tooLong('contacts.form.firstName', LIMITS.firstName));
  if (lastName.length > LIMITS.lastName) check.add('lastName', tooLong('contacts.form.lastName', LIMITS.lastName));
  if (phone.length > LIMITS.phone) check.add('phone', tooLong('contacts.form.phone', LIMITS.phone));
  if (phone && !/^[0-9+()./\s-]*(?:(?:ext|x)\.?\s*[0-9]+)?$/i.test(phone)) check.add('phone', 'contacts.errors.phoneInvalid');

  const given = text(input.customer);
  const customerId = parseId(given);
  // A new contact named no customer: placed by its address (the one rule for every creation path).
  const placement = !given && !self && !check.errors.email ? await customerForNewContact(em, tenant, email) : undefined;
  const customer = placement ? placement.customer
    : !given ? await defaultCustomer(em) : customerId ? await em.findOne(Customer, { id: customerId }) : null;
  if (!customer) check.add('customer', 'contacts.errors.chooseCustomer');

  if (!check.errors.email) {
    const existing = await em.findOne(Contact, { email, ...(self ? { id: { $ne: self.id } } : {}) });
    if (existing) check.add('email', msg('contacts.errors.emailTaken', { name: existing.fullName }));
  }
  check.throwIfAny();
  return {
    firstName, lastName, email, phone, customer: customer!,
    isMain: parseFlag(input.isMain), portalAccess: parseFlag(input.portalAccess), noAutoTickets: parseFlag(input.noAutoTickets),
    language: isLanguage(input.language) ? input.language : null,
    ...(placement?.domain ? { placedByDomain: placement.domain } : {}),
  };
}

function tooLong(label: string, max: number): Message {
  return msg('validation.tooLong', { label: { key: label }, max });
}

/**
 * Creates a contact — the one way a contact comes to exist, whatever its source
 * (manual, email, csv, azure_ad). Validates (422 by field), refuses a duplicate
 * email in any case naming who has it, and records the creation.
 */
export async function createContact(em: Em, tenant: Tenant, input: ContactInput, options: { source: ContactSource; welcome?: boolean }): Promise<Contact> {
  const { placedByDomain, ...clean } = await cleanInput(em, tenant, input);
  const contact = em.create(Contact, { tenant, ...clean, source: options.source, createdAt: new Date() });
  await flushUnlessTaken(em);
  // Why it landed there: `placedByDomain` when a customer's domain chose it ("placed in X by its domain y").
  audit(em, tenant, 'contact.created', { type: 'contact', id: contact.id }, {
    email: contact.email, source: options.source, customer: { id: clean.customer.id, name: clean.customer.name },
    portalAccess: contact.portalAccess, isMain: contact.isMain, ...(placedByDomain ? { placedByDomain } : {}),
  });
  await em.flush();
  // The welcome email (when the tenant sends one) goes to a contact just made — never to one that existed.
  // Mail ingest passes `welcome: false` for automatic mail (RFC 3834: no automatic answer to it).
  if (options.welcome !== false) await welcomeNewContact(em, tenant, contact, options.source);
  return contact;
}

/**
 * The lookup above misses an address taken by a concurrent request; the unique
 * index catches it. The transaction is then spoilt: the caller answers 422 (which
 * rolls back) without querying again.
 */
async function flushUnlessTaken(em: Em): Promise<void> {
  try {
    await em.flush();
  } catch (error) {
    if (error instanceof UniqueConstraintViolationException) throw new ValidationError({ email: 'contacts.errors.emailJustTaken' });
    throw error;
  }
}

const AUDITED: (keyof CleanContact)[] = ['firstName', 'lastName', 'email', 'phone', 'isMain', 'portalAccess', 'noAutoTickets', 'language'];

/** Changes a contact's details; the audit event lists what changed, from what to what. */
export async function updateContact(em: Em, tenant: Tenant, contact: Contact, input: ContactInput): Promise<Contact> {
  const { placedByDomain: _placed, ...clean } = await cleanInput(em, tenant, input, contact); // an existing contact is never placed again
  const changes: Record<string, unknown> = {};
  for (const field of AUDITED) {
    if (contact[field] !== clean[field]) changes[field] = { from: contact[field], to: clean[field] };
  }
  if (contact.customer.id !== clean.customer.id) changes.customer = { from: contact.customer.name, to: clean.customer.name };
  const emailChanged = contact.email !== clean.email;
  em.assign(contact, clean);
  // A link sent to the old address must not open the account now known by the new one.
  if (emailChanged) await em.nativeUpdate(PasswordToken, { contact, usedAt: null }, { usedAt: new Date() });
  if (Object.keys(changes).length > 0) audit(em, tenant, 'contact.updated', { type: 'contact', id: contact.id }, changes);
  await flushUnlessTaken(em);
  return contact;
}

/** Why this contact cannot be deleted (it is the requester of tickets), or undefined. */
export async function whyContactCannotBeDeleted(em: Em, contact: Contact): Promise<Message | undefined> {
  const tickets = await em.count(Ticket, { contact });
  return tickets === 0 ? undefined : msg('contacts.errors.requester', { name: contact.fullName, count: tickets });
}

/** Deletes a contact that has no tickets; one with tickets is refused (the tickets need their requester). */
export async function deleteContact(em: Em, tenant: Tenant, contact: Contact): Promise<void> {
  const refusal = await whyContactCannotBeDeleted(em, contact);
  if (refusal) throw new ValidationError({ contact: refusal });
  audit(em, tenant, 'contact.deleted', { type: 'contact', id: contact.id }, { email: contact.email, name: contact.fullName, customer: contact.customer.name });
  em.remove(contact);
  await em.flush();
}
