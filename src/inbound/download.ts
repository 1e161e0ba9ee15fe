// A message's raw bytes from the IMAP server. A small one comes in one FETCH, as
// imapflow hands it over. A large one (up to the 25 MB limit) comes in pieces of
// DOWNLOAD_CHUNK, copied as they arrive into one buffer of the size the server gave
// for it: imapflow would otherwise hold the whole literal twice over at its end (its
// socket chunks, then their concatenation), and the poller's peak memory is set by
// its largest messages (bench/ingest).
import type { ImapFlow } from 'imapflow';

/** Messages up to this size are fetched whole, in one round trip. */
export const FETCH_WHOLE_BYTES = 2 * 1024 * 1024;
/** The piece a large message is fetched in (each one FETCH of a partial range). */
export const DOWNLOAD_CHUNK = 2 * 1024 * 1024;

/** The raw message of `uid`, or undefined when the server no longer has it; `size` is the server's RFC822.SIZE, `max` the most that is taken. */
export async function downloadRaw(client: ImapFlow, uid: string, size: number, max: number): Promise<Buffer | undefined> {
  if (size <= FETCH_WHOLE_BYTES) {
    const full = await client.fetchOne(uid, { uid: true, source: true }, { uid: true });
    return full && full.source ? full.source : undefined;
  }
  const { content } = await client.download(uid, undefined, { uid: true, chunkSize: DOWNLOAD_CHUNK, maxBytes: max + 1 });
  if (!content) return undefined;
  const into = Buffer.allocUnsafe(Math.min(size, max));
  const beyond: Buffer[] = [];
  let length = 0;
  for await (const chunk of content as AsyncIterable<Buffer>) {
    if (length + chunk.length > max) {
      content.destroy();
      throw new Error(`The message is larger than its announced ${size} bytes and the ${max}-byte limit`);
    }
    // A server whose size was short of the bytes it sends: the rest kept aside, joined at the end.
    const fits = Math.max(0, Math.min(chunk.length, into.length - length));
    chunk.copy(into, length, 0, fits);
    if (fits < chunk.length) beyond.push(chunk.subarray(fits));
    length += chunk.length;
  }
  if (beyond.length) return Buffer.concat([into, ...beyond], length);
  return length === into.length ? into : into.subarray(0, length);
}
