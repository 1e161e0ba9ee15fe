// The outbox and mail log. The stored body never holds a secret: credential
// snippets stay as markers (tokens, see snippets.ts) and are minted by the
// send job, into the message only.
import { EntitySchema, type Opt } from '@mikro-orm/core';
import { tenantOwned } from '../db/tenant-owned.js';
import type { Tenant } from '../domain/tenant/tenant.js';

export type EmailStatus = 'queued' | 'sent' | 'failed' | 'captured';

/** Who a credential marker in the body is minted for. */
export interface CredentialTarget {
  technicianId?: number;
  contactId?: number;
  /** For a {[Portal Password Link]} or a technician's set-password link: an invitation (72 h) or a reset (1 h). */
  purpose?: 'invite' | 'reset';
}

export class OutboundEmail {
  id!: number;
  tenant!: Tenant;
  toAddress!: string;
  toName?: string | null = null;
  subject!: string;
  textBody!: string;
  htmlBody?: string | null = null;
  kind!: string;
  credentialTarget?: CredentialTarget | null = null;
  replyTo?: string | null = null;
  inReplyTo?: string | null = null;
  autoSubmitted: Opt<boolean> = false;
  ticketId?: number | null = null;
  contactId?: number | null = null;
  status: Opt<EmailStatus> = 'queued';
  attempts: Opt<number> = 0;
  lastError?: string | null = null;
  nextAttemptAt: Opt<Date> = new Date();
  messageId?: string | null = null;
  sentAt?: Date | null = null;
  capturedPath?: string | null = null;
  createdAt: Opt<Date> = new Date();
}

export const OutboundEmailSchema = new EntitySchema<OutboundEmail>(tenantOwned({
  class: OutboundEmail,
  tableName: 'outbound_emails',
  properties: {
    id: { type: 'number', primary: true },
    toAddress: { type: 'string' },
    toName: { type: 'string', nullable: true },
    subject: { type: 'string' },
    textBody: { type: 'text' },
    htmlBody: { type: 'text', nullable: true },
    kind: { type: 'string' },
    credentialTarget: { type: 'json', nullable: true },
    replyTo: { type: 'string', nullable: true },
    inReplyTo: { type: 'string', nullable: true },
    autoSubmitted: { type: 'boolean' },
    ticketId: { type: 'number', nullable: true },
    contactId: { type: 'number', nullable: true },
    status: { type: 'string' },
    attempts: { type: 'number' },
    lastError: { type: 'text', nullable: true },
    nextAttemptAt: { type: 'Date' },
    messageId: { type: 'string', nullable: true },
    sentAt: { type: 'Date', nullable: true },
    capturedPath: { type: 'string', nullable: true },
    createdAt: { type: 'Date' },
  },
}));
