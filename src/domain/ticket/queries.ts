// Reading tickets: the technician list (one query for the rows, one count), the
// portal lists, and the loaders that fetch a ticket by number through the reader's scope.
import type { FilterQuery } from '@mikro-orm/core';
import type { QBFilterQuery } from '@mikro-orm/postgresql';
import type { Em } from '../../db/orm.js';
import { NotFoundError } from '../../lib/validation.js';
import type { Contact } from '../contact/contact.js';
import type { Technician } from '../technician/technician.js';
import { PRIORITIES, STATUSES, Ticket, TicketMessage, type TicketPriority, type TicketStatus } from './ticket.js';

export const PAGE_SIZE = 50;

export interface TicketFilters {
  status?: TicketStatus;
  priority?: TicketPriority;
  customer?: number;
  /** A technician id, or 'none' for unassigned tickets. */
  assignee?: number | 'none';
  mine?: boolean;
  q?: string;
  page: number;
}

const positiveId = (v: unknown): number | undefined => {
  const n = Number(v);
  return Number.isSafeInteger(n) && n > 0 && n < 2_147_483_648 ? n : undefined;
};

/** Filters from the query string; anything unknown is ignored, never an error. */
export function parseFilters(query: Record<string, unknown>): TicketFilters {
  const one = (v: unknown) => (Array.isArray(v) ? v[0] : v);
  const status = one(query.status), priority = one(query.priority), assignee = one(query.assignee);
  return {
    status: STATUSES.includes(status as TicketStatus) ? (status as TicketStatus) : undefined,
    priority: PRIORITIES.includes(priority as TicketPriority) ? (priority as TicketPriority) : undefined,
    customer: positiveId(one(query.customer)),
    assignee: assignee === 'none' ? 'none' : positiveId(assignee),
    mine: one(query.mine) === '1',
    q: typeof one(query.q) === 'string' ? String(one(query.q)).trim().slice(0, 200) || undefined : undefined,
    page: Math.min(100_000, positiveId(one(query.page)) ?? 1),
  };
}

/** The filters as a query string (for paging links and the bookmarkable URL). */
export function filtersQuery(filters: TicketFilters, page = filters.page): string {
  const params = new URLSearchParams();
  if (filters.q) params.set('q', filters.q);
  if (filters.status) params.set('status', filters.status);
  if (filters.priority) params.set('priority', filters.priority);
  if (filters.customer) params.set('customer', String(filters.customer));
  if (filters.assignee) params.set('assignee', String(filters.assignee));
  if (filters.mine) params.set('mine', '1');
  if (page > 1) params.set('page', String(page));
  const s = params.toString();
  return s ? `?${s}` : '';
}

const likeEscape = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

export interface TicketPage { tickets: Ticket[]; total: number; page: number; pages: number }

// The columns a list shows; the joined relations come in the same query.
const LIST_FIELDS = [
  'number', 'title', 'status', 'priority', 'type', 'updatedAt', 'createdAt',
  'customer.name', 'contact.firstName', 'contact.lastName', 'contact.email', 'assignee.name',
] as const;

async function pageOf(em: Em, where: FilterQuery<Ticket>, page: number, populate: Array<'customer' | 'contact' | 'assignee'>): Promise<TicketPage> {
  // One query for the rows (to-one relations joined in), one plain count.
  const [tickets, total] = await Promise.all([
    em.find(Ticket, where, {
      populate, strategy: 'joined', fields: LIST_FIELDS.filter((f) => !f.includes('.') || populate.some((p) => f.startsWith(`${p}.`))) as never,
      orderBy: { updatedAt: 'desc', id: 'desc' }, limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE,
    }),
    countOf(em, where),
  ]);
  // The rows carry only the list's columns: a list never shows the description.
  return { tickets: tickets as unknown as Ticket[], total, page, pages: Math.max(1, Math.ceil(total / PAGE_SIZE)) };
}

/**
 * A plain count of the tickets table. (em.count would join every to-one relation
 * to re-apply the tenant filter on it; the rows' own tenant filter and RLS suffice.)
 */
async function countOf(em: Em, where: FilterQuery<Ticket>): Promise<number> {
  const qb = em.createQueryBuilder(Ticket, 't').where(where as QBFilterQuery<Ticket>);
  await qb.applyFilters();
  return qb.getCount();
}

/** The technician ticket list. */
export function listTickets(em: Em, filters: TicketFilters, me: Technician): Promise<TicketPage> {
  const where: Record<string, unknown> = {};
  if (filters.status) where.status = filters.status;
  if (filters.priority) where.priority = filters.priority;
  if (filters.customer) where.customer = filters.customer;
  if (filters.mine) where.assignee = me.id;
  else if (filters.assignee === 'none') where.assignee = null;
  else if (filters.assignee) where.assignee = filters.assignee;
  if (filters.q) {
    const like = `%${likeEscape(filters.q)}%`;
    where.$or = [{ title: { $ilike: like } }, { description: { $ilike: like } }];
  }
  return pageOf(em, where as FilterQuery<Ticket>, filters.page, ['customer', 'contact', 'assignee']);
}

/** A contact's own tickets ("My tickets"). */
export function listContactTickets(em: Em, contact: Contact, status: TicketStatus | undefined, page: number): Promise<TicketPage> {
  return pageOf(em, { contact: contact.id, ...(status ? { status } : {}) }, page, []);
}

/** Every ticket of a main contact's customer; NotFound for anyone else. */
export function listCompanyTickets(em: Em, contact: Contact, status: TicketStatus | undefined, page: number): Promise<TicketPage> {
  if (!contact.isMain) throw new NotFoundError();
  return pageOf(em, { customer: contact.customer.id, ...(status ? { status } : {}) }, page, ['contact']);
}

/** A ticket number from the URL, or NotFound. */
export function numberParam(value: unknown): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n <= 0 || n > 2_147_483_647 || String(n) !== String(value)) throw new NotFoundError();
  return n;
}

/** A ticket of the current tenant (the ORM filter and RLS scope it), or NotFound. */
export async function findTicket(em: Em, number: number): Promise<Ticket> {
  const ticket = await em.findOne(Ticket, { number }, { populate: ['customer', 'contact', 'assignee'], strategy: 'joined' });
  if (!ticket) throw new NotFoundError();
  return ticket;
}

/**
 * A ticket the contact may see: they are its requester, or a main contact of its
 * customer. The rule is in the query, so a ticket they may not see is the same 404
 * as one that does not exist.
 */
export async function findTicketForContact(em: Em, contact: Contact, number: number): Promise<Ticket> {
  const scope: FilterQuery<Ticket> = contact.isMain
    ? { number, $or: [{ contact: contact.id }, { customer: contact.customer.id }] }
    : { number, contact: contact.id };
  const ticket = await em.findOne(Ticket, scope, { populate: ['customer', 'contact'], strategy: 'joined' });
  if (!ticket) throw new NotFoundError();
  return ticket;
}

/** The conversation, oldest first; `publicOnly` leaves internal notes out (the portal). */
export function conversationOf(em: Em, ticket: Ticket, publicOnly: boolean): Promise<TicketMessage[]> {
  return em.find(TicketMessage, { ticket, ...(publicOnly ? { internal: false } : {}) }, {
    populate: ['authorContact', 'authorTechnician'], strategy: 'joined', orderBy: { id: 'asc' },
  });
}
