// A technician's second factor: the TOTP secret (sealed) and their recovery codes (hashed).
import { EntitySchema, type Opt } from '@mikro-orm/core';
import { tenantOwned } from '../../db/tenant-owned.js';
import type { Tenant } from '../tenant/tenant.js';
import type { Technician } from './technician.js';

export class SecondFactor {
  id!: number;
  tenant!: Tenant;
  technician!: Technician;
  secretCiphertext!: string;
  keyVersion!: number;
  /** Null while the enrolment waits for its first code. */
  confirmedAt?: Date | null = null;
  /** The TOTP time step of the last code accepted (a string: bigint). */
  lastUsedStep?: string | null = null;
  createdAt: Opt<Date> = new Date();
}

export const SecondFactorSchema = new EntitySchema<SecondFactor>(tenantOwned({
  class: SecondFactor,
  tableName: 'technician_second_factors',
  properties: {
    id: { type: 'number', primary: true },
    technician: { kind: 'm:1', entity: 'Technician' },
    secretCiphertext: { type: 'text', hidden: true },
    keyVersion: { type: 'number' },
    confirmedAt: { type: 'Date', nullable: true },
    lastUsedStep: { type: 'bigint', nullable: true },
    createdAt: { type: 'Date' },
  },
}));

export class RecoveryCode {
  id!: number;
  tenant!: Tenant;
  technician!: Technician;
  codeHash!: string;
  usedAt?: Date | null = null;
  createdAt: Opt<Date> = new Date();
}

export const RecoveryCodeSchema = new EntitySchema<RecoveryCode>(tenantOwned({
  class: RecoveryCode,
  tableName: 'technician_recovery_codes',
  properties: {
    id: { type: 'number', primary: true },
    technician: { kind: 'm:1', entity: 'Technician' },
    codeHash: { type: 'string' },
    usedAt: { type: 'Date', nullable: true },
    createdAt: { type: 'Date' },
  },
}));
