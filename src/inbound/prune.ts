// How long the raw bytes of an incoming message are kept: 30 days after it was last handled.
import { inTenantWork } from '../db/unit-of-work.js';

export const KEEP_RAW_DAYS = 30;
/** Outcomes an admin may still act on (download, create the contact, retry): their bytes stay. */
const PENDING = ['rejected_unknown_sender', 'rejected_blocked_contact', 'retrying', 'failed'];

export async function pruneRawMessages(tenantId: number, now = new Date()): Promise<number> {
  return inTenantWork(tenantId, async ({ sql }) => {
    const rows = await sql.query<{ id: number }>(
      `update inbound_messages set raw = null where tenant_id = $1 and raw is not null and outcome <> all($2::text[])
        and updated_at < $3::timestamptz - make_interval(days => $4) returning id`, [tenantId, PENDING, now, KEEP_RAW_DAYS]);
    return rows.length;
  });
}
