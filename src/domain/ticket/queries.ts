// Reading tickets: the technician list (its rows and count in one statement, searched or
// not), the portal lists, and the loaders that fetch a ticket by number through the reader's scope.
import type { FilterQuery } from '@mikro-orm/core';
import { lockForChange } from '../../db/locks.js';
import type { Em } from '../../db/orm.js';
import type { Language } from '../../i18n/languages.js';
import { PAGE_SIZE, pageCount } from '../../lib/parse.js';
import { containsPattern, searchWords } from '../../lib/search.js';
import { NotFoundError } from '../../lib/validation.js';
import { fullName, type Contact } from '../contact/contact.js';
import { PICKER_SIZE } from '../contact/lists.js';
import type { CustomerChoice } from '../customer/lists.js';
import type { Sql } from '../../db/sql.js';
import { searchHits, type SearchSql } from './search.js';
import { Ticket, TicketMessage, PRIORITIES, STATUSES, type TicketStatus } from './ticket.js';
import { VIEW_RULES, type SortDirection, type TicketFilters, type TicketSort } from './views.js';

export type { TicketFilters } from './views.js';

/** A row of a ticket list: the ticket's columns with the names the list shows. */
export interface TicketRow {
  id: number;
  number: number;
  title: string;
  status: TicketStatus;
  priority: (typeof PRIORITIES)[number];
  type: string;
  createdAt: Date;
  updatedAt: Date;
  customer: { id: number; name: string };
  contact: { id: number; fullName: string; email: string };
  /** An inactive (deactivated) technician keeps their tickets, shown as inactive. */
  assignee: { name: string; active: boolean } | null;
}

export interface TicketPage { tickets: TicketRow[]; total: number; page: number; pages: number }

interface RawRow {
  total: number;
  id: number; number: number; title: string; status: TicketStatus; priority: TicketRow['priority']; type: string; created_at: Date; updated_at: Date;
  customer_id: number; customer_name: string; contact_id: number; first_name: string; last_name: string; email: string;
  assignee_name: string | null; assignee_active: boolean | null;
}

/** Conditions on the tickets table (alias t) as SQL; `$?` stands for the next parameter. */
export interface Where { sql: string[]; params: unknown[] }

const where = (): Where => ({ sql: [], params: [] });
const and = (w: Where, sql: string, ...params: unknown[]): Where => ({ sql: [...w.sql, sql], params: [...w.params, ...params] });

/** Numbers the `$?` placeholders of `text` from `$start`. */
function numbered(text: string, start: number): string {
  let n = start;
  return text.replace(/\$\?/g, () => `$${n++}`);
}

/** The ordinal of a status and a priority, for sorting (open first; critical highest). */
const rankOf = (list: readonly string[], column: string) => `array_position(array[${list.map((v) => `'${v}'`).join(', ')}]::text[], ${column}::text)`;

/** The ORDER BY of a list, on the columns of alias `a` (the tickets or the chosen page), by `rank` (a search's) unless sorted; ties go to the most recently updated. */
function orderBy(a: string, sort: TicketSort | undefined, dir: SortDirection | undefined, rank?: string): string {
  const d = dir === 'asc' ? 'asc' : 'desc';
  switch (sort) {
    case 'number': return `${a}.number ${d}`;
    case 'priority': return `${rankOf(PRIORITIES, `${a}.priority`)} ${d}, ${a}.updated_at desc, ${a}.id desc`;
    case 'status': return `${rankOf(STATUSES, `${a}.status`)} ${d}, ${a}.updated_at desc, ${a}.id desc`;
    case 'updated': return `${a}.updated_at ${d}, ${a}.id ${d}`;
    default: return rank ? `${rank} desc, ${a}.updated_at desc, ${a}.id desc` : `${a}.updated_at desc, ${a}.id desc`;
  }
}

interface PageQuery { w: Where; page: number; search?: SearchSql; sort?: TicketSort; dir?: SortDirection }

/**
 * One page of tickets and the count of all matching, in one round trip: the page's
 * rows with customer, requester and assignee joined in, and — when searching — the
 * search's hits joined first. Lists read plain rows through prepared statements, not
 * entities: hydrating 200 entities a page, and planning the query on every visit, cost
 * more than the rest of the request (bench/pages). The SQL is scoped by hand to the unit
 * of work's tenant on every table, and RLS holds beneath.
 */
async function pageOf(sql: Sql, { w, page, search, sort, dir }: PageQuery): Promise<TicketPage> {
  const head = search ? `with ${numbered(search.sql, 1)},` : 'with';
  let n = 1 + (search?.params.length ?? 0);
  const conditions = numbered(['t.tenant_id = $?', ...w.sql].join(' and '), n);
  n += 1 + w.params.length;
  const params = [...(search?.params ?? []), sql.tenantId, ...w.params];
  const from = search ? 'tickets t join hits h on h.id = t.id' : 'tickets t';
  // `total left join page` always yields a row, so the count arrives even past the last page.
  const rows = await sql.query<RawRow>(`${head} total as (select count(*)::int as n from ${from} where ${conditions}),
      page as (select t.id, t.tenant_id, t.number, t.title, t.status, t.priority, t.type, t.created_at, t.updated_at, t.customer_id, t.contact_id, t.assignee_id,
          ${search ? 'h.rank' : '0'} as rank
        from ${from} where ${conditions} order by ${orderBy('t', sort, dir, search && 'h.rank')} limit $${n} offset $${n + 1})
    select total.n as total, p.id, p.number, p.title, p.status, p.priority, p.type, p.created_at, p.updated_at,
      p.customer_id, cu.name as customer_name, p.contact_id, ct.first_name, ct.last_name, ct.email, te.name as assignee_name, te.active as assignee_active
    from total left join (page p
      join customers cu on cu.id = p.customer_id and cu.tenant_id = p.tenant_id
      join contacts ct on ct.id = p.contact_id and ct.tenant_id = p.tenant_id
      left join technicians te on te.id = p.assignee_id and te.tenant_id = p.tenant_id) on true
    order by ${orderBy('p', sort, dir, search && 'p.rank')}`, [...params, PAGE_SIZE, (page - 1) * PAGE_SIZE]);
  const tickets = rows.filter((r) => r.number !== null).map((r): TicketRow => ({
    id: r.id, number: r.number, title: r.title, status: r.status, priority: r.priority, type: r.type,
    createdAt: new Date(r.created_at), updatedAt: new Date(r.updated_at),
    customer: { id: r.customer_id, name: r.customer_name },
    contact: { id: r.contact_id, fullName: fullName({ firstName: r.first_name, lastName: r.last_name, email: r.email }), email: r.email },
    assignee: r.assignee_name === null ? null : { name: r.assignee_name, active: r.assignee_active !== false },
  }));
  const total = Number(rows[0]?.total ?? 0);
  return { tickets, total, page, pages: pageCount(total) };
}

export interface FilterChoices {
  /** Inactive technicians come last, so their tickets can still be found. */
  technicians: Array<{ id: number; name: string; active: boolean }>;
  /** The customer picker's choices, by the rules of customerChoices (customer/lists.ts). */
  picker: { customers: CustomerChoice[]; more: boolean };
  /** The name of the requester the list is filtered by, if it is one of this tenant's contacts. */
  requester?: string;
}

/**
 * What the list's filter form offers, in one statement (the list page reads a constant
 * number of them: bench/pages): the technicians; the customer picker's first PICKER_SIZE
 * customers whose name has every word of `customerQ` (the default one first, then by
 * name), with the chosen customer first when the search does not find it, and whether
 * more match — as customerChoices gives them, which answers the picker's own search; and
 * the requester's name.
 */
export async function filterChoices(sql: Sql, options: { customerQ?: string; customer?: number; contact?: number } = {}): Promise<FilterChoices> {
  const patterns = searchWords(options.customerQ ?? '').map(containsPattern);
  const rows = await sql.query<{ kind: 'c' | 'k' | 't' | 'r'; id: number; name: string; flag: boolean; ord: number; last_name: string | null; email: string | null }>(
    `with picked as (select id, name, is_default from customers
        where tenant_id = $1 and not exists (select 1 from unnest($2::text[]) w(p) where not (name ilike w.p))
        order by is_default desc, lower(name), id limit $3)
     select 'c' as kind, id, name::text, is_default as flag, row_number() over (order by is_default desc, lower(name), id)::int as ord, null::text as last_name, null::text as email from picked
     union all select 'k', id, name, is_default, 0, null, null from customers
       where tenant_id = $1 and id = $4 and not exists (select 1 from picked where picked.id = $4)
     union all select 't', id, name, active, row_number() over (order by active desc, lower(name), id)::int, null, null from technicians where tenant_id = $1
     union all select 'r', id, first_name, false, 0, last_name, email from contacts where tenant_id = $1 and id = $5`,
    [sql.tenantId, patterns, PICKER_SIZE + 1, options.customer ?? null, options.contact ?? null]);
  const of = (kind: string) => rows.filter((r) => r.kind === kind).sort((a, b) => a.ord - b.ord);
  const found = of('c');
  const customers = [...of('k'), ...found.slice(0, PICKER_SIZE)].map((r) => ({ id: r.id, name: r.name, isDefault: r.flag }));
  const requester = of('r')[0];
  return {
    technicians: of('t').map((r) => ({ id: r.id, name: r.name, active: r.flag })),
    picker: { customers, more: found.length > PICKER_SIZE },
    requester: requester ? fullName({ firstName: requester.name, lastName: requester.last_name ?? '', email: requester.email ?? '' }) : undefined,
  };
}

/**
 * The conditions of a saved filter (a view and what the form adds), without the search:
 * the list and the dashboard's counts (overview.ts) both read them, so a tile counts what its list shows.
 */
export function filterConditions(filters: Omit<TicketFilters, 'page'>, me: { id: number }): Where {
  let w = where();
  const rule = VIEW_RULES[filters.view ?? 'all'];
  if (rule.statuses) w = and(w, 't.status = any($?::text[])', rule.statuses);
  if (rule.assignee === 'me') w = and(w, 't.assignee_id = $?', me.id);
  if (rule.assignee === 'none') w = and(w, 't.assignee_id is null');
  if (rule.updatedWithinDays) w = and(w, "t.updated_at > now() - $?::int * interval '1 day'", rule.updatedWithinDays);
  if (filters.status) w = and(w, 't.status = $?', filters.status);
  if (filters.priority) w = and(w, 't.priority = $?', filters.priority);
  if (filters.customer) w = and(w, 't.customer_id = $?', filters.customer);
  if (filters.contact) w = and(w, 't.contact_id = $?', filters.contact);
  if (filters.mine) w = and(w, 't.assignee_id = $?', me.id);
  if (filters.assignee === 'none') w = and(w, 't.assignee_id is null');
  else if (filters.assignee) w = and(w, 't.assignee_id = $?', filters.assignee);
  return w;
}

/** The technician ticket list (a view, its filters, the search, the sort); `language`: the workspace's, which the search stems in. */
export function listTickets(sql: Sql, filters: Omit<TicketFilters, 'view'> & { view?: TicketFilters['view'] }, me: { id: number }, language: Language = 'en'): Promise<TicketPage> {
  const w = filterConditions({ ...filters, view: filters.view ?? 'all' }, me);
  const search = filters.q ? searchHits(filters.q, language) : undefined;
  return pageOf(sql, { w, page: filters.page, search, sort: filters.sort, dir: filters.dir });
}

/** The ids of every ticket a saved filter (and its search) holds, at most `limit` + 1 of them (a bulk action on "all matching"). */
export async function ticketIdsMatching(sql: Sql, filters: TicketFilters, me: { id: number }, language: Language, limit: number): Promise<number[]> {
  const w = filterConditions(filters, me);
  const search = filters.q ? searchHits(filters.q, language) : undefined;
  const head = search ? `with ${numbered(search.sql, 1)} ` : '';
  const n = 1 + (search?.params.length ?? 0);
  const conditions = numbered(['t.tenant_id = $?', ...w.sql].join(' and '), n);
  const rows = await sql.query<{ id: number }>(
    `${head}select t.id from ${search ? 'tickets t join hits h on h.id = t.id' : 'tickets t'} where ${conditions} order by t.id limit $${n + 1 + w.params.length}`,
    [...(search?.params ?? []), sql.tenantId, ...w.params, limit + 1]);
  return rows.map((r) => r.id);
}

/** The open and pending tickets assigned to this technician, most recently updated first (the dashboard). */
export function listActiveTicketsOf(sql: Sql, me: { id: number }): Promise<TicketPage> {
  return pageOf(sql, { w: filterConditions({ view: 'mine' }, me), page: 1 });
}

/** A contact's own tickets ("My tickets"). */
export function listContactTickets(sql: Sql, contact: { id: number }, status: TicketStatus | undefined, page: number): Promise<TicketPage> {
  let w = and(where(), 't.contact_id = $?', contact.id);
  if (status) w = and(w, 't.status = $?', status);
  return pageOf(sql, { w, page });
}

/** Every ticket of a main contact's customer; NotFound for anyone else. */
export function listCompanyTickets(sql: Sql, contact: { isMain: boolean; customer: { id: number } }, status: TicketStatus | undefined, page: number): Promise<TicketPage> {
  if (!contact.isMain) throw new NotFoundError();
  let w = and(where(), 't.customer_id = $?', contact.customer.id);
  if (status) w = and(w, 't.status = $?', status);
  return pageOf(sql, { w, page });
}

/**
 * A ticket of the current tenant (the ORM filter and RLS scope it), or NotFound.
 * `forChange` locks its row until the unit of work ends: load it so before changing it or replying.
 */
export async function findTicket(em: Em, number: number, options: { forChange?: boolean } = {}): Promise<Ticket> {
  if (options.forChange && !(await lockForChange(em, Ticket, { number }))) throw new NotFoundError();
  return em.findOneOrFail(Ticket, { number }, { populate: ['customer', 'contact', 'assignee', 'openedBy'], strategy: 'joined' });
}

/**
 * A ticket the contact may see: they are its requester, or a main contact of its
 * customer. The rule is in the query, so a ticket they may not see is the same 404
 * as one that does not exist.
 */
export async function findTicketForContact(em: Em, contact: Contact, number: number, options: { forChange?: boolean } = {}): Promise<Ticket> {
  const scope: FilterQuery<Ticket> = contact.isMain
    ? { number, $or: [{ contact: contact.id }, { customer: contact.customer.id }] }
    : { number, contact: contact.id };
  if (options.forChange && !(await lockForChange(em, Ticket, scope))) throw new NotFoundError();
  return em.findOneOrFail(Ticket, scope, { populate: ['customer', 'contact', 'openedBy'], strategy: 'joined' });
}

/** The conversation, oldest first; `publicOnly` leaves internal notes out (the portal). */
export function conversationOf(em: Em, ticket: Ticket, publicOnly: boolean): Promise<TicketMessage[]> {
  return em.find(TicketMessage, { ticket, ...(publicOnly ? { internal: false } : {}) }, {
    populate: ['authorContact', 'authorTechnician', 'quotedText'], strategy: 'joined', orderBy: { id: 'asc' },
  });
}
