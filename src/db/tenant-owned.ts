// Every tenant-owned entity carries `tenant` and the mandatory `tenant` filter:
// a query through an EntityManager without the tenant set throws instead of
// reading every tenant's rows. PostgreSQL row-level security holds beneath it.
import type { EntitySchemaMetadata } from '@mikro-orm/core';
import { Tenant } from '../domain/tenant/tenant.js';

export const tenantFilter = {
  name: 'tenant',
  cond: (args: { id: number }) => ({ tenant: args.id }),
  default: true,
};

type WithoutTenant<T> = Omit<EntitySchemaMetadata<T>, 'properties'> & { properties: Record<string, unknown> };

export function tenantOwned<T>(meta: WithoutTenant<T>): EntitySchemaMetadata<T> {
  return {
    ...meta,
    filters: { tenant: tenantFilter, ...(meta.filters ?? {}) },
    properties: {
      tenant: { kind: 'm:1', entity: () => Tenant, fieldName: 'tenant_id', hidden: true },
      ...meta.properties,
    } as unknown as EntitySchemaMetadata<T>['properties'],
  } as EntitySchemaMetadata<T>;
}
