// A unit of work for one tenant: one connection, one transaction, begun with
// app.tenant_id set transaction-locally for row-level security. It offers the
// transaction two ways: `sql` (plain prepared statements, for what every page
// reads) and `em` (a MikroORM EntityManager with the mandatory tenant filter set,
// made on first use and attached to the same transaction; flushed before commit).
// A page that only reads through `sql` never pays for the ORM.
// Work registered with `afterCommit` (e.g. waking the mail job) runs once the
// transaction has committed.
import type { MikroORM } from '@mikro-orm/postgresql';
import type { Knex } from '@mikro-orm/knex';
import type pg from 'pg';
import { current, runWithCurrent, type Current } from '../current.js';
import { log } from '../lib/logger.js';
import type { Em } from './orm.js';
import { Sql } from './sql.js';

let orm: MikroORM | undefined;

export function setOrm(value: MikroORM | undefined): void {
  orm = value;
}

export function getOrm(): MikroORM {
  if (!orm) throw new Error('The database is not open');
  return orm;
}

/** What knex needs to run the ORM's queries on one connection already in a transaction. */
interface KnexClient {
  acquireConnection(): Promise<pg.ClientBase>;
  releaseConnection(connection: pg.ClientBase): Promise<void>;
}

/**
 * A knex transaction context on a connection whose transaction we began ourselves:
 * the ORM runs every query of the unit of work on it (knex's `transacting`), and
 * never begins, commits or rolls back the transaction itself there. A nested
 * transaction (MikroORM's `em.transactional` inside the unit of work) is a real
 * SAVEPOINT on the same connection, released on commit and rolled back to on failure.
 * (This leans on knex's client internals; MikroORM 7 replaces knex with Kysely, and
 * then this adapter goes.)
 */
function attachedTransaction(knexClient: KnexClient, connection: pg.ClientBase, ended: () => boolean, depth = 0): Knex.Transaction {
  const client = Object.create(knexClient, {
    transacting: { value: true },
    // An EntityManager kept past its unit of work must not reach the connection: it is back in the pool.
    acquireConnection: { value: () => (ended() ? Promise.reject(new Error('This unit of work has ended: its connection is no longer ours')) : Promise.resolve(connection)) },
    releaseConnection: { value: () => Promise.resolve() },
  });
  const refuse = () => {
    throw new Error('The unit of work commits or rolls back its own transaction');
  };
  let savepoints = 0;
  const savepoint = async () => {
    if (ended()) throw new Error('This unit of work has ended: its connection is no longer ours');
    const name = `sp_${depth + 1}_${++savepoints}`;
    await connection.query(`savepoint ${name}`);
    const nested = attachedTransaction(knexClient, connection, ended, depth + 1) as unknown as Record<string, unknown>;
    let done = false;
    // MikroORM calls commit() without awaiting it, then awaits executionPromise.
    nested.commit = () => {
      done = true;
      nested.executionPromise = connection.query(`release savepoint ${name}`);
      return nested.executionPromise;
    };
    nested.rollback = async () => {
      done = true;
      await connection.query(`rollback to savepoint ${name}; release savepoint ${name}`);
    };
    nested.isCompleted = () => done || ended();
    return nested as unknown as Knex.Transaction;
  };
  return { client, transaction: savepoint, savepoint, commit: refuse, rollback: refuse, isCompleted: ended, executionPromise: Promise.resolve() } as unknown as Knex.Transaction;
}

export class TenantWork {
  #em?: Em;
  #ended = false;
  readonly sql: Sql;
  private readonly transaction: Knex.Transaction;

  constructor(readonly tenantId: number, knexClient: KnexClient, connection: pg.ClientBase) {
    this.sql = new Sql(tenantId, connection);
    this.transaction = attachedTransaction(knexClient, connection, () => this.#ended);
  }

  /** The ORM on this unit of work's transaction (made on first use). */
  get em(): Em {
    if (!this.#em) {
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
    return this.em.transactional((em) => fn(em as Em));
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

/** Runs `work` as one unit of work of `tenantId`; commits when it returns, rolls back when it throws. */
export async function inTenantWork<T>(tenantId: number, work: (unit: TenantWork) => Promise<T>, actor?: Current['actor']): Promise<T> {
  if (!Number.isSafeInteger(tenantId) || tenantId <= 0) throw new Error(`Not a tenant id: ${tenantId}`);
  const outer = current();
  const hooks: Current['afterCommit'] = [];
  const result = await runWithCurrent({ ...outer, tenantId, actor: actor ?? outer?.actor, afterCommit: hooks }, async () => {
    const knexClient = getOrm().em.getConnection().getKnex().client as unknown as KnexClient;
    const connection = await knexClient.acquireConnection();
    let unit: TenantWork | undefined;
    try {
      // One round trip: the transaction, its tenant for RLS, and generic plans for the
      // prepared statements here — they are scoped to one tenant by their parameters, so
      // one plan serves every tenant, and planning each execution again (PostgreSQL's
      // choice when a custom plan looks cheaper) costs more than the queries (bench/pages).
      // The id is a checked safe integer (above), so it is written into the text.
      await connection.query(`begin; select set_config('app.tenant_id', '${tenantId}', true), set_config('plan_cache_mode', 'force_generic_plan', true)`);
      unit = new TenantWork(tenantId, knexClient, connection);
      const value = await work(unit);
      await unit.flush();
      await connection.query('commit');
      return value;
    } catch (error) {
      try {
        await connection.query('rollback');
      } catch {
        // Never hand back a connection that may still hold a transaction: the pool drops it.
        (connection as { __knex__disposed?: string }).__knex__disposed = 'rollback failed';
      }
      throw error;
    } finally {
      unit?.end();
      await knexClient.releaseConnection(connection);
    }
  });
  for (const hook of hooks) {
    try {
      await hook();
    } catch (error) {
      log.warn({ err: error }, 'after-commit work failed; the outbox sweep will retry');
    }
  }
  return result;
}

/** A unit of work of `tenantId` through the ORM (jobs, sign-in, domain scripts). */
export function inTenant<T>(tenantId: number, work: (em: Em) => Promise<T>, actor?: Current['actor']): Promise<T> {
  return inTenantWork(tenantId, (unit) => work(unit.em), actor);
}

/** Queue something to run after the current unit of work commits. */
export function afterCommit(hook: () => void | Promise<void>): void {
  const ctx = current();
  if (!ctx) throw new Error('afterCommit outside a unit of work');
  ctx.afterCommit.push(hook);
}

/** A unit of work for tables no tenant owns (the tenants lookup). */
export function withoutTenant(): Em {
  return getOrm().em.fork() as Em;
}
