// The context of the running request or job: its tenant, actor and unit of work.
// Set once at the door (web middleware or job); everything below reads it here.
import { AsyncLocalStorage } from 'node:async_hooks';

export interface Current {
  tenantId?: number;
  requestId?: string;
  actor?: { kind: 'technician' | 'contact' | 'system'; id?: number; name?: string };
  afterCommit: Array<() => void | Promise<void>>;
}

const storage = new AsyncLocalStorage<Current>();

export function current(): Current | undefined {
  return storage.getStore();
}

export function runWithCurrent<T>(value: Partial<Current>, fn: () => T): T {
  return storage.run({ afterCommit: [], ...value }, fn);
}
