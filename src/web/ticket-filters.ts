// The technician ticket list's filters, read from and written back to the query
// string (web parsing: the domain's listTickets takes them as plain values). A bare
// /tickets opens on *My open tickets*; a link with filters but no view (a customer's
// *All tickets*, an older bookmark) narrows *All*.
import { first, parseId, parsePage, parseText } from '../lib/parse.js';
import { PRIORITIES, STATUSES, type TicketPriority, type TicketStatus } from '../domain/ticket/ticket.js';
import { SORTS, VIEWS, type TicketFilters, type TicketSort, type TicketView } from '../domain/ticket/views.js';

const NARROWING = ['q', 'status', 'priority', 'customer', 'contact', 'assignee', 'mine'] as const;

/** The view a list without one shows: mine when nothing narrows it, else all. */
function defaultView(filters: Omit<TicketFilters, 'view' | 'page'>): TicketView {
  return NARROWING.some((k) => filters[k] !== undefined && filters[k] !== false) ? 'all' : 'mine';
}

/** Filters from the query string; anything unknown is ignored, never an error. */
export function parseFilters(query: Record<string, unknown>): TicketFilters {
  const status = first(query.status), priority = first(query.priority), assignee = first(query.assignee);
  const view = first(query.view), sort = first(query.sort), dir = first(query.dir);
  const filters: Omit<TicketFilters, 'view'> = {
    status: STATUSES.includes(status as TicketStatus) ? (status as TicketStatus) : undefined,
    priority: PRIORITIES.includes(priority as TicketPriority) ? (priority as TicketPriority) : undefined,
    customer: parseId(query.customer),
    contact: parseId(query.contact),
    assignee: assignee === 'none' ? 'none' : parseId(assignee),
    mine: first(query.mine) === '1' || undefined,
    q: parseText(query.q),
    sort: SORTS.includes(sort as TicketSort) ? (sort as TicketSort) : undefined,
    dir: dir === 'asc' || dir === 'desc' ? dir : SORTS.includes(sort as TicketSort) ? FIRST_DIRECTION[sort as TicketSort] : undefined,
    page: parsePage(query.page),
  };
  return { ...filters, view: VIEWS.includes(view as TicketView) ? (view as TicketView) : defaultView(filters) };
}

/** The filters as a query string (for paging and sorting links and the bookmarkable URL); the view is left out where it goes without saying. */
export function filtersQuery(filters: TicketFilters, page = filters.page, sort: Pick<TicketFilters, 'sort' | 'dir'> = filters): string {
  const params = new URLSearchParams();
  if (filters.view !== defaultView(filters)) params.set('view', filters.view);
  if (filters.q) params.set('q', filters.q);
  if (filters.status) params.set('status', filters.status);
  if (filters.priority) params.set('priority', filters.priority);
  if (filters.customer) params.set('customer', String(filters.customer));
  if (filters.contact) params.set('contact', String(filters.contact));
  if (filters.assignee) params.set('assignee', String(filters.assignee));
  if (filters.mine) params.set('mine', '1');
  if (sort.sort) params.set('sort', sort.sort);
  if (sort.sort && sort.dir) params.set('dir', sort.dir);
  if (page > 1) params.set('page', String(page));
  const s = params.toString();
  return s ? `?${s}` : '';
}

/** The path of a list: /tickets and its query. */
export function listPath(filters: TicketFilters, page = filters.page): string {
  return `/tickets${filtersQuery(filters, page)}`;
}

/** Each column's first direction when sorted by it: newest, highest number, most urgent first; status from open. */
const FIRST_DIRECTION: Record<TicketSort, 'asc' | 'desc'> = { number: 'desc', updated: 'desc', priority: 'desc', status: 'asc' };

export interface SortLink { href: string; active: boolean; dir: 'asc' | 'desc' }

/** For each sortable column: the link that sorts by it (or reverses it when it is the current sort), and whether it is the current sort. */
export function sortLinks(filters: TicketFilters): Record<TicketSort, SortLink> {
  const current = filters.sort ?? (filters.q ? undefined : 'updated');
  const currentDir = filters.dir ?? (current ? FIRST_DIRECTION[current] : 'desc');
  const links = {} as Record<TicketSort, SortLink>;
  for (const column of SORTS) {
    const active = current === column;
    const next = active ? (currentDir === 'asc' ? 'desc' : 'asc') : FIRST_DIRECTION[column];
    links[column] = { href: `/tickets${filtersQuery(filters, 1, { sort: column, dir: next })}`, active, dir: active ? currentDir : next };
  }
  return links;
}
