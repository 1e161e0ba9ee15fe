// A job that works for one tenant: the tenant is restored from the job's data
// (`tenantId`, set by whoever queued it), and the body runs as one unit of work of
// that tenant — RLS on, its subscribers run, committed when it returns, rolled back
// when it throws — acting as the system named after the job unless `actor` says.
// A job without a valid tenant id is dropped with a warning, never run without one.
import type { Actor } from '../current.js';
import { inTenantWork, type TenantWork } from '../db/unit-of-work.js';
import { log } from '../lib/logger.js';
import type { JobDefinition, JobScheduler } from './registry.js';

export interface TenantJobDefinition {
  name: string;
  every?: string;
  concurrency?: number;
  actor?: Actor;
  run(work: TenantWork, data: Record<string, unknown>, scheduler: JobScheduler): Promise<void>;
}

export function tenantIdOf(data: Record<string, unknown>): number | undefined {
  const id = Number(data.tenantId);
  return Number.isSafeInteger(id) && id > 0 && id < 2_147_483_648 ? id : undefined;
}

export function tenantJob(definition: TenantJobDefinition): JobDefinition {
  const actor = definition.actor ?? { kind: 'system', name: definition.name };
  return {
    name: definition.name,
    every: definition.every,
    concurrency: definition.concurrency,
    async run(data, scheduler) {
      const tenantId = tenantIdOf(data);
      if (!tenantId) {
        log.warn({ job: definition.name }, 'a tenant job without a tenant id was dropped');
        return;
      }
      await inTenantWork(tenantId, (work) => definition.run(work, data, scheduler), actor);
    },
  };
}
