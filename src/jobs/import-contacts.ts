// Contacts > Import, after Import is clicked: the stored file is imported in batches,
// each its own unit of work (so the progress shows and a cancel takes effect between
// batches) — which is why this job restores the tenant per batch, in the verb, rather
// than running as one tenantJob unit.
import { runImport } from '../domain/contact/import-run.js';
import type { JobDefinition } from './registry.js';
import { tenantIdOf } from './tenant-job.js';
import { log } from '../lib/logger.js';

export const IMPORT_CONTACTS = 'import-contacts';

export const importContactsJob: JobDefinition = {
  name: IMPORT_CONTACTS,
  async run(data) {
    const tenantId = tenantIdOf(data);
    const importId = Number(data.importId);
    if (!tenantId || !Number.isSafeInteger(importId) || importId <= 0) {
      log.warn({ job: IMPORT_CONTACTS }, 'an import job without a tenant or import id was dropped');
      return;
    }
    await runImport(tenantId, importId);
  },
};
