import { EntitySchema, type Opt } from '@mikro-orm/core';
import { tenantOwned } from '../../db/tenant-owned.js';
import type { Tenant } from '../tenant/tenant.js';

/**
 * A public mailbox domain the workspace adds to the maintained list (Admin > Email
 * Settings): no customer may own it (Manage Domains refuses it). `domain` is the ASCII
 * (punycode) lower-case form, as a customer's domain is.
 */
export class PublicMailDomain {
  id!: number;
  tenant!: Tenant;
  domain!: string;
  createdAt: Opt<Date> = new Date();
}

export const PublicMailDomainSchema = new EntitySchema<PublicMailDomain>(tenantOwned({
  class: PublicMailDomain,
  tableName: 'public_mail_domains',
  properties: {
    id: { type: 'number', primary: true },
    domain: { type: 'string' },
    createdAt: { type: 'Date' },
  },
}));
