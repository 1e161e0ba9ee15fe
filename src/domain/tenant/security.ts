// Admin > Security: the workspace's sign-in policy.
import type { Em } from '../../db/orm.js';
import { audit } from '../audit/audit-event.js';
import type { Tenant } from './tenant.js';

/** With it on, a technician without a second factor is sent to enrol before anything else. */
export async function requireSecondFactor(em: Em, tenant: Tenant, required: boolean): Promise<void> {
  await em.execute('select id from tenants where id = ? for update', [tenant.id]);
  await em.refresh(tenant);
  if (tenant.requireSecondFactor === required) return;
  tenant.requireSecondFactor = required;
  audit(em, tenant, required ? 'tenant.second_factor_required' : 'tenant.second_factor_optional', { type: 'tenant', id: tenant.id });
  await em.flush();
}
