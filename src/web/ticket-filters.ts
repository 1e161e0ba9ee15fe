// The technician ticket list's filters, read from and written back to the query
// string (web parsing: the domain's listTickets takes them as plain values).
import { first, parseId, parsePage, parseText } from '../lib/parse.js';
import type { TicketFilters } from '../domain/ticket/queries.js';
import { PRIORITIES, STATUSES, type TicketPriority, type TicketStatus } from '../domain/ticket/ticket.js';

/** Filters from the query string; anything unknown is ignored, never an error. */
export function parseFilters(query: Record<string, unknown>): TicketFilters {
  const status = first(query.status), priority = first(query.priority), assignee = first(query.assignee);
  return {
    status: STATUSES.includes(status as TicketStatus) ? (status as TicketStatus) : undefined,
    priority: PRIORITIES.includes(priority as TicketPriority) ? (priority as TicketPriority) : undefined,
    customer: parseId(query.customer),
    contact: parseId(query.contact),
    assignee: assignee === 'none' ? 'none' : parseId(assignee),
    mine: first(query.mine) === '1',
    q: parseText(query.q),
    page: parsePage(query.page),
  };
}

/** The filters as a query string (for paging links and the bookmarkable URL). */
export function filtersQuery(filters: TicketFilters, page = filters.page): string {
  const params = new URLSearchParams();
  if (filters.q) params.set('q', filters.q);
  if (filters.status) params.set('status', filters.status);
  if (filters.priority) params.set('priority', filters.priority);
  if (filters.customer) params.set('customer', String(filters.customer));
  if (filters.contact) params.set('contact', String(filters.contact));
  if (filters.assignee) params.set('assignee', String(filters.assignee));
  if (filters.mine) params.set('mine', '1');
  if (page > 1) params.set('page', String(page));
  const s = params.toString();
  return s ? `?${s}` : '';
}
