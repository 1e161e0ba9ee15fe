import { EntitySchema, type Opt, type EntityManager } from '@mikro-orm/core';
import { currentActor } from '../actor.js';
import { tenantOwned } from '../../db/tenant-owned.js';
import type { Tenant } from '../tenant/tenant.js';

export class AuditEvent {
  id!: number;
  tenant!: Tenant;
  actorKind!: string;
  actorId?: number | null = null;
  actorName?: string | null = null;
  action!: string;
  subjectType?: string | null = null;
  subjectId?: number | null = null;
  details: Opt<Record<string, unknown>> = {};
  createdAt: Opt<Date> = new Date();
}

export const AuditEventSchema = new EntitySchema<AuditEvent>(tenantOwned({
  class: AuditEvent,
  tableName: 'audit_events',
  properties: {
    id: { type: 'number', primary: true },
    actorKind: { type: 'string' },
    actorId: { type: 'number', nullable: true },
    actorName: { type: 'string', nullable: true },
    action: { type: 'string' },
    subjectType: { type: 'string', nullable: true },
    subjectId: { type: 'number', nullable: true },
    details: { type: 'json' },
    createdAt: { type: 'Date' },
  },
}));

/** Record what happened, by whom (the current actor), on what. Never put secrets in `details`. */
export function audit(em: EntityManager, tenant: Tenant, action: string, subject?: { type: string; id: number }, details: Record<string, unknown> = {}): AuditEvent {
  const actor = currentActor();
  const event = em.create(AuditEvent, {
    tenant, action, details,
    actorKind: actor.kind, actorId: actor.id ?? null, actorName: actor.name ?? null,
    subjectType: subject?.type ?? null, subjectId: subject?.id ?? null,
  });
  em.persist(event);
  return event;
}
