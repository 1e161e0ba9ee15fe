// Admin > Integrations > Microsoft Entra ID, after Sync now: the directory is read, then
// imported by the contact import's batches (integration/entra-sync.ts), each its own unit
// of work — so, like import-contacts, the tenant is restored in the verb, per unit.
import { runEntraSync } from '../domain/integration/entra-sync.js';
import { log } from '../lib/logger.js';
import type { JobDefinition } from './registry.js';
import { tenantIdOf } from './tenant-job.js';

export const ENTRA_SYNC = 'entra-sync';

export const entraSyncJob: JobDefinition = {
  name: ENTRA_SYNC,
  async run(data) {
    const tenantId = tenantIdOf(data);
    const importId = Number(data.importId);
    if (!tenantId || !Number.isSafeInteger(importId) || importId <= 0) {
      log.warn({ job: ENTRA_SYNC }, 'an Entra ID sync job without a tenant or import id was dropped');
      return;
    }
    await runEntraSync(tenantId, importId);
  },
};
