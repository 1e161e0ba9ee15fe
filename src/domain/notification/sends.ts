// notification_sends: (kind, event key, recipient) once, so one event never notifies one person twice.
import type { Em } from '../../db/orm.js';
import type { NotificationKind } from './kinds.js';

/** Claims (kind, key, recipient) once: false when the notification was already sent for this event. */
export async function claimSend(em: Em, tenantId: number, kind: NotificationKind, key: string, recipient: string): Promise<boolean> {
  const rows = await em.execute<Array<{ id: number }>>(
    'insert into notification_sends (tenant_id, kind, event_key, recipient) values (?, ?, ?, ?) on conflict do nothing returning id',
    [tenantId, kind, key.slice(0, 100), recipient.toLowerCase().slice(0, 320)]);
  return rows.length > 0;
}
