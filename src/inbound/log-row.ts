// A message's row in the ingest log, written once with its outcome — and, for a new
// row, the message's bytes, kept for an admin (download, retry) and pruned with the
// row's age, sent as a binary parameter (never through the ORM's change sets). A
// message that opens a ticket or adds to one writes its row in the same statement as
// the ticket (tickets.ts: the `log` part); the others in a statement of their own. A
// retried message updates its own row, whose bytes were kept when it first failed.
import type { TenantWork } from '../db/unit-of-work.js';
import type { IngestResult, IngestSource } from './ingest.js';
import type { InboundMail } from './parse.js';
import { Statement } from './statement.js';

/**
 * A message up to this size goes whole in the statement that writes its row; a larger
 * one this much at a time (each append rewrites the value so far on the server: larger
 * pieces cost the server less, smaller ones the worker's memory).
 */
export const RAW_CHUNK = 4 * 1024 * 1024;

/** What a message's row says: its outcome, and the ticket as a value or as SQL (`t.id` of the statement's ticket). */
export interface LogRow { existingId: number | null; source: IngestSource; mail: InboundMail; result: Omit<IngestResult, 'ticketId'>; ticket: string | number | null }

/**
 * The row's insert (or update) as a part of `s`, named l and returning its id; `fromT`
 * when it reads the statement's first part (t) for the ticket.
 */
export function logRowPart(s: Statement, row: LogRow, fromT: boolean): string {
  const { source, mail, result } = row;
  const ticket = typeof row.ticket === 'string' ? row.ticket : s.p(row.ticket);
  const fields = {
    uid: s.p(source.uid ?? null), uid_validity: s.p(source.uidValidity ?? null),
    from_address: s.p(mail.from?.address.slice(0, 254) ?? null), from_name: s.p(mail.from?.name.slice(0, 200) ?? null),
    subject: s.p(mail.subject.slice(0, 500)), size: s.p(mail.size), updated_at: s.p(new Date()),
    outcome: s.p(result.outcome), reason: s.p(result.reason), ticket_id: ticket, contact_id: s.p(result.contactId ?? null),
  };
  if (row.existingId) {
    const set = Object.entries(fields).map(([column, value]) => `${column} = ${value}`).join(', ');
    return `update inbound_messages set ${set}, last_error = null${fromT ? ' from t' : ''} where inbound_messages.tenant_id = $1 and inbound_messages.id = ${s.p(row.existingId)} returning inbound_messages.id`;
  }
  const raw = source.raw.length <= RAW_CHUNK ? source.raw : source.raw.subarray(0, RAW_CHUNK);
  return `insert into inbound_messages (tenant_id, mailbox_id, message_key, ${Object.keys(fields).join(', ')}, created_at, attempts, last_error, raw)
    select $1, ${s.p(source.mailbox?.id ?? null)}, ${s.p(mail.key)}, ${Object.values(fields).join(', ')}, ${fields.updated_at}, 0, null, ${s.p(raw)}::bytea${fromT ? ' from t' : ''}
    returning id`;
}

/** The rest of a new row's bytes, once its statement has run (`id`: its row). */
export async function finishLogRow(work: TenantWork, row: LogRow, id: number): Promise<void> {
  if (!row.existingId) await appendRaw(work, id, row.source.raw, RAW_CHUNK);
}

/** The row of a message that changed no ticket, in a statement of its own. */
export async function writeLogRow(work: TenantWork, row: LogRow): Promise<void> {
  const s = new Statement(work.tenantId);
  const [{ id }] = await work.sql.query<{ id: number }>(logRowPart(s, row, false), s.params);
  await finishLogRow(work, row, id);
}

/**
 * The bytes of a large message past `from`, RAW_CHUNK at a time on the unit's own
 * connection, so a 25 MB message is never copied whole into a statement on its way.
 */
export async function appendRaw(work: TenantWork, id: number, raw: Buffer, from: number): Promise<void> {
  for (let at = from; at < raw.length; at += RAW_CHUNK) {
    await work.sql.query('update inbound_messages set raw = raw || $1 where id = $2 and tenant_id = $3', [raw.subarray(at, at + RAW_CHUNK), id, work.tenantId]);
  }
}

/** A failed message's bytes, written on its new row. */
export async function storeRaw(work: TenantWork, id: number, raw: Buffer): Promise<void> {
  await work.sql.query('update inbound_messages set raw = $1 where id = $2 and tenant_id = $3', [raw.subarray(0, RAW_CHUNK), id, work.tenantId]);
  await appendRaw(work, id, raw, RAW_CHUNK);
}
