// Reading an uploaded contacts file: which encoding and separator it uses, and its
// records, streamed through csv-parse (RFC 4180). A file is refused whole, with the
// reason as a message, when it is not text (a PDF or a workbook renamed .csv, any
// binary), empty, only a header, over MAX_ROWS records, or broken (an unclosed quote).
// Nothing is written here: the callers decide.
import { Readable } from 'node:stream';
import { CsvError, parse } from 'csv-parse';
import iconv from 'iconv-lite';
import { msg, type Message } from '../../i18n/translate.js';

export const MAX_ROWS = 50_000;
/** The upload limit (the attachments' limit, which the upload middleware enforces while streaming). */
export const MAX_FILE_BYTES = 10 * 1024 * 1024;

export type Encoding = 'utf-8' | 'utf-8-bom' | 'windows-1252';
export type Delimiter = ',' | ';' | '\t';

export class UnreadableFile extends Error {
  constructor(readonly reason: Message) {
    super(typeof reason === 'string' ? reason : reason.key);
  }
}

export interface FileFormat { encoding: Encoding; delimiter: Delimiter }

/** A record of the file: its cells and the line (1-based, the header is line 1) it ends on. */
export interface FileRecord { line: number; cells: string[] }

const BOM = [0xef, 0xbb, 0xbf];
/** Files people upload by mistake, told by their first bytes. */
const SIGNATURES: [number[], string][] = [
  [[0x25, 0x50, 0x44, 0x46], 'pdf'], // %PDF
  [[0x50, 0x4b, 0x03, 0x04], 'zip'], // an .xlsx workbook is a zip
  [[0xd0, 0xcf, 0x11, 0xe0], 'ole'], // an old .xls workbook
  [[0x1f, 0x8b], 'gzip'],
  [[0x89, 0x50, 0x4e, 0x47], 'png'],
  [[0xff, 0xd8, 0xff], 'jpeg'],
];

function startsWith(data: Buffer, bytes: number[]): boolean {
  return bytes.every((b, i) => data[i] === b);
}

/**
 * Text, not binary: no NUL and no control character other than tab, line feed and
 * carriage return in the first 64 KB (text in any of the accepted encodings has none).
 */
function looksLikeText(data: Buffer): boolean {
  const end = Math.min(data.length, 64 * 1024);
  for (let i = 0; i < end; i++) {
    const b = data[i];
    if (b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d) return false;
    if (b === 0x7f) return false;
  }
  return true;
}

/**
 * UTF-8 when the bytes are valid UTF-8 (with or without a BOM); otherwise Windows-1252,
 * which is what Excel writes on Windows in Western Europe ("CSV (delimitato dal separatore
 * di elenco)"). Every byte sequence decodes in Windows-1252, so the order matters: valid
 * UTF-8 is almost never meant as Windows-1252 (its multibyte patterns are rare in names).
 * Windows-1252 is decoded by iconv-lite: Node 20's TextDecoder('windows-1252') decodes
 * it as Latin-1, turning € “ ” ‘ ’ – (0x80–0x9F) into invisible control characters.
 */
function decode(data: Buffer): { text: string; encoding: Encoding } {
  if (startsWith(data, BOM)) return { text: new TextDecoder('utf-8', { fatal: false }).decode(data.subarray(3)), encoding: 'utf-8-bom' };
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(data), encoding: 'utf-8' };
  } catch {
    return { text: iconv.decode(data, 'win1252'), encoding: 'windows-1252' };
  }
}

/** The separator of the header line: the most frequent of comma, semicolon and tab outside quotes (comma on a tie). */
function detectDelimiter(text: string): Delimiter {
  const counts: Record<Delimiter, number> = { ',': 0, ';': 0, '\t': 0 };
  let quoted = false;
  for (let i = 0; i < text.length && i < 64 * 1024; i++) {
    const c = text[i];
    if (c === '"') quoted = !quoted;
    else if (!quoted && (c === '\n' || c === '\r')) break;
    else if (!quoted && (c === ',' || c === ';' || c === '\t')) counts[c] += 1;
  }
  return counts[';'] > counts[','] && counts[';'] >= counts['\t'] ? ';' : counts['\t'] > counts[','] ? '\t' : ',';
}

/** The file's text and format, or UnreadableFile (not text, empty). */
export function readText(data: Buffer): { text: string } & FileFormat {
  if (data.length === 0) throw new UnreadableFile('imports.errors.empty');
  if (SIGNATURES.some(([bytes]) => startsWith(data, bytes)) || !looksLikeText(data)) throw new UnreadableFile('imports.errors.notCsv');
  const { text, encoding } = decode(data);
  if (text.trim() === '') throw new UnreadableFile('imports.errors.empty');
  return { text, encoding, delimiter: detectDelimiter(text) };
}

/** Why csv-parse stopped, as the reader is told (with the line). */
function parseFailure(error: unknown): UnreadableFile {
  if (error instanceof UnreadableFile) return error;
  if (error instanceof CsvError) {
    const line = Number((error as CsvError & { lines?: number }).lines) || undefined;
    const quotes = /QUOTE/.test(error.code);
    return new UnreadableFile(msg(quotes ? 'imports.errors.brokenQuotes' : 'imports.errors.malformed', { line: line ?? '?' }));
  }
  throw error;
}

const CHUNK = 64 * 1024;

/**
 * Streams the records of `text` to `onRecord` (the header first, as line 1), in order,
 * awaiting each call. Blank lines are skipped; rows may have fewer or more cells than
 * the header (a spreadsheet drops trailing empty cells). Throws UnreadableFile when the
 * file is broken or has more than MAX_ROWS records after the header.
 */
export async function eachRecord(text: string, delimiter: Delimiter, onRecord: (record: FileRecord) => void | Promise<void>): Promise<number> {
  const parser = parse({ delimiter, bom: true, skip_empty_lines: true, relax_column_count: true, info: true, trim: false });
  const chunks = (function* () {
    for (let at = 0; at < text.length; at += CHUNK) yield text.slice(at, at + CHUNK);
  })();
  Readable.from(chunks).pipe(parser);
  let rows = -1;
  try {
    for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
      rows += 1;
      if (rows > MAX_ROWS) throw new UnreadableFile(msg('imports.errors.tooManyRows', { max: MAX_ROWS }));
      await onRecord({ line: info.lines, cells: record });
    }
  } catch (error) {
    parser.destroy();
    throw parseFailure(error);
  }
  return Math.max(rows, 0);
}

/** The header and the number of rows below it; UnreadableFile for every refusal above, header-only included. */
export async function inspect(data: Buffer): Promise<FileFormat & { headers: string[]; rowCount: number }> {
  const { text, encoding, delimiter } = readText(data);
  let headers: string[] | undefined;
  const rowCount = await eachRecord(text, delimiter, ({ cells }) => {
    headers ??= cells.map((c) => c.trim());
  });
  if (!headers || headers.every((h) => h === '')) throw new UnreadableFile('imports.errors.empty');
  if (rowCount === 0) throw new UnreadableFile('imports.errors.headerOnly');
  return { encoding, delimiter, headers, rowCount };
}

/** The text of stored file content, decoded as it was detected at upload. */
export function textOf(data: Buffer, encoding: Encoding): string {
  if (encoding === 'windows-1252') return iconv.decode(data, 'win1252');
  return new TextDecoder('utf-8').decode(encoding === 'utf-8-bom' ? data.subarray(3) : data);
}
