// How long the raw bytes of an incoming message are kept: 30 days after it was last handled.
import { inTenantWork } from '../db/unit-of-work.js';
import type { Sql } from '../db/sql.js';

export const KEEP_RAW_DAYS = 30;
/** Outcomes an admin may still act on (download, create the contact, retry): their bytes stay. */
const PENDING = ['rejected_unknown_sender', 'rejected_blocked_contact', 'retrying', 'failed'];

/** Drops the raw bytes of the tenant's handled messages older than KEEP_RAW_DAYS, in the unit of work of `sql`. */
export async function pruneRawMessagesIn(sql: Sql, now = new Date()): Promise<number> {
  const rows = await sql.query<{ id: number }>(
    `update inbound_messages set raw = null where tenant_id = $1 and raw is not null and outcome <> all($2::text[])
      and updated_at < $3::timestamptz - make_interval(days => $4) returning id`, [sql.tenantId, PENDING, now, KEEP_RAW_DAYS]);
  return rows.length;
}

export function pruneRawMessages(tenantId: number, now = new Date()): Promise<number> {
  return inTenantWork(tenantId, ({ sql }) => pruneRawMessagesIn(sql, now));
}
