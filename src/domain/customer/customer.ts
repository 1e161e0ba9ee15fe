import { EntitySchema, type Opt } from '@mikro-orm/core';
import { tenantOwned } from '../../db/tenant-owned.js';
import type { Tenant } from '../tenant/tenant.js';

/** An organisation the tenant serves (a Customer for MSPs, a Site for IT departments). */
export class Customer {
  id!: number;
  tenant!: Tenant;
  name!: string;
  /** The one "Unassigned" customer, created with the tenant; never deleted or renamed away. */
  isDefault: Opt<boolean> = false;
  notes: Opt<string> = '';
  createdAt: Opt<Date> = new Date();
}

export const CustomerSchema = new EntitySchema<Customer>(tenantOwned({
  class: Customer,
  tableName: 'customers',
  properties: {
    id: { type: 'number', primary: true },
    name: { type: 'string' },
    isDefault: { type: 'boolean' },
    notes: { type: 'text' },
    createdAt: { type: 'Date' },
  },
}));
