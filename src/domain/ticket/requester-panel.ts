// The ticket page's requester panel: the requester's phone and their other open (or
// pending) tickets, in ONE statement however many there are — a lateral join that
// aggregates them as JSON, newest activity first. Scoped by hand to the unit of work's
// tenant (raw SQL passes the ORM's filter by); RLS holds beneath.
import type { Sql } from '../../db/sql.js';
import type { TicketStatus } from './ticket.js';

/** How many of the requester's other open tickets the panel lists; `more` says there are others. */
export const PANEL_TICKETS = 10;

export interface RequesterPanel {
  phone: string;
  openTickets: Array<{ number: number; title: string; status: TicketStatus; updatedAt: Date }>;
  more: boolean;
}

interface Raw { phone: string; open: Array<{ number: number; title: string; status: TicketStatus; updated_at: string }> | null; total: number }

export async function requesterPanel(sql: Sql, ticket: { id: number; contact: { id: number } }): Promise<RequesterPanel> {
  const row = await sql.one<Raw>(
    `select c.phone, o.open, o.total from contacts c
     left join lateral (
       select json_agg(json_build_object('number', t.number, 'title', t.title, 'status', t.status, 'updated_at', t.updated_at)
                       order by t.updated_at desc, t.id desc) filter (where t.rank <= $4) as open,
              count(*)::int as total
       from (select t.number, t.title, t.status, t.updated_at, t.id, row_number() over (order by t.updated_at desc, t.id desc) as rank
             from tickets t
             where t.tenant_id = $1 and t.contact_id = c.id and t.id <> $3 and t.status in ('open', 'pending')) t
     ) o on true
     where c.tenant_id = $1 and c.id = $2`,
    [sql.tenantId, ticket.contact.id, ticket.id, PANEL_TICKETS]);
  const open = row?.open ?? [];
  return {
    phone: row?.phone ?? '',
    openTickets: open.map((t) => ({ number: t.number, title: t.title, status: t.status, updatedAt: new Date(t.updated_at) })),
    more: Number(row?.total ?? 0) > open.length,
  };
}
