import type { Em } from '../../db/orm.js';
import { termsFor } from '../tenant/terms.js';
import type { Tenant } from '../tenant/tenant.js';
import { Customer } from './customer.js';

/** Every tenant has one default customer ("Unassigned" / "Non assegnato", in its language), where unplaced contacts go. */
export async function createDefaultCustomer(em: Em, tenant: Tenant): Promise<void> {
  em.persist(em.create(Customer, { tenant, name: termsFor(tenant.edition, tenant.language).defaultCustomer, isDefault: true }));
  await em.flush();
}

export async function defaultCustomer(em: Em): Promise<Customer> {
  return em.findOneOrFail(Customer, { isDefault: true });
}
