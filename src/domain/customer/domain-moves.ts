// Customers > Unassigned, on Enterprise: "move the contacts of domain X to customer Y" —
// tidying up the contacts that arrived before a customer owned their domain. The default
// customer's contacts are grouped by their address's domain; a move takes every one of
// that domain at once, in one transaction, and each moved contact's history says why.
import { LockMode } from '@mikro-orm/core';
import type { Em } from '../../db/orm.js';
import type { Sql } from '../../db/sql.js';
import { msg, type Message } from '../../i18n/translate.js';
import { parseId } from '../../lib/parse.js';
import { likeEscaped } from '../../lib/search.js';
import { ValidationError } from '../../lib/validation.js';
import { audit } from '../audit/audit-event.js';
import { Contact } from '../contact/contact.js';
import { assertPlanAllows } from '../tenant/plans.js';
import type { Tenant } from '../tenant/tenant.js';
import { Customer } from './customer.js';
import { normaliseDomain, shownDomain, whyNotADomain, whyNotOwnable } from './domains.js';

/** How many domains the Unassigned page lists (the most contacts first). */
export const DOMAINS_SHOWN = 20;

export interface UnassignedDomain {
  /** Stored (ASCII) form, as the move takes it; `shown` in Unicode. */
  domain: string; shown: string; contacts: number;
  /** The customer owning the domain, if one does: the move's first choice. */
  owner?: { id: number; name: string };
  /** A public mailbox (the maintained list or the workspace's): its contacts are strangers to each other, not movable together. */
  publicMailbox: boolean;
}

/** The domains of the default customer's contacts, with how many each and who owns it: one query. */
export async function unassignedDomains(sql: Sql, defaultCustomerId: number): Promise<UnassignedDomain[]> {
  const rows = await sql.query<{ domain: string; contacts: number; owner_id: number | null; owner_name: string | null; listed: boolean }>(
    `select g.domain, g.contacts, d.customer_id as owner_id, cu.name as owner_name,
            exists (select 1 from public_mail_domains p where p.tenant_id = $1 and p.domain = g.domain) as listed
       from (select split_part(email, '@', 2) as domain, count(*)::int as contacts from contacts
              where tenant_id = $1 and customer_id = $2 group by 1) g
       left join customer_domains d on d.tenant_id = $1 and d.domain = g.domain
       left join customers cu on cu.tenant_id = $1 and cu.id = d.customer_id
      order by g.contacts desc, g.domain limit $3`,
    [sql.tenantId, defaultCustomerId, DOMAINS_SHOWN]);
  return rows.map((r) => ({
    domain: r.domain, shown: shownDomain(r.domain), contacts: r.contacts,
    ...(r.owner_id ? { owner: { id: r.owner_id, name: r.owner_name! } } : {}),
    publicMailbox: r.listed || whyNotADomain(r.domain, r.domain) !== undefined,
  }));
}

/** How many of `from`'s contacts have an address at `domain` (stored form, exact: not its subdomains). */
export async function contactsAtDomain(em: Em, from: Customer, domain: string): Promise<number> {
  return domain ? em.count(Contact, { customer: from, email: { $like: `%@${likeEscaped(domain)}` } }) : 0;
}

export interface DomainMove { domain: string; from: Customer; to: Customer; moved: number }

/**
 * Moves every contact of the default customer `from` whose address is at `domain` to the
 * customer `moveTo`, in one go. Enterprise only. Refused (ValidationError) without a domain
 * that has contacts there, with a public mailbox's domain, or without another customer to
 * move to. Moved contacts stop being main contacts (being main in Unassigned must not open
 * another customer's tickets); their tickets stay where they are. Each moved contact's
 * history records the move and its reason; the customer's, the whole move.
 */
export async function moveDomainContacts(em: Em, tenant: Tenant, from: Customer, input: { domain?: unknown; moveTo?: unknown }): Promise<DomainMove> {
  assertPlanAllows(tenant, 'manage_domains');
  const domain = normaliseDomain(typeof input.domain === 'string' ? input.domain : '');
  const moveTo = parseId(input.moveTo);
  const to = moveTo && moveTo !== from.id ? await em.findOne(Customer, { id: moveTo }) : null;
  const errors: Record<string, Message> = {};
  const why = domain ? await whyNotOwnable(em, domain) : msg('customers.domainMoves.errors.chooseDomain');
  if (why) errors.domain = why;
  else if ((await contactsAtDomain(em, from, domain)) === 0) errors.domain = msg('customers.domainMoves.errors.noContacts', { domain: shownDomain(domain), name: from.name });
  if (!to) errors.moveTo = 'customers.domainMoves.errors.chooseTarget';
  if (Object.keys(errors).length > 0) throw new ValidationError(errors);

  // Locked as they are read (one table, no join): a contact being changed meanwhile is moved after that change, not over it.
  const contacts = await em.find(Contact, { customer: from, email: { $like: `%@${likeEscaped(domain)}` } }, { orderBy: { id: 'asc' }, lockMode: LockMode.PESSIMISTIC_WRITE });
  for (const contact of contacts) {
    const wasMain = contact.isMain;
    contact.customer = to!;
    contact.isMain = false;
    audit(em, tenant, 'contact.moved_by_domain', { type: 'contact', id: contact.id }, {
      customer: { from: from.name, to: to!.name }, domain, ...(wasMain ? { isMain: { from: true, to: false } } : {}),
    });
  }
  audit(em, tenant, 'customer.domain_contacts_moved', { type: 'customer', id: from.id }, { domain, to: { id: to!.id, name: to!.name }, contacts: contacts.length });
  await em.flush();
  return { domain, from, to: to!, moved: contacts.length };
}
