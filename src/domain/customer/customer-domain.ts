import { EntitySchema, type Opt } from '@mikro-orm/core';
import { tenantOwned } from '../../db/tenant-owned.js';
import type { Tenant } from '../tenant/tenant.js';
import type { Customer } from './customer.js';

/**
 * An email domain a customer owns (Manage Domains, Enterprise): a new contact from it is
 * placed in that customer. `domain` is the ASCII (punycode) lower-case form; screens show
 * it in Unicode. A domain belongs to at most one customer of a tenant.
 */
export class CustomerDomain {
  id!: number;
  tenant!: Tenant;
  customer!: Customer;
  domain!: string;
  createdAt: Opt<Date> = new Date();
}

export const CustomerDomainSchema = new EntitySchema<CustomerDomain>(tenantOwned({
  class: CustomerDomain,
  tableName: 'customer_domains',
  properties: {
    id: { type: 'number', primary: true },
    customer: { kind: 'm:1', entity: 'Customer', fieldName: 'customer_id' },
    domain: { type: 'string' },
    createdAt: { type: 'Date' },
  },
}));
