// One statement of plain SQL built from parts: its parameters numbered as they are
// added ($1 is the workspace's id, by convention), a first data-modifying part named
// t, and the parts (CTEs) that follow it and read it — the files, the notes, the log
// row of what one message did. A message's writes then cost one round trip.
import type { MailFile } from './tickets.js';

/** Files up to this much in all go in the statement; larger ones one statement each. */
const FILES_INLINE_BYTES = 4 * 1024 * 1024;

/**
 * A statement's parameters, numbered as they are added, and the data-modifying parts
 * (CTEs) that follow its first one: the files and the notes of a ticket or message.
 */
export class Statement {
  readonly params: unknown[] = [];
  readonly parts: string[] = [];

  p(value: unknown): string {
    this.params.push(value);
    return `$${this.params.length}`;
  }

  constructor(tenantId: number) {
    this.p(tenantId);
  }

  /** Whether `files` all go inline (files() returns none of them). */
  filesFit(files: MailFile[]): boolean {
    return files.reduce((n, f) => n + f.bytes.length, 0) <= FILES_INLINE_BYTES;
  }

  /** The files small enough to go inline (the rest are returned, for a statement each). */
  files(files: MailFile[], ticket: string, message: string, at: string): MailFile[] {
    let inline = 0;
    const rest: MailFile[] = [];
    for (const f of files) {
      if (inline + f.bytes.length > FILES_INLINE_BYTES) { rest.push(f); continue; }
      inline += f.bytes.length;
      this.parts.push(`f${this.parts.length} as (insert into attachments (tenant_id, ticket_id, message_id, file_name, content_type, size, data, created_at)
        select $1, ${ticket}, ${message}, ${this.p(f.name)}, ${this.p(f.type)}, ${this.p(f.bytes.length)}, ${this.p(f.bytes)}::bytea, ${at} from t)`);
    }
    return rest;
  }

  notes(notes: string[], ticket: string, at: string): void {
    if (!notes.length) return;
    this.parts.push(`n${this.parts.length} as (insert into ticket_messages (tenant_id, ticket_id, author_kind, body, internal, automatic, created_at)
      select $1, ${ticket}, 'system', b.body, true, true, ${at} from t, unnest(${this.p(notes)}::text[]) with ordinality b(body, ord) order by b.ord)`);
  }

  /** `before` (CTEs `first` reads), `first` (named t) and the parts, then `select`. */
  text(first: string, select: string, before = ''): string {
    return `with ${before}t as (${first})${this.parts.map((p) => `,\n${p}`).join('')}\n${select}`;
  }
}
