// Single-use tokens (set-password invitations, resets, the signup hand-over, sign-in unlock links,
// a technician's email change, which carries the new address it confirms):
// 32 random bytes, stored only as their SHA-256.
import { createHash, randomBytes } from 'node:crypto';
import { EntitySchema, type Opt } from '@mikro-orm/core';
import { tenantOwned } from '../../db/tenant-owned.js';
import type { Tenant } from '../tenant/tenant.js';
import type { Contact } from '../contact/contact.js';
import type { Technician } from './technician.js';

export type TokenPurpose = 'invite' | 'reset' | 'handover' | 'unlock' | 'email';

export class PasswordToken {
  id!: number;
  tenant!: Tenant;
  technician?: Technician | null = null;
  contact?: Contact | null = null;
  purpose!: TokenPurpose;
  tokenHash!: string;
  /** For an email change: the address it confirms. */
  newEmail?: string | null = null;
  expiresAt!: Date;
  usedAt?: Date | null = null;
  createdAt: Opt<Date> = new Date();
}

export const PasswordTokenSchema = new EntitySchema<PasswordToken>(tenantOwned({
  class: PasswordToken,
  tableName: 'password_tokens',
  properties: {
    id: { type: 'number', primary: true },
    technician: { kind: 'm:1', entity: 'Technician', nullable: true },
    contact: { kind: 'm:1', entity: 'Contact', nullable: true },
    purpose: { type: 'string' },
    tokenHash: { type: 'string', unique: true },
    newEmail: { type: 'string', nullable: true },
    expiresAt: { type: 'Date' },
    usedAt: { type: 'Date', nullable: true },
    createdAt: { type: 'Date' },
  },
}));

export function newToken(): { token: string; hash: string } {
  const token = randomBytes(32).toString('base64url');
  return { token, hash: hashToken(token) };
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
