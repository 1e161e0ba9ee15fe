// Reading tickets: the technician list (one query for the rows, one count), the
// portal lists, and the loaders that fetch a ticket by number through the reader's scope.
import type { FilterQuery } from '@mikro-orm/core';
import { lockForChange } from '../../db/locks.js';
import type { Em } from '../../db/orm.js';
import { PAGE_SIZE, pageCount } from '../../lib/parse.js';
import { containsPattern } from '../../lib/search.js';
import { NotFoundError } from '../../lib/validation.js';
import { fullName, type Contact } from '../contact/contact.js';
import type { Sql } from '../../db/sql.js';
import { Ticket, TicketMessage, type TicketPriority, type TicketStatus } from './ticket.js';


export interface TicketFilters {
  status?: TicketStatus;
  priority?: TicketPriority;
  customer?: number;
  /** The requester (the contact page's *All tickets* link). */
  contact?: number;
  /** A technician id, or 'none' for unassigned tickets. */
  assignee?: number | 'none';
  mine?: boolean;
  q?: string;
  page: number;
}

/** A row of a ticket list: the ticket's columns with the names the list shows. */
export interface TicketRow {
  number: number;
  title: string;
  status: TicketStatus;
  priority: TicketPriority;
  type: string;
  createdAt: Date;
  updatedAt: Date;
  customer: { name: string };
  contact: { fullName: string; email: string };
  /** An inactive (deactivated) technician keeps their tickets, shown as inactive. */
  assignee: { name: string; active: boolean } | null;
}

export interface TicketPage { tickets: TicketRow[]; total: number; page: number; pages: number }

interface RawRow {
  total: number;
  number: number; title: string; status: TicketStatus; priority: TicketPriority; type: string; created_at: Date; updated_at: Date;
  customer_name: string; first_name: string; last_name: string; email: string; assignee_name: string | null; assignee_active: boolean | null;
}

/** Conditions on the tickets table (alias t) as SQL; `$?` stands for the next parameter. */
interface Where { sql: string[]; params: unknown[] }

const where = (): Where => ({ sql: [], params: [] });
const and = (w: Where, sql: string, ...params: unknown[]): Where => ({ sql: [...w.sql, sql], params: [...w.params, ...params] });

/**
 * One page of tickets and the count of all matching, in one round trip: the page's
 * rows with customer, requester and assignee joined in. Lists read plain rows through
 * prepared statements, not entities: hydrating 200 entities a page, and planning
 * the query on every visit, cost more than the rest of the request (bench/pages).
 * The SQL is scoped by hand to the unit of work's tenant on every table, and RLS
 * holds beneath.
 */
async function pageOf(sql: Sql, w: Where, page: number): Promise<TicketPage> {
  let n = 1;
  const conditions = ['t.tenant_id = $?', ...w.sql].join(' and ').replace(/\$\?/g, () => `$${n++}`);
  const params = [sql.tenantId, ...w.params];
  // `total left join page` always yields a row, so the count arrives even past the last page.
  const rows = await sql.query<RawRow>(`with total as (select count(*)::int as n from tickets t where ${conditions}),
      page as (select t.id, t.tenant_id, t.number, t.title, t.status, t.priority, t.type, t.created_at, t.updated_at, t.customer_id, t.contact_id, t.assignee_id
        from tickets t where ${conditions} order by t.updated_at desc, t.id desc limit $${n} offset $${n + 1})
    select total.n as total, p.number, p.title, p.status, p.priority, p.type, p.created_at, p.updated_at,
      cu.name as customer_name, ct.first_name, ct.last_name, ct.email, te.name as assignee_name, te.active as assignee_active
    from total left join (page p
      join customers cu on cu.id = p.customer_id and cu.tenant_id = p.tenant_id
      join contacts ct on ct.id = p.contact_id and ct.tenant_id = p.tenant_id
      left join technicians te on te.id = p.assignee_id and te.tenant_id = p.tenant_id) on true
    order by p.updated_at desc, p.id desc`, [...params, PAGE_SIZE, (page - 1) * PAGE_SIZE]);
  const tickets = rows.filter((r) => r.number !== null).map((r): TicketRow => ({
    number: r.number, title: r.title, status: r.status, priority: r.priority, type: r.type,
    createdAt: new Date(r.created_at), updatedAt: new Date(r.updated_at),
    customer: { name: r.customer_name },
    contact: { fullName: fullName({ firstName: r.first_name, lastName: r.last_name, email: r.email }), email: r.email },
    assignee: r.assignee_name === null ? null : { name: r.assignee_name, active: r.assignee_active !== false },
  }));
  const total = Number(rows[0]?.total ?? 0);
  return { tickets, total, page, pages: pageCount(total) };
}

/**
 * The technicians the list's filter offers (its customers come through a picker: customerChoices); inactive
 * technicians come last, so their tickets can still be found.
 */
export async function filterChoices(sql: Sql): Promise<{ technicians: Array<{ id: number; name: string; active: boolean }> }> {
  const technicians = await sql.query<{ id: number; name: string; active: boolean }>(
    'select id, name, active from technicians where tenant_id = $1 order by active desc, lower(name), id', [sql.tenantId]);
  return { technicians };
}

/** The name of the requester the list is filtered by, if it is one of this tenant's contacts. */
export async function requesterName(sql: Sql, contactId: number | undefined): Promise<string | undefined> {
  if (!contactId) return undefined;
  const row = await sql.one<{ first_name: string; last_name: string; email: string }>(
    'select first_name, last_name, email from contacts where id = $1 and tenant_id = $2', [contactId, sql.tenantId]);
  return row ? fullName({ firstName: row.first_name, lastName: row.last_name, email: row.email }) : undefined;
}

/** The technician ticket list. */
export function listTickets(sql: Sql, filters: TicketFilters, me: { id: number }): Promise<TicketPage> {
  let w = where();
  if (filters.status) w = and(w, 't.status = $?', filters.status);
  if (filters.priority) w = and(w, 't.priority = $?', filters.priority);
  if (filters.customer) w = and(w, 't.customer_id = $?', filters.customer);
  if (filters.contact) w = and(w, 't.contact_id = $?', filters.contact);
  if (filters.mine) w = and(w, 't.assignee_id = $?', me.id);
  else if (filters.assignee === 'none') w = and(w, 't.assignee_id is null');
  else if (filters.assignee) w = and(w, 't.assignee_id = $?', filters.assignee);
  if (filters.q) {
    const like = containsPattern(filters.q);
    w = and(w, "(t.title ilike $? escape '\\' or t.description ilike $? escape '\\')", like, like);
  }
  return pageOf(sql, w, filters.page);
}

/** The open and pending tickets assigned to this technician, most recently updated first (the dashboard). */
export function listActiveTicketsOf(sql: Sql, me: { id: number }): Promise<TicketPage> {
  return pageOf(sql, and(where(), "t.assignee_id = $? and t.status in ('open', 'pending')", me.id), 1);
}

/** A contact's own tickets ("My tickets"). */
export function listContactTickets(sql: Sql, contact: { id: number }, status: TicketStatus | undefined, page: number): Promise<TicketPage> {
  let w = and(where(), 't.contact_id = $?', contact.id);
  if (status) w = and(w, 't.status = $?', status);
  return pageOf(sql, w, page);
}

/** Every ticket of a main contact's customer; NotFound for anyone else. */
export function listCompanyTickets(sql: Sql, contact: { isMain: boolean; customer: { id: number } }, status: TicketStatus | undefined, page: number): Promise<TicketPage> {
  if (!contact.isMain) throw new NotFoundError();
  let w = and(where(), 't.customer_id = $?', contact.customer.id);
  if (status) w = and(w, 't.status = $?', status);
  return pageOf(sql, w, page);
}

/**
 * A ticket of the current tenant (the ORM filter and RLS scope it), or NotFound.
 * `forChange` locks its row until the unit of work ends: load it so before changing it or replying.
 */
export async function findTicket(em: Em, number: number, options: { forChange?: boolean } = {}): Promise<Ticket> {
  if (options.forChange && !(await lockForChange(em, Ticket, { number }))) throw new NotFoundError();
  return em.findOneOrFail(Ticket, { number }, { populate: ['customer', 'contact', 'assignee'], strategy: 'joined' });
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
  return em.findOneOrFail(Ticket, scope, { populate: ['customer', 'contact'], strategy: 'joined' });
}

/** The conversation, oldest first; `publicOnly` leaves internal notes out (the portal). */
export function conversationOf(em: Em, ticket: Ticket, publicOnly: boolean): Promise<TicketMessage[]> {
  return em.find(TicketMessage, { ticket, ...(publicOnly ? { internal: false } : {}) }, {
    populate: ['authorContact', 'authorTechnician', 'quotedText'], strategy: 'joined', orderBy: { id: 'asc' },
  });
}
