// A unit of work for one tenant: a forked EntityManager with the mandatory
// tenant filter set, inside one transaction (which sets app.tenant_id for RLS).
// Work registered with `afterCommit` (e.g. waking the mail job) runs once the
// transaction has committed.
import type { MikroORM } from '@mikro-orm/postgresql';
import { current, runWithCurrent, type Current } from '../current.js';
import { log } from '../lib/logger.js';
import type { Em } from './orm.js';

let orm: MikroORM | undefined;

export function setOrm(value: MikroORM | undefined): void {
  orm = value;
}

export function getOrm(): MikroORM {
  if (!orm) throw new Error('The database is not open');
  return orm;
}

export async function inTenant<T>(tenantId: number, work: (em: Em) => Promise<T>, actor?: Current['actor']): Promise<T> {
  const outer = current();
  const hooks: Current['afterCommit'] = [];
  const result = await runWithCurrent({ ...outer, tenantId, actor: actor ?? outer?.actor, afterCommit: hooks }, async () => {
    const em = getOrm().em.fork();
    em.setFilterParams('tenant', { id: tenantId });
    return em.transactional((tx) => work(tx as Em));
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
