// The dashboard's numbers: what is waiting, for whom — one query, scoped by tenant.
import type { Em } from '../../db/orm.js';
import type { Technician } from '../technician/technician.js';

export interface TicketOverview {
  open: number;
  pending: number;
  unassigned: number;
  mine: number;
  critical: number;
  resolvedThisWeek: number;
}

export async function ticketOverview(em: Em, me: Technician): Promise<TicketOverview> {
  const [row] = await em.execute<Array<Record<keyof TicketOverview, number>>>(
    `select count(*) filter (where status = 'open')::int as open,
            count(*) filter (where status = 'pending')::int as pending,
            count(*) filter (where status in ('open', 'pending') and assignee_id is null)::int as unassigned,
            count(*) filter (where status in ('open', 'pending') and assignee_id = ?)::int as mine,
            count(*) filter (where status in ('open', 'pending') and priority = 'critical')::int as critical,
            count(*) filter (where status = 'resolved' and updated_at > now() - interval '7 days')::int as "resolvedThisWeek"
       from tickets where tenant_id = ?`, [me.id, me.tenant.id]);
  return row;
}
