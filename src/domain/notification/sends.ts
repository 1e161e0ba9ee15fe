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

/** The history row an assignment or a status change just wrote (flushed): the event's key. */
export async function lastHistoryId(em: Em, ticketId: number, field: string): Promise<number> {
  const [row] = await em.execute<Array<{ id: number }>>('select max(id) as id from ticket_events where ticket_id = ? and field = ?', [ticketId, field]);
  return row?.id ?? 0;
}

/** *Ticket resolved*'s key for the resolution just recorded: the reply that resolves a ticket claims it too. */
export async function resolutionKey(em: Em, ticketId: number): Promise<string> {
  return `resolved:${ticketId}:${await lastHistoryId(em, ticketId, 'status')}`;
}
