// The ticket list's saved filters ("views"): each a named starting point that the list's
// own filters then narrow. The dashboard's tiles are views too (overview.ts), so a tile
// counts exactly what the list it opens shows: one filter object drives both.
import type { TicketPriority, TicketStatus } from './ticket.js';

export const VIEWS = ['mine', 'unassigned', 'open', 'recent', 'resolved', 'all'] as const;
export type TicketView = (typeof VIEWS)[number];

export const SORTS = ['number', 'updated', 'priority', 'status'] as const;
export type TicketSort = (typeof SORTS)[number];
export type SortDirection = 'asc' | 'desc';

/** What a list of tickets is narrowed to: a view, then the filters the list's form adds. */
export interface TicketFilters {
  view: TicketView;
  status?: TicketStatus;
  priority?: TicketPriority;
  customer?: number;
  /** The requester (the contact page's *All tickets* link). */
  contact?: number;
  /** A technician id, or 'none' for unassigned tickets. */
  assignee?: number | 'none';
  /** Assigned to the reader (the older `mine=1` links). */
  mine?: boolean;
  q?: string;
  /** Unset: by relevance when searching, else most recently updated first. */
  sort?: TicketSort;
  dir?: SortDirection;
  page: number;
}

/** Each view's name, as a catalogue key. */
export const VIEW_LABEL: Record<TicketView, string> = {
  mine: 'tickets.views.mine', unassigned: 'tickets.views.unassigned', open: 'tickets.views.open',
  recent: 'tickets.views.recent', resolved: 'tickets.views.resolved', all: 'tickets.views.all',
};

/** What each view holds before the form narrows it. */
export interface ViewRule {
  statuses?: readonly TicketStatus[];
  assignee?: 'me' | 'none';
  /** Updated within this many days. */
  updatedWithinDays?: number;
}

export const ACTIVE: readonly TicketStatus[] = ['open', 'pending'];

export const VIEW_RULES: Record<TicketView, ViewRule> = {
  mine: { statuses: ACTIVE, assignee: 'me' },
  unassigned: { statuses: ACTIVE, assignee: 'none' },
  open: { statuses: ACTIVE },
  recent: { updatedWithinDays: 7 },
  resolved: { statuses: ['resolved', 'closed'] },
  all: {},
};

/** A view's filters, nothing narrowed, first page. */
export function viewFilters(view: TicketView, more: Partial<Omit<TicketFilters, 'view'>> = {}): TicketFilters {
  return { view, page: 1, ...more };
}
