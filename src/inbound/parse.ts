// A raw message as the ingest pipeline reads it: mailparser decodes encoded words,
// charsets, base64 and quoted-printable; this keeps what the steps need, with the
// sender's address as parsed from From (never its display name).
import { createHash } from 'node:crypto';
import type { AddressObject, HeaderValue, Headers } from 'mailparser';
import { compile } from 'html-to-text';
import { MAX_FILE_BYTES } from '../domain/ticket/attachments.js';
import { normaliseEmail } from '../lib/validation.js';
import { readMime } from './read-mime.js';

/** A file of the message: its bytes when it is within the attachment limit (empty beyond it), and its size. */
export interface InboundFile { name: string; type: string; bytes: Buffer; size: number; inline: boolean }

/** What the message's headers say (and its size): enough to read its facts before its body is read. */
export interface MailHead {
  /** The Message-ID, or a digest of the raw bytes when there is none: the key of idempotency. */
  key: string;
  messageId: string | null;
  from: { address: string; name: string } | null;
  to: string[];
  subject: string;
  inReplyTo: string[];
  references: string[];
  /** Lower-case header name → its first value as text. */
  headers: Map<string, string>;
  contentType: string;
  size: number;
}

export interface InboundMail extends MailHead {
  text: string;
  html: string | null;
  attachments: InboundFile[];
}

function headerText(value: HeaderValue | undefined): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value;
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map((v) => headerText(v as HeaderValue)).join(', ');
  if (typeof value === 'object' && 'value' in value) {
    const v = value as { value: unknown; params?: Record<string, string>; text?: string };
    if (typeof v.text === 'string') return v.text;
    const params = Object.entries(v.params ?? {}).map(([k, p]) => `; ${k}=${p}`).join('');
    return `${String(v.value)}${params}`;
  }
  return String(value);
}

function addresses(field: AddressObject | AddressObject[] | undefined): Array<{ address: string; name: string }> {
  const list = Array.isArray(field) ? field : field ? [field] : [];
  const out: Array<{ address: string; name: string }> = [];
  const walk = (items: Array<{ address?: string; name?: string; group?: unknown[] }>) => {
    for (const item of items) {
      if (item.group) walk(item.group as typeof items);
      else if (item.address) out.push({ address: clean(normaliseEmail(item.address)), name: clean(item.name ?? '').trim() });
    }
  };
  for (const a of list) walk(a.value as never);
  return out;
}

const MESSAGE_ID = /<[^<>\s]{1,250}>/g;

function ids(value: string | string[] | undefined): string[] {
  const all = Array.isArray(value) ? value.join(' ') : value ?? '';
  return all.match(MESSAGE_ID) ?? [];
}

/** More text than any ticket keeps (a description holds 50,000 characters): the rest is let go at once. */
export const TEXT_CAP = 1_000_000;

/** The first TEXT_CAP characters as a string of their own (a slice would keep the whole body alive). */
function capped(text: string): string {
  return text.length > TEXT_CAP ? Buffer.from(text.slice(0, TEXT_CAP), 'utf8').toString('utf8') : text;
}

/** HTML-only mail as text, its converter compiled once (compiling its selectors cost more than converting a message). */
const htmlToText = compile({ wordwrap: false, selectors: [{ selector: 'img', format: 'skip' }] });

/** PostgreSQL text cannot hold NUL; a hostile message may carry one anywhere. */
const clean = (value: string): string => value.replace(/\u0000/g, '');

/** The head of a message from its root headers, as simpleParser reads them (the root's headers as the message's fields). */
function headOf(raw: Buffer, root: Headers): MailHead {
  const headers = new Map<string, string>();
  for (const [name, value] of root) if (!headers.has(name)) headers.set(name, clean(headerText(value)));
  const messageId = ids(root.get('message-id') as string | undefined)[0] ?? null;
  const from = addresses(root.get('from') as AddressObject | undefined)[0] ?? null;
  return {
    key: messageId ?? `sha256:${createHash('sha256').update(raw).digest('hex')}`,
    messageId,
    from: from && from.address.includes('@') ? from : null,
    to: [...addresses(root.get('to') as AddressObject | undefined), ...addresses(root.get('cc') as AddressObject | undefined)].map((a) => a.address),
    subject: clean((root.get('subject') as string | undefined) ?? '').replace(/[\r\n\t]+/g, ' ').trim(),
    inReplyTo: ids(root.get('in-reply-to') as string | undefined),
    references: ids(root.get('references') as string | string[] | undefined),
    headers,
    contentType: headers.get('content-type') ?? 'text/plain',
    size: raw.length,
  };
}

/**
 * The message as its head, as soon as its headers are read, and whole once its body is:
 * its facts can be asked for while the body is still being read. `whole` rejects as
 * `head` does when the headers cannot be read.
 */
export function readMail(raw: Buffer): { head: Promise<MailHead>; whole: Promise<InboundMail> } {
  let head: MailHead | undefined;
  let headRead!: (h: MailHead) => void;
  let headFailed!: (e: unknown) => void;
  const headPromise = new Promise<MailHead>((resolve, reject) => { headRead = resolve; headFailed = reject; });
  const whole = readMime(raw, {
    maxFileBytes: MAX_FILE_BYTES, textCap: TEXT_CAP,
    onHeaders: (headers) => {
      try {
        head = headOf(raw, headers);
        headRead(head);
      } catch (error) {
        headFailed(error);
      }
    },
  }).then((parsed) => {
    head ??= headOf(raw, parsed.headers);
    headRead(head);
    const html = typeof parsed.html === 'string' && parsed.html.trim() ? clean(parsed.html) : null;
    const text = capped(clean(parsed.text ?? '').trim() || (html ? htmlToText(html).trim() : ''));
    const mail: InboundMail = {
      ...head,
      text,
      html,
      attachments: parsed.attachments.map((a) => ({
        name: clean(a.filename ?? '') || (a.contentType === 'message/rfc822' ? 'message.eml' : 'attachment'),
        type: a.contentType ?? 'application/octet-stream',
        bytes: a.content,
        size: a.size,
        inline: a.contentDisposition === 'inline' || Boolean(a.related),
      })),
    };
    return mail;
  }, (error: unknown) => {
    headFailed(error);
    throw error;
  });
  return { head: headPromise, whole };
}

export function parseMail(raw: Buffer): Promise<InboundMail> {
  const { head, whole } = readMail(raw);
  head.catch(() => undefined); // whole says it too
  return whole;
}
