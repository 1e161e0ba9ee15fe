// The customer list as plain rows through prepared SQL (lists are SQL, records are
// entities: see README). Scoped by hand to the unit of work's tenant; RLS holds beneath.
import type { Sql } from '../../db/sql.js';
import { PAGE_SIZE } from '../../lib/parse.js';
import { containsPattern, searchWords } from '../../lib/search.js';
import { PICKER_SIZE } from '../contact/lists.js';
import { normaliseDomain, shownDomain } from './domains.js';
import { NotFoundError } from '../../lib/validation.js';

export interface CustomerRow { id: number; name: string; isDefault: boolean; contacts: number; tickets: number; domains: string[] }

/**
 * A page of customers (the default one first) with their contact and ticket counts and
 * their domains (in Unicode), and the count of all matching — in one query. `q` finds a
 * customer by its name or one of its domains (part of it, or the whole one as typed:
 * `müller.de`, `someone@client.example`); `domain` keeps the customers owning that domain.
 */
export async function listCustomers(sql: Sql, query: { q?: string; domain?: string; page: number }): Promise<{ customers: CustomerRow[]; total: number }> {
  const rows = await sql.query<{ total: number; id: number | null; name: string; is_default: boolean; contacts: number; tickets: number; domains: string[] | null }>(
    `with matching as (
            select id, name, is_default from customers cu
             where tenant_id = $1
               and ($2::text is null or name ilike $2
                    or exists (select 1 from customer_domains d where d.tenant_id = $1 and d.customer_id = cu.id and (d.domain ilike $2 or d.domain = $5)))
               and ($6::text is null
                    or exists (select 1 from customer_domains d where d.tenant_id = $1 and d.customer_id = cu.id and d.domain = $6))),
          total as (select count(*)::int as n from matching),
          page as (select * from matching order by is_default desc, name, id limit $3 offset $4)
     select total.n as total, p.id, p.name, p.is_default,
       (select count(*)::int from contacts c where c.tenant_id = $1 and c.customer_id = p.id) as contacts,
       (select count(*)::int from tickets t where t.tenant_id = $1 and t.customer_id = p.id) as tickets,
       (select array_agg(d.domain order by d.domain) from customer_domains d where d.tenant_id = $1 and d.customer_id = p.id) as domains
     from total left join page p on true
     order by p.is_default desc, p.name, p.id`,
    [sql.tenantId, query.q ? containsPattern(query.q) : null, PAGE_SIZE, (query.page - 1) * PAGE_SIZE,
      query.q ? normaliseDomain(query.q) : null, query.domain ? normaliseDomain(query.domain) || query.domain : null]);
  const customers = rows.filter((r) => r.id !== null).map((r) => ({
    id: r.id!, name: r.name, isDefault: r.is_default, contacts: r.contacts, tickets: r.tickets, domains: (r.domains ?? []).map(shownDomain),
  }));
  return { customers, total: Number(rows[0]?.total ?? 0) };
}

export interface CustomerChoice { id: number; name: string; isDefault: boolean }

/**
 * A customer picker's choices: the customers whose name has every word of `q` (the default
 * one first, then by name; the first PICKER_SIZE), with the chosen one first when the search
 * does not find it, and whether more match. `except` is never offered (the customer being deleted).
 */
export async function customerChoices(sql: Sql, q: string | undefined, chosen: number | undefined, options: { except?: number } = {}): Promise<{ customers: CustomerChoice[]; more: boolean }> {
  // The words as one array parameter: one statement text (one prepared plan) for any number of words.
  const patterns = searchWords(q ?? '').map(containsPattern);
  const except = options.except ?? null;
  const rows = await sql.query<{ id: number; name: string; is_default: boolean }>(
    `select id, name, is_default from customers
     where tenant_id = $1 and ($2::int is null or id <> $2)
       and not exists (select 1 from unnest($3::text[]) w(p) where not (name ilike w.p))
     order by is_default desc, lower(name), id limit $4`,
    [sql.tenantId, except, patterns, PICKER_SIZE + 1]);
  const customers = rows.slice(0, PICKER_SIZE).map((r) => ({ id: r.id, name: r.name, isDefault: r.is_default }));
  if (chosen && chosen !== except && !customers.some((c) => c.id === chosen)) {
    const one = await sql.one<{ id: number; name: string; is_default: boolean }>(
      'select id, name, is_default from customers where id = $1 and tenant_id = $2', [chosen, sql.tenantId]);
    if (one) customers.unshift({ id: one.id, name: one.name, isDefault: one.is_default });
  }
  return { customers, more: rows.length > PICKER_SIZE };
}

/** The id of the tenant's default customer (where unplaced contacts go). */
export async function defaultCustomerId(sql: Sql): Promise<number | undefined> {
  return (await sql.one<{ id: number }>('select id from customers where tenant_id = $1 and is_default', [sql.tenantId]))?.id;
}

/** What a customer's page shows of the customer itself: its fields and its domains (stored forms, in order). */
export interface CustomerPageRow { id: number; name: string; isDefault: boolean; notes: string; domains: string[] }

/**
 * A customer and its domains in one statement, for its page (no entity: the page only
 * reads — bench/pages); NotFoundError when this workspace has no such customer.
 */
export async function customerForPage(sql: Sql, id: number): Promise<CustomerPageRow> {
  const row = await sql.one<{ id: number; name: string; is_default: boolean; notes: string; domains: string[] }>(
    `select c.id, c.name, c.is_default, c.notes,
            array(select d.domain from customer_domains d where d.tenant_id = $1 and d.customer_id = c.id order by d.domain asc) as domains
     from customers c where c.tenant_id = $1 and c.id = $2`, [sql.tenantId, id]);
  if (!row) throw new NotFoundError();
  return { id: row.id, name: row.name, isDefault: row.is_default, notes: row.notes, domains: row.domains };
}
