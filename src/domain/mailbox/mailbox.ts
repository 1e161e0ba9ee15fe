import { EntitySchema, type Opt } from '@mikro-orm/core';
import { tenantOwned } from '../../db/tenant-owned.js';
import type { Tenant } from '../tenant/tenant.js';

export const TLS_MODES = ['tls', 'starttls', 'none'] as const;
export type TlsMode = (typeof TLS_MODES)[number];

/** How the mailbox signs in to IMAP: its password, or an OAuth 2.0 grant of Microsoft 365 or Google (oauth-grant.ts). */
export const AUTH_METHODS = ['password', 'microsoft', 'google'] as const;
export type AuthMethod = (typeof AUTH_METHODS)[number];
/** An OAuth mailbox's grant: not yet given, working, or refused by the provider (then it waits for an admin to reconnect it). */
export type OauthStatus = 'pending' | 'connected' | 'reconnect';

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
  authMethod: Opt<AuthMethod> = 'password';
  oauthRefreshSealed?: string | null = null;
  oauthAccessSealed?: string | null = null;
  oauthKeyVersion?: number | null = null;
  oauthAccessExpiresAt?: Date | null = null;
  oauthStatus?: OauthStatus | null = null;
  /** The provider's reason for refusing the grant, as it gave it. */
  oauthProblem?: string | null = null;
  oauthConnectedAt?: Date | null = null;
  /** When the admins were emailed about the refused grant (once a refusal). */
  oauthNotifiedAt?: Date | null = null;
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
    authMethod: { type: 'string' },
    oauthRefreshSealed: { type: 'text', nullable: true, lazy: true },
    oauthAccessSealed: { type: 'text', nullable: true, lazy: true },
    oauthKeyVersion: { type: 'number', nullable: true },
    oauthAccessExpiresAt: { type: 'Date', nullable: true },
    oauthStatus: { type: 'string', nullable: true },
    oauthProblem: { type: 'text', nullable: true },
    oauthConnectedAt: { type: 'Date', nullable: true },
    oauthNotifiedAt: { type: 'Date', nullable: true },
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
