// Bulk edits from the ticket list: the chosen tickets (or every one a filter holds) are
// assigned, or given a status or a priority, in the one unit of work of the request.
// Each ticket changes through its own verbs (changes.ts), so each gets its history entry
// and raises its domain events — automation rules fire per ticket, as they would for the
// same change made on the ticket's page.
import { LockMode } from '@mikro-orm/core';
import type { Em } from '../../db/orm.js';
import { NotFoundError, ValidationError } from '../../lib/validation.js';
import type { Technician } from '../technician/technician.js';
import type { Tenant } from '../tenant/tenant.js';
import { assign, changePriority, changeStatus } from './changes.js';
import { Ticket } from './ticket.js';

/** At most this many tickets change in one bulk edit (one transaction, one request). */
export const BULK_LIMIT = 500;

/** What a bulk edit sets; a field left undefined is not changed (assignee null: nobody). */
export interface BulkChange {
  assignee?: Technician | null;
  status?: string;
  priority?: string;
}

/**
 * Applies `change` to the tickets with these ids, each through its verbs; answers how
 * many tickets changed. An id that is not one of this workspace's tickets (another's,
 * or none) refuses the whole edit with NotFound, before anything changes.
 */
export async function bulkChange(em: Em, tenant: Tenant, ids: readonly number[], change: BulkChange): Promise<number> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) throw new ValidationError({ tickets: 'tickets.bulk.errors.none' });
  if (unique.length > BULK_LIMIT) throw new ValidationError({ tickets: 'tickets.bulk.errors.tooMany' });
  if (change.assignee === undefined && change.status === undefined && change.priority === undefined) {
    throw new ValidationError({ change: 'tickets.bulk.errors.nothing' });
  }
  // Locked in id order, one statement without joins (see db/locks.ts), so two bulk edits take turns without deadlock.
  const qb = em.createQueryBuilder(Ticket).select('id' as never).where({ id: { $in: unique } }).orderBy({ id: 'asc' }).setLockMode(LockMode.PESSIMISTIC_WRITE);
  await qb.applyFilters();
  const locked = await qb.execute('all');
  if (locked.length !== unique.length) throw new NotFoundError();
  const tickets = await em.find(Ticket, { id: { $in: unique } }, { orderBy: { id: 'asc' }, refresh: true });
  let changed = 0;
  for (const ticket of tickets) {
    let any = false;
    if (change.status !== undefined) any = (await changeStatus(em, tenant, ticket, change.status)) || any;
    if (change.priority !== undefined) any = (await changePriority(em, tenant, ticket, change.priority)) || any;
    if (change.assignee !== undefined) any = (await assign(em, tenant, ticket, change.assignee)) || any;
    if (any) changed++;
  }
  return changed;
}
