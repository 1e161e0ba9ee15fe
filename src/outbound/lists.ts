// The mail log (Admin > Mail Log) as plain rows through prepared SQL (lists are SQL,
// records are entities: see README). Here beside the outbox, where OutboundEmail lives.
// Scoped by hand to the unit of work's tenant; RLS holds beneath. One email's page
// (its masked copy) loads the entity.
import type { Sql } from '../db/sql.js';
import { PAGE_SIZE } from '../lib/parse.js';
import type { EmailStatus } from './outbound-email.js';

/** A row of the mail log: no body, only what the list shows. */
export interface MailLogRow {
  id: number; createdAt: Date; toAddress: string; toName: string | null; subject: string;
  status: EmailStatus; attempts: number; lastError: string | null;
}

interface RawRow {
  total: number; id: number | null; created_at: Date; to_address: string; to_name: string | null; subject: string;
  status: EmailStatus; attempts: number; last_error: string | null;
}

const MATCHING = 'tenant_id = $1 and ($2::text is null or status = $2)';

/** A page of outgoing email, newest first, and the count of all matching; `status` keeps to one. */
export async function listMailLog(sql: Sql, query: { status?: EmailStatus; page: number }): Promise<{ emails: MailLogRow[]; total: number }> {
  const raw = await sql.query<RawRow>(
    `with total as (select count(*)::int as n from outbound_emails where ${MATCHING}),
          page as (select id, created_at, to_address, to_name, subject, status, attempts, last_error
            from outbound_emails where ${MATCHING} order by id desc limit $3 offset $4)
     select total.n as total, p.* from total left join page p on true order by p.id desc`,
    [sql.tenantId, query.status ?? null, PAGE_SIZE, (query.page - 1) * PAGE_SIZE]);
  const emails = raw.filter((r) => r.id !== null).map((r): MailLogRow => ({
    id: r.id!, createdAt: new Date(r.created_at), toAddress: r.to_address, toName: r.to_name, subject: r.subject,
    status: r.status, attempts: r.attempts, lastError: r.last_error,
  }));
  return { emails, total: Number(raw[0]?.total ?? 0) };
}
