// A unit of work for one tenant: one connection, one transaction, begun with
// app.tenant_id set transaction-locally for row-level security. It offers the
// transaction two ways: `sql` (plain prepared statements, for what every page
// reads) and `em` (a MikroORM EntityManager with the mandatory tenant filter set,
// made on first use and attached to the same transaction; flushed before commit).
// A page that only reads through `sql` never pays for the ORM.
// Its life: the work runs (verbs raise domain events into it, `savepoint` undoes a
// failed part) → flush → before-commit subscribers run once with the events raised
// (their writes are part of the unit) → flush → commit → hooks queued with
// `afterCommit` (e.g. waking the mail job) → after-commit subscribers with every
// event. It rolls back when — and only when — the work throws.
import type { MikroORM } from '@mikro-orm/postgresql';
import type pg from 'pg';
import { actingAs, current, runWithCurrent, type Actor, type Current, type RaisedEvent } from '../current.js';
import { subscribers as registered } from '../domain/subscribers.js';
import { log } from '../lib/logger.js';
import { attachedTransaction, disposeConnection, type KnexClient } from './attached-transaction.js';
import type { Em } from './orm.js';
import { Sql, writeTogether } from './sql.js';

let orm: MikroORM | undefined;

export function setOrm(value: MikroORM | undefined): void {
  orm = value;
}

export function getOrm(): MikroORM {
  if (!orm) throw new Error('The database is not open');
  return orm;
}

export class TenantWork {
  #em?: Em;
  #ended = false;
  readonly #behind: Array<Promise<unknown>> = [];
  /** The commit, when `sql.last` has sent it already. */
  #committed?: Promise<unknown>;
  /** Whether the last before-commit subscriber is running (its `sql.last` may send the commit: runBeforeCommit). */
  finishing = false;
  readonly sql: Sql;
  private readonly transaction: ReturnType<typeof attachedTransaction>;

  constructor(readonly tenantId: number, knexClient: KnexClient, private readonly connection: pg.ClientBase, private readonly events: readonly RaisedEvent[] = []) {
    this.sql = new Sql(tenantId, connection, () => this.commitNow());
    this.transaction = attachedTransaction(knexClient, connection, () => this.#ended);
  }

  /** The commit `sql.last` sent, if it did: the unit of work awaits it instead of sending its own. */
  get committed(): Promise<unknown> | undefined {
    return this.#committed;
  }

  /**
   * Sends the commit now (sql.last), behind the statements just sent — unless the ORM was
   * used or an event raised: what the flush and the before-commit subscribers write must
   * come before the commit, so such a unit commits at its end as usual. The last
   * before-commit subscriber is the exception: nothing of the unit's own follows it, so its
   * last statement may take the commit (the mail ingest's notifications, one round trip
   * less a message) — when no ORM was used, as nothing is left to flush then either.
   */
  private commitNow(): void {
    if (this.#committed || this.#em || (this.events.length && !this.finishing)) return;
    writeTogether(this.connection); // with the statements just sent (sql.ts)
    this.#committed = this.connection.query('commit');
    this.#committed.catch(() => undefined); // awaited by inTenantWork; this only keeps a failure before then from being unhandled
    this.sql.end();
  }

  /**
   * `statement` — sent by the work, not awaited by it — is the work's last write: what the
   * unit sends after it (the flush, the before-commit subscribers' statements, the commit)
   * goes behind it at once, the connection pipelining, instead of after its answer — one round
   * trip less (the rules' write: queue.ts). The unit waits for it before it counts as committed,
   * and fails with its error when it fails (PostgreSQL then answers what followed with errors,
   * and the commit with a rollback: nothing of the unit stays).
   */
  behind(statement: Promise<unknown>): void {
    statement.catch(() => undefined); // awaited by inTenantWork; this only keeps a failure before then from being unhandled
    this.#behind.push(statement);
  }

  /** Waits for the statements left behind (`behind`); throws the first failure. */
  async caughtUp(): Promise<void> {
    for (const statement of this.#behind) await statement;
  }

  /** The failure of a statement left behind, if one failed: it, not the errors of what was sent after it, is the unit's. */
  async failureBehind(): Promise<unknown> {
    for (const statement of this.#behind) {
      try {
        await statement;
      } catch (error) {
        return error;
      }
    }
    return undefined;
  }

  /** Whether the work has used the ORM (entities it loaded may load more as they are read). */
  get usesOrm(): boolean {
    return this.#em !== undefined;
  }

  /** The ORM on this unit of work's transaction (made on first use). */
  get em(): Em {
    if (!this.#em) {
      if (this.#committed) throw new Error('This unit of work has committed (sql.last): no ORM after it');
      const em = getOrm().em.fork() as Em;
      em.setFilterParams('tenant', { id: this.tenantId });
      em.setTransactionContext(this.transaction);
      this.#em = em;
    }
    return this.#em;
  }

  /**
   * Runs `fn` in a savepoint: when it throws, what it wrote — through `em` (the fork it
   * is given) or `sql` — is undone and the unit of work carries on; when it returns,
   * its entities join the unit of work's. What was pending before is flushed first, so
   * a failure undoes only `fn`'s own work. (An import skips its bad row this way.)
   */
  async savepoint<T>(fn: (em: Em) => Promise<T>): Promise<T> {
    await this.flush();
    // The events raised inside go with its writes when it fails.
    const events = current()?.events;
    const raised = events?.length ?? 0;
    try {
      return await this.em.transactional((em) => fn(em as Em));
    } catch (error) {
      events?.splice(raised);
      throw error;
    }
  }

  /** Writes what the ORM holds (if it was used). */
  async flush(): Promise<void> {
    await this.#em?.flush();
  }

  /** Nothing reaches the connection after this. */
  end(): void {
    this.#ended = true;
    this.sql.end();
  }
}

/**
 * Who reacts to the domain events of a unit of work (listed in src/domain/subscribers.ts).
 * See there for when each half runs.
 */
export interface CommitSubscriber {
  name: string;
  /** In the transaction, with the events the work raised; its writes are the unit's. */
  beforeCommit?(events: readonly RaisedEvent[], work: TenantWork): Promise<void>;
  /** After commit, with every event the unit raised (subscribers' included). */
  afterCommit?(events: readonly RaisedEvent[], tenantId: number): Promise<void>;
  /**
   * Whether the statement that raised `event` did this subscriber's before-commit work for it
   * (nothing left to do): an event raised after its statement took the commit with it
   * (sql.last) must be settled so for every before-commit subscriber.
   */
  settled?(event: RaisedEvent): boolean;
}

const added: CommitSubscriber[] = [];

/** Read when a unit commits, not when this module loads: a subscriber's module may import this one. */
function allSubscribers(): CommitSubscriber[] {
  return added.length ? [...registered, ...added] : registered;
}

/** Adds a subscriber (tests; the app lists its own in src/domain/subscribers.ts); returns its removal. */
export function subscribe(subscriber: CommitSubscriber): () => void {
  added.push(subscriber);
  return () => {
    const at = added.indexOf(subscriber);
    if (at >= 0) added.splice(at, 1);
  };
}

/**
 * Whether a statement may take the commit with it and raise its events afterwards: every
 * before-commit subscriber can tell an event it has nothing left to do for (`settled`).
 */
export function subscribersSettleInStatement(): boolean {
  return allSubscribers().every((s) => !s.beforeCommit || s.settled);
}

const settledByAll = (event: RaisedEvent): boolean => allSubscribers().every((s) => !s.beforeCommit || s.settled?.(event) === true);

/** Each before-commit subscriber once, with what the work raised — not what the subscribers raise (no recursion). */
async function runBeforeCommit(unit: TenantWork, events: RaisedEvent[]): Promise<void> {
  if (!events.length) return;
  const raised = Object.freeze(events.slice());
  const running = allSubscribers().filter((s) => s.beforeCommit);
  for (const [k, subscriber] of running.entries()) {
    unit.finishing = k === running.length - 1;
    try {
      await actingAs({ kind: 'system', name: subscriber.name }, () => subscriber.beforeCommit!(raised, unit));
    } finally {
      unit.finishing = false;
    }
    if (unit.committed) return; // its sql.last sent the commit: nothing to flush (no ORM), nothing follows
    await unit.flush();
  }
}

async function runAfterCommit(tenantId: number, hooks: Current['afterCommit'], events: RaisedEvent[]): Promise<void> {
  for (const hook of hooks) {
    try {
      await hook();
    } catch (error) {
      log.warn({ err: error }, 'after-commit work failed; the outbox sweep will retry');
    }
  }
  if (!events.length) return;
  const all = Object.freeze(events.slice());
  for (const subscriber of allSubscribers()) {
    if (!subscriber.afterCommit) continue;
    try {
      await subscriber.afterCommit(all, tenantId);
    } catch (error) {
      log.warn({ err: error, subscriber: subscriber.name }, 'an after-commit subscriber failed; the commit stands');
    }
  }
}

/** Runs `work` as one unit of work of `tenantId`; commits when it returns, rolls back when it throws. */
export async function inTenantWork<T>(tenantId: number, work: (unit: TenantWork) => Promise<T>, actor?: Actor): Promise<T> {
  if (!Number.isSafeInteger(tenantId) || tenantId <= 0) throw new Error(`Not a tenant id: ${tenantId}`);
  const outer = current();
  const hooks: Current['afterCommit'] = [];
  const events: RaisedEvent[] = [];
  const result = await runWithCurrent({ ...outer, tenantId, actor: actor ?? outer?.actor, afterCommit: hooks, events }, async () => {
    const knexClient = getOrm().em.getConnection().getKnex().client as unknown as KnexClient;
    const connection = await knexClient.acquireConnection();
    let unit: TenantWork | undefined;
    let begun: Promise<unknown> | undefined;
    try {
      // The transaction, its tenant for RLS, and generic plans for the prepared statements
      // here — they are scoped to one tenant by their parameters, so one plan serves every
      // tenant, and planning each execution again (PostgreSQL's choice when a custom plan
      // looks cheaper) costs more than the queries (bench/pages). The id is a checked safe
      // integer (above), so it is written into the text. It is not waited for: the
      // connection pipelines (pg's pipeline mode, for this unit only), so the work's first
      // statement leaves in the same round trip and the server runs it after the begin,
      // inside the transaction — one round trip less for every unit of work. The begin's
      // outcome is awaited before the commit: when it fails the unit throws and rolls back
      // as before (and a statement sent behind a failed begin has no app.tenant_id, so
      // row-level security shows and takes no row of any tenant).
      setPipeline(connection, true);
      writeTogether(connection); // the begin and the first statement in one socket write (sql.ts)
      begun = connection.query(beginIn(tenantId));
      begun.catch(() => undefined); // awaited below; this only keeps an early failure of the work from leaving it unhandled
      unit = new TenantWork(tenantId, knexClient, connection, events);
      const value = await work(unit);
      await begun;
      if (unit.committed) {
        // Sent behind the work's last statements (sql.last): nothing was left to flush, and no event raised then may go uncommitted.
        await unit.committed;
        await unit.caughtUp();
        if (!events.every(settledByAll)) throw new Error('An event was raised after the unit of work committed (sql.last)');
        return value;
      }
      await unit.flush();
      await runBeforeCommit(unit, events);
      // The last subscriber's last statement may have taken the commit with it (sql.last).
      const commit = unit.committed ?? connection.query('commit');
      commit.catch(() => undefined); // awaited below, once what was left behind is answered
      // Answered before the commit: had one failed, the commit was a rollback.
      await unit.caughtUp();
      await commit;
      return value;
    } catch (error) {
      // A failed begin is the cause (what followed it failed for it); else a statement left behind's failure, else the work's.
      const beginFailure = await begun?.then(() => undefined, (failure: unknown) => failure);
      const cause = beginFailure ?? (await unit?.failureBehind()) ?? error;
      try {
        await connection.query('rollback');
      } catch {
        disposeConnection(connection, 'rollback failed');
      }
      throw cause;
    } finally {
      unit?.end();
      // Every statement of the unit has been answered (the commit or rollback was awaited): back to one at a time for the pool.
      setPipeline(connection, false);
      await knexClient.releaseConnection(connection);
    }
  });
  await runAfterCommit(tenantId, hooks, events);
  return result;
}

/**
 * One statement of `tenantId` in a transaction of its own, in one round trip: the begin
 * (with the tenant, for row-level security), the statement and the commit leave together
 * (pg's pipeline mode) and are answered in order. When the statement fails, PostgreSQL
 * answers the commit with a rollback, so nothing it wrote stays, and it throws here. No
 * ORM, events or subscribers: for the sign-in (web/sign-in.ts), whose every round trip
 * costs the server about as much CPU as the rest of the request beside the hash.
 */
/** A unit's begin: its tenant for row-level security, and generic plans (a checked safe integer, written into the text). */
const beginIn = (tenantId: number): string =>
  `begin; select set_config('app.tenant_id', '${tenantId}', true), set_config('plan_cache_mode', 'force_generic_plan', true)`;

export async function inTenantStatement<R>(tenantId: number, text: string, params: unknown[]): Promise<R[]> {
  if (!Number.isSafeInteger(tenantId) || tenantId <= 0) throw new Error(`Not a tenant id: ${tenantId}`);
  const knexClient = getOrm().em.getConnection().getKnex().client as unknown as KnexClient;
  const connection = await knexClient.acquireConnection();
  const sql = new Sql(tenantId, connection);
  try {
    setPipeline(connection, true);
    writeTogether(connection); // the begin, the statement and the commit in one socket write (sql.ts)
    const [begun, rows, committed] = await Promise.allSettled([
      connection.query(beginIn(tenantId)),
      sql.query<R>(text, params),
      connection.query('commit'),
    ]);
    if (begun.status === 'rejected' || committed.status === 'rejected') {
      // Where the transaction stands is not known: the connection is not reused.
      disposeConnection(connection, 'a one-statement transaction failed');
      throw begun.status === 'rejected' ? begun.reason : (committed as PromiseRejectedResult).reason;
    }
    if (rows.status === 'rejected') throw rows.reason;
    return rows.value;
  } finally {
    sql.end();
    setPipeline(connection, false);
    await knexClient.releaseConnection(connection);
  }
}

/** pg's pipeline mode (each statement sent at once, answered in order) is a property of the client, read as statements are sent and answered. */
function setPipeline(connection: pg.ClientBase, on: boolean): void {
  (connection as unknown as { pipeline: boolean }).pipeline = on;
}

/** A unit of work of `tenantId` through the ORM (jobs, sign-in, domain scripts). */
export function inTenant<T>(tenantId: number, work: (em: Em) => Promise<T>, actor?: Actor): Promise<T> {
  return inTenantWork(tenantId, (unit) => work(unit.em), actor);
}

/** Queue something to run after the current unit of work commits. */
export function afterCommit(hook: () => void | Promise<void>): void {
  const ctx = current();
  if (!ctx) throw new Error('afterCommit outside a unit of work');
  ctx.afterCommit.push(hook);
}

/**
 * An EntityManager for the tables no tenant owns (tenants, mailbox_polls): no tenant,
 * no unit of work, no transaction — each query on its own. Never for tenant data
 * (RLS shows it nothing there anyway).
 */
export function globalEm(): Em {
  return getOrm().em.fork() as Em;
}
