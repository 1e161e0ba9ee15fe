// Which mailboxes are due for a poll (mailbox_polls: no tenant data, read without RLS).
import { globalEm } from '../db/unit-of-work.js';

export async function dueMailboxes(limit = 200): Promise<Array<{ tenantId: number; mailboxId: number }>> {
  const rows = await globalEm().getConnection().execute<Array<{ tenant_id: number; mailbox_id: number }>>(
    `select tenant_id, mailbox_id from mailbox_polls where next_poll_at <= now() and (lease_until is null or lease_until < now())
      order by next_poll_at limit ?`, [limit]);
  return rows.map((r) => ({ tenantId: r.tenant_id, mailboxId: r.mailbox_id }));
}
