// The one place that leans on knex's internals. Why it exists: a unit of work
// begins its own transaction on one pooled connection (so plain SQL and the ORM
// share it, and app.tenant_id is set in the same round trip as BEGIN), and MikroORM
// 6 can only be handed a transaction as a knex transaction object. So this makes
// one, by hand, around that connection; and `disposeConnection` tells knex's pool to
// drop a connection we could not roll back. MikroORM 7 replaces knex with Kysely
// (which takes a connection/transaction it did not begin through its public API):
// when we move to it, this file goes and nothing else should change.
import type { Knex } from '@mikro-orm/knex';
import type pg from 'pg';

/** What knex needs to run the ORM's queries on one connection already in a transaction. */
export interface KnexClient {
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
export function attachedTransaction(knexClient: KnexClient, connection: pg.ClientBase, ended: () => boolean, depth = 0): Knex.Transaction {
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

/** Never hand back a connection that may still hold a transaction: knex's pool drops one marked so. */
export function disposeConnection(connection: pg.ClientBase, reason: string): void {
  (connection as { __knex__disposed?: string }).__knex__disposed = reason;
}
