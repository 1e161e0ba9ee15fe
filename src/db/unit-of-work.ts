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

export class TenantWork {
  #em?: Em;

  constructor(readonly tenantId: number, readonly sql: Sql, private readonly transaction: Knex.Transaction) {}

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

  /** Writes what the ORM holds (if it was used). */
  async flush(): Promise<void> {
    await this.#em?.flush();
  }
}

/** Runs `work` as one unit of work of `tenantId`; commits when it returns, rolls back when it throws. */
export async function inTenantWork<T>(tenantId: number, work: (unit: TenantWork) => Promise<T>, actor?: Current['actor']): Promise<T> {
  if (!Number.isSafeInteger(tenantId) || tenantId <= 0) throw new Error(`Not a tenant id: ${tenantId}`);
  const outer = current();
  const hooks: Current['afterCommit'] = [];
  const result = await runWithCurrent({ ...outer, tenantId, actor: actor ?? outer?.actor, afterCommit: hooks }, async () => {
    const transaction = await getOrm().em.getConnection().getKnex().transaction();
    try {
      // knex's transaction client hands out the one connection the transaction holds.
      const client = await (transaction.client as unknown as { acquireConnection(): Promise<pg.ClientBase> }).acquireConnection();
      const sql = new Sql(tenantId, client);
      // Prepared statements here are scoped to one tenant by their parameters: a generic
      // plan serves every tenant, and planning each execution again (PostgreSQL's choice
      // when a custom plan looks cheaper) costs more than the queries (bench/pages).
      await sql.query("select set_config('app.tenant_id', $1, true), set_config('plan_cache_mode', 'force_generic_plan', true)", [String(tenantId)]);
      const unit = new TenantWork(tenantId, sql, transaction);
      const value = await work(unit);
      await unit.flush();
      await transaction.commit();
      return value;
    } catch (error) {
      if (!transaction.isCompleted()) await transaction.rollback().catch(() => undefined);
      throw error;
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
