import { EntitySchema, type Opt } from '@mikro-orm/core';
import { tenantOwned } from '../../db/tenant-owned.js';
import type { Tenant } from '../tenant/tenant.js';

/** What became of a message taken from a mailbox: the ingest log's outcomes. */
export const OUTCOMES = [
  'ticket_created', 'message_added',
  'ignored_loop', 'ignored_bounce', 'ignored_auto_reply', 'ignored_automated', 'ignored_flood', 'ignored_duplicate',
  'rejected_unknown_sender', 'rejected_blocked_contact', 'rejected_too_large',
  'retrying', 'failed', 'dismissed',
] as const;
export type Outcome = (typeof OUTCOMES)[number];

/** A row of the ingest log (one per message and mailbox). `reason` is a key with no sentence in it. */
export class InboundMessage {
  id!: number;
  tenant!: Tenant;
  mailboxId?: number | null = null;
  messageKey!: string;
  uidValidity?: string | null = null;
  uid?: string | null = null;
  fromAddress?: string | null = null;
  fromName?: string | null = null;
  subject: Opt<string> = '';
  size: Opt<number> = 0;
  outcome!: Outcome;
  reason: Opt<string> = '';
  ticketId?: number | null = null;
  contactId?: number | null = null;
  attempts: Opt<number> = 0;
  lastError?: string | null = null;
  raw?: Buffer | null = null;
  createdAt: Opt<Date> = new Date();
  updatedAt: Opt<Date> = new Date();
}

export const InboundMessageSchema = new EntitySchema<InboundMessage>(tenantOwned({
  class: InboundMessage,
  tableName: 'inbound_messages',
  properties: {
    id: { type: 'number', primary: true },
    mailboxId: { type: 'number', nullable: true },
    messageKey: { type: 'string' },
    uidValidity: { type: 'string', columnType: 'bigint', nullable: true },
    uid: { type: 'string', columnType: 'bigint', nullable: true },
    fromAddress: { type: 'string', nullable: true },
    fromName: { type: 'string', nullable: true },
    subject: { type: 'string' },
    size: { type: 'number' },
    outcome: { type: 'string' },
    reason: { type: 'string' },
    ticketId: { type: 'number', nullable: true },
    contactId: { type: 'number', nullable: true },
    attempts: { type: 'number' },
    lastError: { type: 'text', nullable: true },
    raw: { type: 'blob', lazy: true, nullable: true },
    createdAt: { type: 'Date' },
    updatedAt: { type: 'Date' },
  },
}));
