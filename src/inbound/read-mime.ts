// A raw message through mailparser's streaming MailParser, as simpleParser would read
// it, without holding more than the pipeline can keep:
// - an attachment is read as a stream and kept only up to `maxFileBytes` (a larger
//   one is counted, its bytes let go: it is noted on the ticket, never stored);
// - in a large message, a text part is cut before mailparser decodes it, once it is
//   longer than TEXT_CAP characters could be in any encoding (mailparser would hold
//   such a part four times over — its chunks, joined, as a string, with its line
//   ends replaced — when the pipeline keeps its first TEXT_CAP characters only).
import { Readable, Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { MailParser, type AddressObject, type AttachmentStream, type Headers, type MessageText } from 'mailparser';
import mailsplit from '@zone-eu/mailsplit';

/** As simpleParser reads a message, less the attachments' MD5 checksums (nothing here reads them). */
export const PARSER_OPTIONS = { skipImageLinks: true, skipTextToHtml: true, skipTextLinks: true, maxHtmlLengthToParse: 5_000_000, checksumAlgo: false } as const;

export interface MimeFile { filename?: string; contentType: string; contentDisposition?: string; related?: boolean; content: Buffer; size: number }

export interface MimeMail {
  headers: Headers;
  subject?: string;
  from?: AddressObject;
  to?: AddressObject | AddressObject[];
  cc?: AddressObject | AddressObject[];
  messageId?: string;
  inReplyTo?: string;
  references?: string | string[];
  text?: string;
  html?: string | false;
  attachments: MimeFile[];
}

/** The longest text part a large message keeps, in encoded bytes: TEXT_CAP characters at 4 bytes each, in the part's transfer encoding. */
function textPartLimit(encoding: string | false, textCap: number): number {
  const factor = encoding === 'quoted-printable' ? 3 : encoding === 'base64' ? 1.4 : 1;
  return Math.ceil(textCap * 4 * factor) + 64 * 1024;
}

type Node = { multipart: boolean | string; root: boolean; contentType: string | false; disposition: string | false; encoding: string | false };

/** The parts mailparser reads as the message's text (mail-parser.js createNode), not as attachments. */
const TEXT_TYPES = ['text/plain', 'text/html', 'message/delivery-status'];
const isText = (node: Node): boolean => !node.multipart
  && TEXT_TYPES.includes(node.contentType || (node.root ? 'text/plain' : ''))
  && (!node.disposition || node.disposition === 'inline');

/** Drops the body bytes of a text part past its limit; everything else passes as it came. */
class TextPartLimit extends Transform {
  private readonly seen = new Map<Node, number>();

  constructor(private readonly textCap: number) {
    super({ objectMode: true });
  }

  override _transform(chunk: { type: string; node?: Node; value?: Buffer }, _encoding: BufferEncoding, done: TransformCallback): void {
    if (chunk.type === 'body' && chunk.node && chunk.value && isText(chunk.node)) {
      const had = this.seen.get(chunk.node) ?? 0;
      const limit = textPartLimit(chunk.node.encoding, this.textCap);
      this.seen.set(chunk.node, had + chunk.value.length);
      if (had >= limit) return done();
      if (had + chunk.value.length > limit) return done(null, { ...chunk, value: chunk.value.subarray(0, limit - had) });
    }
    done(null, chunk);
  }
}

export interface ReadOptions {
  /** Attachments larger than this are counted, not kept. */
  maxFileBytes: number;
  /** The characters of text the pipeline keeps; a message larger than a text part of them could be has its text parts cut. */
  textCap: number;
  /** Called with the message's headers as soon as they are read, before its body is. */
  onHeaders?: (headers: Headers) => void;
}

export function readMime(raw: Buffer, { maxFileBytes, textCap, onHeaders }: ReadOptions): Promise<MimeMail> {
  const parser = new MailParser(PARSER_OPTIONS);
  const mail: MimeMail = { headers: new Map(), attachments: [] };
  const read = new Promise<MimeMail>((resolve, reject) => {
    parser.on('error', reject);
    parser.on('headers', (headers) => {
      mail.headers = headers;
      onHeaders?.(headers);
    });
    parser.on('data', (data: AttachmentStream | MessageText) => {
      if (data.type === 'text') {
        mail.text = data.text;
        mail.html = data.html;
        return;
      }
      const chunks: Buffer[] = [];
      let size = 0;
      data.content.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size <= maxFileBytes) chunks.push(chunk);
        else chunks.length = 0;
      });
      data.content.on('end', () => {
        mail.attachments.push({
          filename: data.filename, contentType: data.contentType, contentDisposition: data.contentDisposition, related: data.related,
          content: size <= maxFileBytes ? Buffer.concat(chunks, size) : Buffer.alloc(0), size,
        });
        data.release?.();
      });
    });
    parser.on('end', () => {
      // As simpleParser does: the root's headers as the message's fields.
      const h = mail.headers;
      Object.assign(mail, {
        subject: h.get('subject'), from: h.get('from'), to: h.get('to'), cc: h.get('cc'),
        messageId: h.get('message-id'), inReplyTo: h.get('in-reply-to'), references: h.get('references'),
      });
      resolve(mail);
    });
  });
  // Only a message larger than the smallest limit can carry a text part over it.
  if (raw.length <= textPartLimit(false, textCap)) {
    // In pieces of the size mailparser reads (its ChunkedPassthrough copies what it is given
    // into one buffer before it splits it): a message in one write would be copied whole, and
    // split and decoded as strings of its whole size, each a large object for the old generation.
    for (const piece of pieces(raw, PARSER_PIECE)) parser.write(piece);
    parser.end();
    return read;
  }
  // The splitter reads views of the message a piece at a time (mailsplit's ChunkedPassthrough
  // would first copy all 25 MB of it into one buffer of its own).
  return Promise.all([pipeline(Readable.from(pieces(raw)), new mailsplit.Splitter(), new TextPartLimit(textCap), new mailsplit.Joiner(), parser), read]).then(([, m]) => m);
}

/** `raw` as views of `size` bytes (no copy). */
function* pieces(raw: Buffer, size = PIECE): Generator<Buffer> {
  for (let at = 0; at < raw.length; at += size) yield raw.subarray(at, at + size);
}

const PIECE = 256 * 1024;
/** mailsplit's ChunkedPassthrough passes on what it has once it holds this much. */
const PARSER_PIECE = 64 * 1024;
