import { EntitySchema, type Opt } from '@mikro-orm/core';
import { tenantOwned } from '../../db/tenant-owned.js';
import type { Tenant } from '../tenant/tenant.js';

/** A canned reply a technician drops into a ticket's reply box; snippets resolve when it is sent. */
export class QuickReply {
  id!: number;
  tenant!: Tenant;
  name!: string;
  body!: string;
  createdAt: Opt<Date> = new Date();
  updatedAt: Opt<Date> = new Date();
}

export const QuickReplySchema = new EntitySchema<QuickReply>(tenantOwned({
  class: QuickReply,
  tableName: 'quick_replies',
  properties: {
    id: { type: 'number', primary: true },
    name: { type: 'string' },
    body: { type: 'text' },
    createdAt: { type: 'Date' },
    updatedAt: { type: 'Date' },
  },
}));
