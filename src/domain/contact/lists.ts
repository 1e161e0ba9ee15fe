// Contact lists as plain rows through prepared SQL (lists are SQL, records are
// entities: see README). Scoped by hand to the unit of work's tenant; RLS holds beneath.
import type { Sql } from '../../db/sql.js';
import { PAGE_SIZE } from '../../lib/parse.js';
import { containsPattern, searchWords } from '../../lib/search.js';
import { fullName } from './contact.js';
import { NotFoundError } from '../../lib/validation.js';

export interface ContactRow {
  id: number; fullName: string; email: string; isMain: boolean; portalAccess: boolean;
  customer: { id: number; name: string };
}

interface RawRow {
  total: number; id: number | null; first_name: string; last_name: string; email: string; is_main: boolean; portal_access: boolean;
  customer_id: number; customer_name: string;
}

/**
 * A page of contacts, by name, and the count of all matching: every word of `q` must
 * appear in the first name, last name or email; `customer` keeps to one customer.
 * `limit` for a page-less excerpt (a customer's page shows its first contacts).
 */
export async function listContacts(sql: Sql, query: { q?: string; customer?: number; page: number; limit?: number }): Promise<{ contacts: ContactRow[]; total: number }> {
  // The words as one array parameter: one statement text (one prepared plan) for any number of words.
  const patterns = searchWords(query.q ?? '').map(containsPattern);
  const limit = query.limit ?? PAGE_SIZE;
  const rows = await sql.query<RawRow>(
    `with matching as (select c.id, c.first_name, c.last_name, c.email, c.is_main, c.portal_access, c.customer_id from contacts c
        where c.tenant_id = $1 and ($2::int is null or c.customer_id = $2)
          and not exists (select 1 from unnest($3::text[]) w(p) where not (c.first_name ilike w.p or c.last_name ilike w.p or c.email ilike w.p))),
          total as (select count(*)::int as n from matching),
          page as (select * from matching order by last_name, first_name, email, id limit $4 offset $5)
     select total.n as total, p.id, p.first_name, p.last_name, p.email, p.is_main, p.portal_access, p.customer_id, cu.name as customer_name
     from total left join (page p join customers cu on cu.id = p.customer_id and cu.tenant_id = $1) on true
     order by p.last_name, p.first_name, p.email, p.id`,
    [sql.tenantId, query.customer ?? null, patterns, limit, (query.page - 1) * limit]);
  const contacts = rows.filter((r) => r.id !== null).map((r): ContactRow => ({
    id: r.id!, email: r.email, isMain: r.is_main, portalAccess: r.portal_access,
    fullName: fullName({ firstName: r.first_name, lastName: r.last_name, email: r.email }),
    customer: { id: r.customer_id, name: r.customer_name },
  }));
  return { contacts, total: Number(rows[0]?.total ?? 0) };
}

/** How many contacts a picker offers at once; a search narrows them. */
export const PICKER_SIZE = 50;

/**
 * A contact picker's choices: the contacts matching `q` (the first PICKER_SIZE, by name),
 * with the chosen one first when the search does not find it, and whether more match.
 */
export async function contactChoices(sql: Sql, q: string | undefined, chosen: number | undefined): Promise<{ contacts: ContactRow[]; more: boolean }> {
  const { contacts, total } = await listContacts(sql, { q, page: 1, limit: PICKER_SIZE });
  if (chosen && !contacts.some((c) => c.id === chosen)) {
    const [one] = (await listContactsById(sql, chosen));
    if (one) contacts.unshift(one);
  }
  return { contacts, more: total > PICKER_SIZE };
}

async function listContactsById(sql: Sql, id: number): Promise<ContactRow[]> {
  const row = await sql.one<RawRow>(
    `select c.id, c.first_name, c.last_name, c.email, c.is_main, c.portal_access, c.customer_id, cu.name as customer_name
     from contacts c join customers cu on cu.id = c.customer_id and cu.tenant_id = c.tenant_id where c.id = $1 and c.tenant_id = $2`, [id, sql.tenantId]);
  return row ? [{
    id: row.id!, email: row.email, isMain: row.is_main, portalAccess: row.portal_access,
    fullName: fullName({ firstName: row.first_name, lastName: row.last_name, email: row.email }),
    customer: { id: row.customer_id, name: row.customer_name },
  }] : [];
}

/** What a contact's page shows of the contact (whether a password is set, never its hash). */
export interface ContactPageRow {
  id: number; fullName: string; email: string; phone: string; isMain: boolean; portalAccess: boolean; noAutoTickets: boolean;
  language: string | null; source: string; lastLoginAt: Date | null; hasPassword: boolean; mustChangePassword: boolean; passwordChangedAt: Date | null;
  customer: { id: number; name: string };
}

/** One of a contact's audit events, as its page lists them. */
export interface ContactEventRow { action: string; actorKind: string; actorName: string | null; details: Record<string, unknown>; createdAt: Date }

/**
 * A contact with its customer and its last `events` audit events (newest first), in one
 * statement, for its page (no entity: the page only reads — bench/pages); NotFoundError
 * when this workspace has no such contact.
 */
export async function contactForPage(sql: Sql, id: number, events: number): Promise<{ contact: ContactPageRow; events: ContactEventRow[] }> {
  const row = await sql.one<{
    id: number; first_name: string; last_name: string; email: string; phone: string; is_main: boolean; portal_access: boolean; no_auto_tickets: boolean;
    language: string | null; source: string; last_login_at: Date | null; has_password: boolean; must_change_password: boolean; password_changed_at: Date | null;
    customer_id: number; customer_name: string; events: Array<Omit<ContactEventRow, 'createdAt'> & { createdAt: string }>;
  }>(
    `select c.id, c.first_name, c.last_name, c.email, c.phone, c.is_main, c.portal_access, c.no_auto_tickets, c.language, c.source, c.last_login_at,
            c.password_hash is not null as has_password, c.must_change_password, c.password_changed_at, cu.id as customer_id, cu.name as customer_name,
            coalesce((select json_agg(json_build_object('action', a.action, 'actorKind', a.actor_kind, 'actorName', a.actor_name, 'details', a.details, 'createdAt', a.created_at)
                                      order by a.created_at desc, a.id desc)
                      from (select * from audit_events a where a.tenant_id = $1 and a.subject_type = 'contact' and a.subject_id = c.id
                            order by a.created_at desc, a.id desc limit $3) a), '[]') as events
     from contacts c join customers cu on cu.id = c.customer_id and cu.tenant_id = $1
     where c.tenant_id = $1 and c.id = $2`, [sql.tenantId, id, events]);
  if (!row) throw new NotFoundError();
  return {
    contact: {
      id: row.id, email: row.email, phone: row.phone, isMain: row.is_main, portalAccess: row.portal_access, noAutoTickets: row.no_auto_tickets,
      fullName: fullName({ firstName: row.first_name, lastName: row.last_name, email: row.email }),
      language: row.language, source: row.source, lastLoginAt: row.last_login_at, hasPassword: row.has_password,
      mustChangePassword: row.must_change_password, passwordChangedAt: row.password_changed_at,
      customer: { id: row.customer_id, name: row.customer_name },
    },
    events: row.events.map((e) => ({ ...e, createdAt: new Date(e.createdAt) })),
  };
}
