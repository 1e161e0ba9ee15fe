// Plain SQL on a unit of work's own connection and transaction, for the pages read
// on every visit (lists, the signed-in actor): no ORM between the query and the rows.
// Each distinct text is a named prepared statement, parsed and planned once per
// connection — planning cost more than running these queries (bench/pages).
// Row-level security applies as to every other query of the unit of work.
import { createHash } from 'node:crypto';
import type { Writable } from 'node:stream';
import type pg from 'pg';

const names = new Map<string, string>();

/** The name of the prepared statement for `text` (the same on every connection). */

export function statementName(text: string): string {
  let name = names.get(text);
  if (!name) {
    name = `s_${createHash('sha256').update(text).digest('hex').slice(0, 24)}`;
    if (names.size > 5_000) names.clear();
    names.set(text, name);
  }
  return name;
}

const corked = new WeakSet<Writable>();

/**
 * The statements sent on `connection` from now until the end of this tick leave in one
 * socket write (its stream is corked until process.nextTick). With the connection
 * pipelining (a unit of work's: unit-of-work.ts), the begin and the first statement, or
 * the statements of a Promise.all, so cost one write — and, answered together, one read —
 * instead of one each: on this machine a write to PostgreSQL's socket is a measurable
 * part of a page's CPU (bench/pages). Without pipelining it changes nothing: the next
 * statement waits for the last one's answer anyway.
 */
export function writeTogether(connection: pg.ClientBase): void {
  const stream = (connection as unknown as { connection?: { stream?: Writable } }).connection?.stream;
  if (!stream || typeof stream.cork !== 'function' || corked.has(stream)) return;
  corked.add(stream);
  stream.cork();
  process.nextTick(() => {
    corked.delete(stream);
    stream.uncork();
  });
}

export class Sql {
  #ended = false;

  /** `finish`: what `last` asks of the unit of work that owns the connection (its commit, sent now). */
  constructor(readonly tenantId: number, private readonly client: pg.ClientBase, private readonly finish?: () => void) {}

  /**
   * `reads` — statements just sent, not yet answered — are the unit of work's last: its
   * commit is sent now, behind them, in the same socket write, and answered with them (one
   * round trip less for a page that only reads: bench/pages). The statements run inside
   * the transaction, under its tenant, as any other; a statement sent after this throws,
   * and so does the ORM. A unit that used the ORM or raised an event commits at its end
   * as usual (its flush and subscribers write first), and so does one whose connection no
   * unit of work owns (a one-statement transaction): there `last` changes nothing.
   */
  last<T>(reads: Promise<T>): Promise<T> {
    this.finish?.();
    return reads;
  }

  /** Rows of `text` ($1, $2 … placeholders) with `params`. */
  async query<R>(text: string, params: unknown[] = []): Promise<R[]> {
    // The connection is back in the pool once the unit of work ends, maybe in another tenant's transaction.
    if (this.#ended) throw new Error('This unit of work has ended: its connection is no longer ours');
    writeTogether(this.client);
    try {
      const result = await this.client.query({ name: statementName(text), text, values: params });
      return result.rows as R[];
    } catch (error) {
      // The statement (placeholders, no values) goes with the error, for the log (lib/loggable-error.ts).
      if (error instanceof Error) Object.assign(error, { sql: text });
      throw error;
    }
  }

  /** No query after this: the unit of work has ended. */
  end(): void {
    this.#ended = true;
  }

  /** The first row, or undefined. */
  async one<R>(text: string, params: unknown[] = []): Promise<R | undefined> {
    return (await this.query<R>(text, params))[0];
  }
}
