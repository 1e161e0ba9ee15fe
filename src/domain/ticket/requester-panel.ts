// The ticket page's requester panel: the requester's phone and their other open (or
// pending) tickets, however many there are, as part of the ticket page's one statement
// (ticket-page.ts) — a lateral join that aggregates them as JSON, newest activity first.
// Scoped by hand to the unit of work's tenant (raw SQL passes the ORM's filter by); RLS
// holds beneath.
import type { TicketStatus } from './ticket.js';

/** How many of the requester's other open tickets the panel lists; `more` says there are others. */
export const PANEL_TICKETS = 10;

export interface RequesterPanel {
  phone: string;
  openTickets: Array<{ number: number; title: string; status: TicketStatus; updatedAt: Date }>;
  more: boolean;
}

/** What the panel's lateral join gives: the open tickets (at most PANEL_TICKETS) and how many there are. */
export interface RequesterPanelRaw { open: Array<{ number: number; title: string; status: TicketStatus; updated_at: string }> | null; total: number }

/**
 * The lateral join (alias o: o.open, o.total) for the requester `c` (contacts) of the ticket
 * `t`, in tenant `$tenant`, listing at most `$limit` of their other open tickets.
 */
export function requesterPanelJoin(tenant: string, limit: string): string {
  return `left join lateral (
       select json_agg(json_build_object('number', o.number, 'title', o.title, 'status', o.status, 'updated_at', o.updated_at)
                       order by o.updated_at desc, o.id desc) filter (where o.rank <= ${limit}) as open,
              count(*)::int as total
       from (select o.number, o.title, o.status, o.updated_at, o.id, row_number() over (order by o.updated_at desc, o.id desc) as rank
             from tickets o
             where o.tenant_id = ${tenant} and o.contact_id = c.id and o.id <> t.id and o.status in ('open', 'pending')) o
     ) o on true`;
}

export function requesterPanelOf(phone: string | null, raw: RequesterPanelRaw): RequesterPanel {
  const open = raw.open ?? [];
  return {
    phone: phone ?? '',
    openTickets: open.map((o) => ({ number: o.number, title: o.title, status: o.status, updatedAt: new Date(o.updated_at) })),
    more: Number(raw.total ?? 0) > open.length,
  };
}
