// Messages ingested one after another, each in its own unit of work and in order:
// message N+1's unit of work begins only after N's has committed, and what follows a
// commit (the \Seen flag, the move to Processed, the poll's high-water mark) follows that
// message's own commit only — so a crash loses or repeats nothing more than before. What
// overlaps is the work with no database in it: once N's unit of work has written and waits
// for its commit (the WAL flushed to disk, ~3 ms a message with node idle), N+1 is fetched
// and mailparser reads it. One message is read ahead, and only behind a small one (and the
// poll downloads a large one in its own turn only): two large ones are never held at once,
// nor a large one beside a message read ahead (the poller's peak memory is its largest's).
import { AsyncLocalStorage } from 'node:async_hooks';

/** A message fetched and its reading begun (no database yet): its size, and its unit of work. */
export interface Turn<R> {
  size: number;
  /** The message's unit of work; it may call `written` once only its commit remains (the next message is read meanwhile). */
  ingest(written: () => void): Promise<R>;
}

/** Behind a message of at most this size the next one is read ahead (the poll fetches these whole, download.ts). */
export const READ_AHEAD_BYTES = 2 * 1024 * 1024;

/**
 * Each item read (`read`: fetched, its parse begun — no database), ingested (the turn's
 * unit of work) and then handed to `committed`, in order. A read that fails throws in its
 * own turn, after the messages before it are committed and handed on; so does `committed`.
 */
export async function ingestInTurn<T, R>(
  items: readonly T[],
  read: (item: T) => Promise<Turn<R> | undefined>,
  committed: (item: T, result: R | undefined) => Promise<void>,
): Promise<void> {
  // Read ahead outside the unit of work that is committing: its tenant, hooks and events are not the next message's.
  const outside = AsyncLocalStorage.snapshot();
  const start = (item: T) => {
    const reading = outside(() => read(item));
    reading.catch(() => undefined); // thrown in its turn; this keeps a poll broken off before then from leaving it unhandled
    return reading;
  };
  let next = items.length ? start(items[0]) : undefined;
  for (let i = 0; i < items.length; i++) {
    const reading = next!;
    next = undefined;
    const readNext = () => {
      if (!next && i + 1 < items.length) next = start(items[i + 1]);
    };
    const turn = await reading;
    const result = turn ? await turn.ingest(turn.size <= READ_AHEAD_BYTES ? readNext : () => undefined) : undefined;
    readNext();
    await committed(items[i], result);
  }
}
