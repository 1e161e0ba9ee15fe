// The verbs of two-factor sign-in: enrol (a secret, confirmed with a first code,
// which also issues ten recovery codes), check a code at sign-in, and reset.
// The secret is stored sealed; recovery codes only as SHA-256 (they are 80 random
// bits each, so a hash cannot be reversed by guessing).
import { createHash, randomInt } from 'node:crypto';
import type { Em } from '../../db/orm.js';
import type { Sql } from '../../db/sql.js';
import { matchingStep, newTotpSecret, otpauthUri, totpDigits } from '../../lib/totp.js';
import { ValidationError } from '../../lib/validation.js';
import { appSecretBox } from '../../secret-box.js';
import { endSessionsOf } from './sessions.js';
import { audit } from '../audit/audit-event.js';
import type { Tenant } from '../tenant/tenant.js';
import { RecoveryCode, SecondFactor } from './second-factor.js';
import type { Technician } from './technician.js';

export const RECOVERY_CODE_COUNT = 10;
// No 0/o, 1/l/i: codes are read off paper.
const ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';

const sealContext = (tenantId: number, technicianId: number) => `technician_second_factors:${tenantId}:${technicianId}`;

function secretOf(factor: SecondFactor, tenantId: number, technicianId: number): string {
  return appSecretBox().open({ version: factor.keyVersion, ciphertext: factor.secretCiphertext }, sealContext(tenantId, technicianId));
}

/** The technician's row, locked: enrolment, confirmation and reset of one technician happen one at a time. */
async function lockTechnician(em: Em, technician: Technician): Promise<void> {
  await em.execute('select id from technicians where tenant_id = ? and id = ? for update', [technician.tenant.id, technician.id]);
}

/** Whether the technician signs in with a second factor (read on every request when the workspace requires one). */
export async function hasSecondFactor(sql: Sql, technicianId: number): Promise<boolean> {
  const row = await sql.one(`select 1 from technician_second_factors where tenant_id = $1 and technician_id = $2 and confirmed_at is not null`, [sql.tenantId, technicianId]);
  return Boolean(row);
}

export async function secondFactorOf(em: Em, technician: Technician | number): Promise<SecondFactor | null> {
  return em.findOne(SecondFactor, { technician });
}

export interface Enrolment { secret: string; uri: string }

function enrolmentOf(tenant: Tenant, technician: Technician, secret: string): Enrolment {
  return { secret, uri: otpauthUri(secret, `Sportello ${tenant.name}`, technician.email) };
}

/** The enrolment waiting for its first code, or null (none, or already confirmed). */
export async function pendingEnrolment(em: Em, tenant: Tenant, technician: Technician): Promise<Enrolment | null> {
  const factor = await secondFactorOf(em, technician);
  return factor && !factor.confirmedAt ? enrolmentOf(tenant, technician, secretOf(factor, tenant.id, technician.id)) : null;
}

/** The enrolment waiting for its first code (the same secret until it is confirmed), started if there is none; null when already on. */
export async function startEnrolment(em: Em, tenant: Tenant, technician: Technician): Promise<Enrolment | null> {
  await lockTechnician(em, technician);
  const factor = await secondFactorOf(em, technician);
  if (factor?.confirmedAt) return null;
  if (factor) return enrolmentOf(tenant, technician, secretOf(factor, tenant.id, technician.id));
  const secret = newTotpSecret();
  const sealed = appSecretBox().seal(secret, sealContext(tenant.id, technician.id));
  em.create(SecondFactor, { tenant, technician, secretCiphertext: sealed.ciphertext, keyVersion: sealed.version });
  await em.flush();
  return enrolmentOf(tenant, technician, secret);
}

const WRONG_CODE = 'profile.enrol.wrongCode';

/** Turns two-factor sign-in on with the first code from the app; returns the recovery codes, to be shown once. */
export async function confirmEnrolment(em: Em, tenant: Tenant, technician: Technician, input: unknown): Promise<string[]> {
  await lockTechnician(em, technician);
  const factor = await secondFactorOf(em, technician);
  if (!factor || factor.confirmedAt) throw new ValidationError({ code: 'profile.enrol.startAgain' });
  const code = totpDigits(String(input ?? ''));
  const step = code ? matchingStep(secretOf(factor, tenant.id, technician.id), code) : null;
  if (step === null) throw new ValidationError({ code: WRONG_CODE });
  factor.confirmedAt = new Date();
  factor.lastUsedStep = String(step);
  const codes = await replaceRecoveryCodes(em, tenant, technician);
  audit(em, tenant, 'technician.second_factor_enrolled', { type: 'technician', id: technician.id }, { email: technician.email });
  await em.flush();
  return codes;
}

async function replaceRecoveryCodes(em: Em, tenant: Tenant, technician: Technician): Promise<string[]> {
  await em.nativeDelete(RecoveryCode, { technician });
  const codes = Array.from({ length: RECOVERY_CODE_COUNT }, newRecoveryCode);
  for (const code of codes) em.create(RecoveryCode, { tenant, technician, codeHash: hashRecoveryCode(code) });
  return codes;
}

function newRecoveryCode(): string {
  const chars = Array.from({ length: 16 }, () => ALPHABET[randomInt(ALPHABET.length)]).join('');
  return chars.match(/.{4}/g)!.join('-');
}

function hashRecoveryCode(code: string): string {
  return createHash('sha256').update(code.toLowerCase().replace(/[^a-z0-9]/g, '')).digest('hex');
}

export type SecondFactorUse = { by: 'code' } | { by: 'recovery code'; left: number };

/**
 * Checks a code from the app (accepted once: only for a time step later than the
 * last one accepted, claimed by a conditional update so two requests racing with
 * one code cannot both pass) or a recovery code (used once, claimed the same way).
 */
export async function useSecondFactor(em: Em, tenant: Tenant, technician: Technician, input: unknown): Promise<SecondFactorUse | null> {
  const typed = String(input ?? '').trim();
  if (!typed || typed.length > 64) return null;
  const factor = await secondFactorOf(em, technician);
  if (!factor?.confirmedAt) return null;
  const digits = totpDigits(typed);
  if (digits) {
    const step = matchingStep(secretOf(factor, tenant.id, technician.id), digits);
    if (step === null) return null;
    const claimed = await em.execute(
      `update technician_second_factors set last_used_step = ? where tenant_id = ? and id = ? and (last_used_step is null or last_used_step < ?)`,
      [step, tenant.id, factor.id, step], 'run') as { affectedRows?: number; rowCount?: number };
    return (claimed.affectedRows ?? claimed.rowCount) === 1 ? { by: 'code' } : null;
  }
  const claimed = await em.nativeUpdate(RecoveryCode, { technician, codeHash: hashRecoveryCode(typed), usedAt: null }, { usedAt: new Date() });
  if (claimed !== 1) return null;
  const left = await em.count(RecoveryCode, { technician, usedAt: null });
  audit(em, tenant, 'technician.recovery_code_used', { type: 'technician', id: technician.id }, { left });
  return { by: 'recovery code', left };
}

/** An admin turns a technician's second factor off (a lost phone): they enrol again at their next sign-in if it is required. */
export async function resetSecondFactor(em: Em, tenant: Tenant, technician: Technician): Promise<boolean> {
  await lockTechnician(em, technician);
  const removed = await em.nativeDelete(SecondFactor, { technician });
  await em.nativeDelete(RecoveryCode, { technician });
  if (removed === 0) return false;
  // Whoever signed in with that factor (maybe not its owner, if the phone was lost) is signed out.
  await endSessionsOf(em, technician);
  audit(em, tenant, 'technician.second_factor_reset', { type: 'technician', id: technician.id }, { email: technician.email });
  await em.flush();
  return true;
}
