// Manage Domains (Enterprise): the email domains a customer owns, which place a new
// contact from one of them in that customer (see customerForNewContact). A domain is
// stored as its ASCII (punycode) lower-case name and shown in Unicode; it must be a
// registrable name (public suffix list), not a public mailbox provider, and belong to
// at most one customer of the workspace.
import { createRequire } from 'node:module';
import { domainToASCII, domainToUnicode } from 'node:url';
import { UniqueConstraintViolationException, wrap } from '@mikro-orm/core';
import { parse } from 'tldts';
import type { Em } from '../../db/orm.js';
import { msg, type Message } from '../../i18n/translate.js';
import { ValidationError } from '../../lib/validation.js';
import { audit } from '../audit/audit-event.js';
import { assertPlanAllows, planAllows } from '../tenant/plans.js';
import type { Tenant } from '../tenant/tenant.js';
import type { Customer } from './customer.js';
import { CustomerDomain } from './customer-domain.js';
import { PublicMailDomain } from './public-mail-domain.js';
import { defaultCustomer } from './defaults.js';

/** Free and disposable mail domains (derhuerst/email-providers): one would lump strangers into one customer. */
const PUBLIC_MAILBOXES: ReadonlySet<string> = new Set(createRequire(import.meta.url)('email-providers/all.json') as string[]);

const LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
export const DOMAIN_MAX = 253;

/**
 * The stored form of what was typed: trimmed, lower-cased, a leading `@` or a whole
 * address reduced to its domain, one trailing dot removed, an internationalised name
 * as punycode. '' when nothing usable is left (an impossible name).
 */
export function normaliseDomain(value: string): string {
  let name = value.trim().toLowerCase();
  const at = name.lastIndexOf('@');
  if (at >= 0) name = name.slice(at + 1);
  if (name.endsWith('.')) name = name.slice(0, -1);
  return name ? domainToASCII(name) : '';
}

/** A stored domain as a person reads it (Unicode). */
export function shownDomain(domain: string): string {
  return domainToUnicode(domain) || domain;
}

/** The values typed into the add field, split at commas, semicolons, spaces and new lines. */
export function splitDomains(value: string): string[] {
  return value.split(/[\s,;]+/).map((s) => s.trim()).filter(Boolean);
}

/** Why this stored-form name is no domain one can own (`co.uk`, `localhost`, an IP), or undefined. */
export function whyNotAName(domain: string, typed: string): Message | undefined {
  const parsed = parse(domain);
  const wellFormed = domain.length <= DOMAIN_MAX && domain.split('.').every((label) => LABEL.test(label));
  if (!wellFormed || parsed.isIp || !parsed.domain || parsed.hostname !== domain) {
    return msg('customers.domains.errors.invalid', { domain: typed });
  }
  return undefined;
}

/** Why this stored-form name cannot be a customer's domain (ignoring who owns it and the workspace's own list), or undefined. */
export function whyNotADomain(domain: string, typed: string): Message | undefined {
  const invalid = whyNotAName(domain, typed);
  if (invalid) return invalid;
  const registrable = parse(domain).domain!;
  if (PUBLIC_MAILBOXES.has(domain) || PUBLIC_MAILBOXES.has(registrable)) {
    return msg('customers.domains.errors.publicMailbox', { domain: shownDomain(domain) });
  }
  return undefined;
}

/** The workspace's own public mailbox domains among `domains` (stored forms), or whose registrable domain is one. */
async function onWorkspaceList(em: Em, domains: string[]): Promise<Set<string>> {
  if (domains.length === 0) return new Set();
  const names = [...new Set(domains.flatMap((d) => [d, parse(d).domain ?? d]))];
  const listed = new Set((await em.find(PublicMailDomain, { domain: { $in: names } })).map((r) => r.domain));
  return new Set(domains.filter((d) => listed.has(d) || listed.has(parse(d).domain ?? d)));
}

/** Why no customer may own this stored-form domain — no such name, or a public mailbox on either list — or undefined. */
export async function whyNotOwnable(em: Em, domain: string): Promise<Message | undefined> {
  const why = whyNotADomain(domain, domain);
  if (why) return why;
  return (await onWorkspaceList(em, [domain])).size > 0 ? msg('customers.domains.errors.workspacePublicMailbox', { domain: shownDomain(domain) }) : undefined;
}

/** Who owns a domain: what a refusal names and links to. */
export interface Owner { id: number; name: string; domain: string }

/**
 * The customers (other than `except`) owning any of these stored-form domains, by domain.
 * A refusal names the owner with a link to its page: the form asks this again on its way back.
 */
export async function domainOwners(em: Em, domains: string[], except?: Customer): Promise<Map<string, Owner>> {
  if (domains.length === 0) return new Map();
  const rows = await em.find(CustomerDomain, { domain: { $in: domains }, ...(except ? { customer: { $ne: except.id } } : {}) }, { populate: ['customer'] });
  return new Map(rows.map((r) => [r.domain, { id: r.customer.id, name: r.customer.name, domain: shownDomain(r.domain) }]));
}

/**
 * The owners a refused Apply named, by the form's field (`domain:<typed>`), for the form to
 * link each to its page. Reads what is stored now, after the refusal rolled back.
 */
export async function ownersOfTyped(em: Em, add: string, except?: Customer): Promise<Record<string, Owner>> {
  const typed = new Map(splitDomains(add).map((value) => [normaliseDomain(value), value] as const));
  const owners = await domainOwners(em, [...typed.keys()].filter(Boolean), except);
  return Object.fromEntries([...owners].map(([domain, owner]) => [`domain:${typed.get(domain)}`, owner]));
}

/** This customer's domains (stored form), in order. */
export async function domainsOf(em: Em, customer: Customer): Promise<string[]> {
  const rows = await em.find(CustomerDomain, { customer }, { orderBy: { domain: 'asc' } });
  return rows.map((r) => r.domain);
}

/**
 * Apply (Manage Domains): the customer keeps the domains in `keep` (stored forms, as the
 * page's checkboxes send them) and gains those typed in `add`. The whole change or nothing:
 * a refused value throws a ValidationError with a message per value (field `domain:<value>`)
 * and nothing is saved. Enterprise only. Audited with what was added and removed.
 */
export async function applyDomains(em: Em, tenant: Tenant, customer: Customer, change: { keep: string[]; add: string }): Promise<{ added: string[]; removed: string[] }> {
  assertPlanAllows(tenant, 'manage_domains');
  const current = await em.find(CustomerDomain, { customer });
  const keep = new Set(change.keep);
  const kept = new Set(current.filter((d) => keep.has(d.domain)).map((d) => d.domain));
  const errors: Record<string, Message> = {};
  const wanted = new Map<string, string>();
  for (const typed of splitDomains(change.add)) {
    const domain = normaliseDomain(typed);
    const why = whyNotADomain(domain, typed);
    if (why) errors[`domain:${typed}`] ??= why;
    else if (!kept.has(domain) && !wanted.has(domain)) wanted.set(domain, typed);
  }
  const removable = current.filter((d) => !kept.has(d.domain) && !wanted.has(d.domain));
  const added = [...wanted.keys()].filter((domain) => !current.some((d) => d.domain === domain));
  for (const domain of await onWorkspaceList(em, added)) {
    errors[`domain:${wanted.get(domain)}`] ??= msg('customers.domains.errors.workspacePublicMailbox', { domain: shownDomain(domain) });
  }
  for (const [domain, owner] of await domainOwners(em, added, customer)) {
    errors[`domain:${wanted.get(domain)}`] ??= msg('customers.domains.errors.taken', { domain: owner.domain, name: owner.name });
  }
  if (Object.keys(errors).length > 0) throw new ValidationError(errors);

  const removed = removable.map((d) => d.domain);
  for (const d of removable) em.remove(d);
  for (const domain of added) em.create(CustomerDomain, { tenant, customer, domain, createdAt: new Date() });
  if (added.length + removed.length > 0) {
    audit(em, tenant, 'customer.domains_changed', { type: 'customer', id: customer.id }, { name: customer.name, added, removed });
  }
  try {
    await em.flush();
  } catch (error) {
    // Taken meanwhile by another customer (a concurrent Apply): the unique index says so.
    if (error instanceof UniqueConstraintViolationException) throw new ValidationError({ domains: 'customers.domains.errors.justTaken' });
    throw error;
  }
  return { added, removed };
}

/** Where a new contact goes and why: the customer owning its domain, or the default one. */
export interface Placement { customer: Customer; domain?: string }

/**
 * The customer a new contact with this address belongs in — the one function every
 * creation path uses (mail ingest, by hand, imports) when no customer is named. On
 * Enterprise, the customer owning the address's domain (exact match on the stored form);
 * otherwise, or without a match, the default ("Unassigned") customer.
 */
export async function customerForNewContact(em: Em, tenant: Tenant, email: string): Promise<Placement> {
  // A caller may hold the tenant as a reference only (em.getReference): its plan is read first.
  if (!wrap(tenant).isInitialized()) await wrap(tenant).init();
  if (planAllows(tenant, 'manage_domains')) {
    const domain = normaliseDomain(email.slice(email.lastIndexOf('@') + 1));
    const owned = domain ? await em.findOne(CustomerDomain, { domain }, { populate: ['customer'] }) : null;
    if (owned) return { customer: owned.customer, domain: owned.domain };
  }
  return { customer: await defaultCustomer(em) };
}
