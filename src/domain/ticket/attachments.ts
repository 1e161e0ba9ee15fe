// Files on a ticket: stored in the database (at most 10 MB each), names made safe,
// downloaded only through a ticket the reader may see.
import type { Em } from '../../db/orm.js';
import type { Tenant } from '../tenant/tenant.js';
import { Attachment, type Ticket, type TicketMessage } from './ticket.js';

export const MAX_FILE_BYTES = 10 * 1024 * 1024;
export const MAX_FILES = 5;

/** A file to attach, from any source (an upload, an email): its bytes are read in chunks, never held whole. */
export interface NewFile {
  name: string;
  type: string;
  content(): AsyncIterable<Buffer>;
}

/** A file whose bytes are already in memory. */
export function fileFromBytes(name: string, type: string, bytes: Buffer): NewFile {
  return { name, type, content: async function* () { yield bytes; } };
}

/**
 * Bidi controls (embeddings and overrides U+202A–U+202E, isolates U+2066–U+2069, the
 * marks U+200E/U+200F and U+061C): `invoice<U+202E>fdp.exe` shows as "invoiceexe.pdf".
 * A file name needs none of them; right-to-left letters display right without them.
 */
const BIDI_CONTROLS = /[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]/g;

/** A file name with no path, no control, bidi control or reserved characters, at most 200 characters. */
export function safeFileName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? '';
  const cleaned = base.normalize('NFC')
    .replace(/[\u0000-\u001f\u007f-\u009f]/g, '')
    .replace(BIDI_CONTROLS, '')
    .replace(/[<>:"|?*;]/g, '_')
    .replace(/^[\s.]+|[\s.]+$/g, '')
    .slice(0, 200);
  return cleaned || 'attachment';
}

const MIME = /^[a-z0-9][a-z0-9!#$&^_.+-]*\/[a-z0-9][a-z0-9!#$&^_.+-]*$/i;

export function safeContentType(type: string): string {
  return MIME.test(type) && type.length <= 100 ? type.toLowerCase() : 'application/octet-stream';
}

/** `attachment` with an ASCII fallback name and the exact name RFC 5987-encoded. */
export function contentDisposition(name: string): string {
  const fallback = safeFileName(name).replace(/[^\x20-\x7e]/g, '_').replace(/["\\%]/g, '_');
  const encoded = encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}

/**
 * Stores each file chunk by chunk (`data || chunk`), so memory holds one chunk at a
 * time whatever the file's size; a file past MAX_FILE_BYTES is refused whole.
 */
export async function addAttachments(em: Em, tenant: Tenant, ticket: Ticket, files: NewFile[], message: TicketMessage | null = null): Promise<Attachment[]> {
  const rows = files.map((file) => em.create(Attachment, {
    tenant, ticket, message, fileName: safeFileName(file.name), contentType: safeContentType(file.type),
    size: 0, data: Buffer.alloc(0), createdAt: new Date(),
  }));
  await em.flush();
  for (const [i, file] of files.entries()) {
    let size = 0;
    for await (const chunk of file.content()) {
      size += chunk.length;
      if (size > MAX_FILE_BYTES) throw new Error('An attachment over the size limit got past the upload parser');
      await appendBytes(em, 'update attachments set data = data || ?, size = size + ? where id = ? and tenant_id = ?', [chunk, chunk.length, rows[i].id, tenant.id]);
    }
    rows[i].size = size;
  }
  return rows;
}

/**
 * A statement with bytes in it, on the unit of work's transaction, with the bytes sent
 * as a binary parameter: `em.execute` would format them into the SQL text as a hex
 * literal (twice their size, built in memory), which a 10 MB file cannot afford.
 */
async function appendBytes(em: Em, sql: string, bindings: unknown[]): Promise<void> {
  const query = em.getKnex().raw(sql, bindings as never);
  const trx = em.getTransactionContext();
  if (trx) query.transacting(trx as never);
  await query;
}

/** The attachments of a ticket (without their bytes), optionally only those of public messages. */
export function attachmentsOf(em: Em, ticket: Ticket, publicOnly = false) {
  const where = publicOnly ? { ticket, $or: [{ message: null }, { message: { internal: false } }] } : { ticket };
  return em.find(Attachment, where, { orderBy: { id: 'asc' }, fields: ['id', 'fileName', 'contentType', 'size', 'createdAt', 'message'] });
}

/** One attachment with its bytes, on this ticket, or null. */
export function attachmentFor(em: Em, ticket: Ticket, id: number, publicOnly = false): Promise<Attachment | null> {
  const where = publicOnly ? { id, ticket, $or: [{ message: null }, { message: { internal: false } }] } : { id, ticket };
  return em.findOne(Attachment, where, { populate: ['data'] });
}
