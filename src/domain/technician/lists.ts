// Admin > Technicians as plain rows (lists are SQL, records are entities), scoped by
// hand to the unit of work's tenant; RLS holds beneath. "Open tickets" counts status
// open only — exactly what the list it links to (/tickets?assignee=ID&status=open) shows.
import type { Sql } from '../../db/sql.js';
import type { TechnicianRole } from './technician.js';
import { statusOf, type TechnicianStatus } from './administration.js';

export interface TechnicianRow {
  id: number; name: string; email: string; role: TechnicianRole; status: TechnicianStatus; lastLoginAt: Date | null; openTickets: number;
}

export async function listTechnicians(sql: Sql): Promise<TechnicianRow[]> {
  const rows = await sql.query<{ id: number; name: string; email: string; role: TechnicianRole; active: boolean; has_password: boolean; last_login_at: Date | null; open_tickets: number }>(
    `select te.id, te.name, te.email, te.role, te.active, te.password_hash is not null as has_password, te.last_login_at,
       (select count(*)::int from tickets t where t.tenant_id = te.tenant_id and t.assignee_id = te.id and t.status = 'open') as open_tickets
     from technicians te where te.tenant_id = $1 order by te.name, te.id`, [sql.tenantId]);
  return rows.map((r) => ({
    id: r.id, name: r.name, email: r.email, role: r.role, lastLoginAt: r.last_login_at, openTickets: r.open_tickets,
    status: statusOf({ active: r.active, passwordHash: r.has_password ? 'set' : null }),
  }));
}

/** The open tickets assigned to one technician (the count their page links to the list of). */
export async function openTicketsOf(sql: Sql, technicianId: number): Promise<number> {
  const row = await sql.one<{ n: number }>(`select count(*)::int as n from tickets where tenant_id = $1 and assignee_id = $2 and status = 'open'`, [sql.tenantId, technicianId]);
  return row?.n ?? 0;
}

/** Where that count leads: the ticket list, filtered the same way. */
export function openTicketsPath(technicianId: number): string {
  return `/tickets?status=open&assignee=${technicianId}`;
}
