import { EntitySchema, type Opt } from '@mikro-orm/core';
import { tenantOwned } from '../../db/tenant-owned.js';
import type { Tenant } from '../tenant/tenant.js';

export const TLS_MODES = ['tls', 'starttls', 'none'] as const;
export type TlsMode = (typeof TLS_MODES)[number];

/** A support address, polled over IMAP. The password is sealed; it is never shown again. */
export class Mailbox {
  id!: number;
  tenant!: Tenant;
  address!: string;
  host!: string;
  port!: number;
  tls!: TlsMode;
  username!: string;
  passwordSealed!: string;
  passwordKeyVersion!: number;
  folder: Opt<string> = 'INBOX';
  processedFolder?: string | null = null;
  pollMinutes: Opt<number> = 1;
  enabled: Opt<boolean> = true;
  uidValidity?: string | null = null;
  lastUid: Opt<string> = '0';
  lastPollAt?: Date | null = null;
  lastPollCount: Opt<number> = 0;
  totalCount: Opt<number> = 0;
  lastError?: string | null = null;
  lastErrorAt?: Date | null = null;
  createdAt: Opt<Date> = new Date();
  updatedAt: Opt<Date> = new Date();
}

export const MailboxSchema = new EntitySchema<Mailbox>(tenantOwned({
  class: Mailbox,
  tableName: 'mailboxes',
  properties: {
    id: { type: 'number', primary: true },
    address: { type: 'string' },
    host: { type: 'string' },
    port: { type: 'number' },
    tls: { type: 'string' },
    username: { type: 'string' },
    passwordSealed: { type: 'text', lazy: true },
    passwordKeyVersion: { type: 'number' },
    folder: { type: 'string' },
    processedFolder: { type: 'string', nullable: true },
    pollMinutes: { type: 'number' },
    enabled: { type: 'boolean' },
    uidValidity: { type: 'string', columnType: 'bigint', nullable: true },
    lastUid: { type: 'string', columnType: 'bigint' },
    lastPollAt: { type: 'Date', nullable: true },
    lastPollCount: { type: 'number' },
    totalCount: { type: 'number' },
    lastError: { type: 'text', nullable: true },
    lastErrorAt: { type: 'Date', nullable: true },
    createdAt: { type: 'Date' },
    updatedAt: { type: 'Date' },
  },
}));
