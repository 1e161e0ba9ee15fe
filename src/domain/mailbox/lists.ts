// The ingest log (Admin > Incoming Mail) as plain rows through prepared SQL (lists are
// SQL, records are entities: see README). Scoped by hand to the unit of work's tenant on
// every table; RLS holds beneath. A row's review (admit, dismiss, retry) loads the entity.
import type { Sql } from '../../db/sql.js';
import { PAGE_SIZE } from '../../lib/parse.js';
import { containsPattern } from '../../lib/search.js';
import type { Outcome } from './inbound-message.js';

export interface InboundFilters { outcome?: Outcome; mailbox?: number; sender?: string; page: number }

/** A row of the ingest log as the list shows it, with its mailbox's address and its ticket's number joined in. */
export interface InboundRow {
  id: number; createdAt: Date; outcome: Outcome; reason: string; attempts: number;
  mailboxId: number | null; mailboxAddress: string | null;
  fromAddress: string | null; fromName: string | null; contactId: number | null;
  subject: string; size: number; ticketId: number | null; ticketNumber: number | null;
}

interface RawRow {
  total: number; id: number | null; created_at: Date; outcome: Outcome; reason: string; attempts: number;
  mailbox_id: number | null; mailbox_address: string | null; from_address: string | null; from_name: string | null; contact_id: number | null;
  subject: string; size: number; ticket_id: number | null; ticket_number: number | null;
}

// The count and the page each read the table under the same conditions (not one
// materialized CTE), so the page walks inbound_messages_recent and stops at its limit.
const MATCHING = `tenant_id = $1 and ($2::text is null or outcome = $2) and ($3::int is null or mailbox_id = $3)
  and ($4::text is null or from_address ilike $4)`;

/**
 * A page of the ingest log, newest first, and the count of all matching: `outcome` and
 * `mailbox` keep to one; `sender` is a part of the sender's address (its `%`, `_` and
 * `\` match themselves). `total left join page` yields the count even past the last page.
 */
export async function listInboundMessages(sql: Sql, filters: InboundFilters): Promise<{ rows: InboundRow[]; total: number }> {
  const raw = await sql.query<RawRow>(
    `with total as (select count(*)::int as n from inbound_messages where ${MATCHING}),
          page as (select id, created_at, outcome, reason, attempts, mailbox_id, from_address, from_name, contact_id, subject, size, ticket_id
            from inbound_messages where ${MATCHING} order by created_at desc, id desc limit $5 offset $6)
     select total.n as total, p.*, m.address as mailbox_address, t.number as ticket_number
     from total left join (page p
       left join mailboxes m on m.id = p.mailbox_id and m.tenant_id = $1
       left join tickets t on t.id = p.ticket_id and t.tenant_id = $1) on true
     order by p.created_at desc, p.id desc`,
    [sql.tenantId, filters.outcome ?? null, filters.mailbox ?? null, filters.sender ? containsPattern(filters.sender) : null,
      PAGE_SIZE, (filters.page - 1) * PAGE_SIZE]);
  const rows = raw.filter((r) => r.id !== null).map((r): InboundRow => ({
    id: r.id!, createdAt: new Date(r.created_at), outcome: r.outcome, reason: r.reason, attempts: r.attempts,
    mailboxId: r.mailbox_id, mailboxAddress: r.mailbox_address,
    fromAddress: r.from_address, fromName: r.from_name, contactId: r.contact_id,
    subject: r.subject, size: r.size, ticketId: r.ticket_id, ticketNumber: r.ticket_number,
  }));
  return { rows, total: Number(raw[0]?.total ?? 0) };
}

/** The mailboxes the log's filter offers, by address. */
export function mailboxChoices(sql: Sql): Promise<Array<{ id: number; address: string }>> {
  return sql.query('select id, address from mailboxes where tenant_id = $1 order by address, id', [sql.tenantId]);
}
