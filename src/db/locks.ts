// A record about to be changed is locked first (`select … for update`): two
// requests changing it at once then take turns, and the second reads what the
// first wrote (or finds it deleted, a 404) — so each change is applied and
// recorded once, from the value it really replaced. The lock lasts until the
// unit of work ends.
import { LockMode, type EntityName, type FilterQuery } from '@mikro-orm/core';
import type { Em } from './orm.js';

/**
 * Locks the row matching `where` (in the current tenant), and only it; false when
 * there is none. The lock is one statement of its own, with no join: the ORM's
 * locked find would lock the rows of every table it joins (relations it joins for
 * the tenant filter, populated ones) in an order that differs from verb to verb —
 * a recipe for deadlocks — and, after waiting for the lock, PostgreSQL rechecks
 * only the locked row, so the joined columns (a ticket's assignee) could be the
 * ones from before the wait. Read the record afterwards with an ordinary find: in
 * READ COMMITTED that statement sees what the previous holder committed. Lock
 * before the unit of work first reads the record (or `em.refresh` it after the
 * lock): a find answers from the identity map what it already holds.
 */
export async function lockForChange<T extends object>(em: Em, entity: EntityName<T>, where: FilterQuery<T>): Promise<boolean> {
  const qb = em.createQueryBuilder(entity).select('id' as never).where(where).limit(1).setLockMode(LockMode.PESSIMISTIC_WRITE);
  await qb.applyFilters(); // the QueryBuilder ignores the tenant filter otherwise (RLS holds beneath)
  return (await qb.execute('all')).length > 0;
}
