// The context of the running request or job: its tenant, who acts, and what its
// unit of work has gathered (after-commit hooks, domain events). Set once at the
// door (web middleware or job); everything below reads it here.
import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * Who acts: a technician or a contact (a person, by id), the system (a job, the
 * mail ingest, a script: `name` says which), or an automation rule (so a rule's own
 * changes can be told apart from a person's). The one actor type of the domain: the
 * audit log, the ticket history and the domain events all record this.
 */
export interface Actor {
  kind: 'technician' | 'contact' | 'system' | 'rule';
  id?: number;
  name?: string;
}

/** A domain event raised into the current unit of work (see src/domain/events.ts). */
export interface RaisedEvent { readonly type: string; readonly origin: Actor }

export interface Current {
  tenantId?: number;
  requestId?: string;
  actor?: Actor;
  afterCommit: Array<() => void | Promise<void>>;
  /** The events the unit of work's verbs raised, in order (shared by `actingAs` scopes). */
  events?: RaisedEvent[];
}

const storage = new AsyncLocalStorage<Current>();

export function current(): Current | undefined {
  return storage.getStore();
}

export function runWithCurrent<T>(value: Partial<Current>, fn: () => T): T {
  return storage.run({ afterCommit: [], ...value }, fn);
}

export const SYSTEM: Actor = Object.freeze({ kind: 'system' });

/** Who acts now (the system when no one was named at the door). */
export function currentActor(): Actor {
  return current()?.actor ?? SYSTEM;
}

/**
 * Runs `fn` with another actor inside the same unit of work (same tenant, same
 * hooks and events): the mail ingest acts as the message's sender, an automation
 * rule as itself.
 */
export function actingAs<T>(actor: Actor, fn: () => T): T {
  const outer = current();
  if (!outer) throw new Error('actingAs outside a unit of work');
  return storage.run({ ...outer, actor }, fn);
}
