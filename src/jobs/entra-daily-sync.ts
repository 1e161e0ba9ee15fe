// The optional daily sync of a Microsoft Entra ID connection: every 15 minutes the due
// connections are found in entra_sync_schedules (ids and times, no RLS: no loop over every
// tenant), each moved on a day as it is taken, and a sync is run for each — read by delta
// query and imported without a preview, as the system (integration/entra-sync.ts).
import { inTenantWork } from '../db/unit-of-work.js';
import { dueDailySyncs, EntraConnection, syncUnderWay } from '../domain/integration/entra-connection.js';
import { runEntraSync, startSync } from '../domain/integration/entra-sync.js';
import { Tenant } from '../domain/tenant/tenant.js';
import { log } from '../lib/logger.js';
import { ValidationError } from '../lib/validation.js';
import type { JobDefinition } from './registry.js';
import { tenantIdOf } from './tenant-job.js';

const DAILY_SYNC = 'entra-daily-sync';

export const entraDailySyncsJob: JobDefinition = {
  name: 'entra-daily-syncs',
  every: '15 minutes',
  async run(_data, scheduler) {
    for (const { tenantId, connectionId } of await dueDailySyncs()) await scheduler.now(DAILY_SYNC, { tenantId, connectionId });
  },
};

/** One connection's daily run: skipped when a sync of it is already under way, or the daily sync was turned off meanwhile. */
export async function runDailySync(tenantId: number, connectionId: number): Promise<number | undefined> {
  const importId = await inTenantWork(tenantId, async ({ em }) => {
    const connection = await em.findOne(EntraConnection, { id: connectionId, dailySync: true }, { populate: ['customer'] });
    if (!connection) return undefined;
    // A sync read, waiting for its preview (someone may be looking at it) or importing: this day's run is skipped.
    if (await syncUnderWay(em, connection)) return undefined;
    try {
      return (await startSync(em, await em.findOneOrFail(Tenant, { id: tenantId }), null, connection, { scheduled: true })).id;
    } catch (error) {
      if (error instanceof ValidationError) return undefined;
      throw error;
    }
  }, { kind: 'system', name: DAILY_SYNC });
  if (importId) await runEntraSync(tenantId, importId);
  return importId;
}

export const entraDailySyncJob: JobDefinition = {
  name: DAILY_SYNC,
  async run(data) {
    const tenantId = tenantIdOf(data);
    const connectionId = Number(data.connectionId);
    if (!tenantId || !Number.isSafeInteger(connectionId) || connectionId <= 0) {
      log.warn({ job: DAILY_SYNC }, 'a daily Entra ID sync without a tenant or connection id was dropped');
      return;
    }
    await runDailySync(tenantId, connectionId);
  },
};
