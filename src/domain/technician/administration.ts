// An admin manages the workspace's technicians: deactivates and reactivates them,
// changes their role, resends or revokes an invitation. A workspace always keeps
// one active admin who can sign in (an invited admin without a password does not
// count): a change that could remove the last one first locks every
// active admin's row, so two admins demoting each other at once are applied one
// after the other and the second is refused.
import type { Em } from '../../db/orm.js';
import { ValidationError } from '../../lib/validation.js';
import { endSessionsOf } from './sessions.js';
import { audit } from '../audit/audit-event.js';
import type { Tenant } from '../tenant/tenant.js';
import { PasswordToken, type TokenPurpose } from './password-token.js';
import { Technician, type TechnicianRole } from './technician.js';
import { queueInvitation } from './technicians.js';
import { technicianUseInRules } from '../rule/uses.js';

export type TechnicianStatus = 'active' | 'invited' | 'inactive';

export function statusOf(technician: Pick<Technician, 'active' | 'passwordHash'>): TechnicianStatus {
  return !technician.active ? 'inactive' : technician.passwordHash ? 'active' : 'invited';
}

export const LAST_ADMIN = 'admin.technicians.errors.lastAdmin';

/**
 * Locks the tenant's active admins, then the technician (always in this order, so
 * two of these verbs never wait on each other in a cycle), and returns the
 * technician as it is now, with the number of other active admins.
 */
async function lockForChange(em: Em, technician: Technician): Promise<number> {
  const tenantId = technician.tenant.id;
  const admins = await em.execute<Array<{ id: number }>>(
    `select id from technicians where tenant_id = ? and role = 'admin' and active and password_hash is not null order by id for update`, [tenantId]);
  await em.execute('select id from technicians where tenant_id = ? and id = ? for update', [tenantId, technician.id]);
  await em.refresh(technician);
  return admins.filter((a) => a.id !== technician.id).length;
}

function isSignInAdmin(technician: Technician): boolean {
  return technician.role === 'admin' && technician.active && Boolean(technician.passwordHash);
}

/** Voids every live single-use token of the technician (invitation, reset, hand-over). */
async function voidTokens(em: Em, technician: Technician, purposes?: TokenPurpose[]): Promise<void> {
  await em.nativeUpdate(PasswordToken, { technician, usedAt: null, ...(purposes ? { purpose: { $in: purposes } } : {}) }, { usedAt: new Date() });
}

/** Signs the technician out everywhere (their sessions end now) and refuses their sign-in. */
export async function deactivateTechnician(em: Em, tenant: Tenant, technician: Technician): Promise<void> {
  const otherAdmins = await lockForChange(em, technician);
  if (!technician.active) return;
  if (isSignInAdmin(technician) && otherAdmins === 0) throw new ValidationError({ technician: LAST_ADMIN });
  const usedByRules = await technicianUseInRules(em, technician);
  if (usedByRules) throw new ValidationError({ technician: usedByRules });
  technician.active = false;
  await voidTokens(em, technician);
  await endSessionsOf(em, technician);
  audit(em, tenant, 'technician.deactivated', { type: 'technician', id: technician.id }, { email: technician.email });
  await em.flush();
}

export async function reactivateTechnician(em: Em, tenant: Tenant, technician: Technician): Promise<void> {
  await lockForChange(em, technician);
  if (technician.active) return;
  technician.active = true;
  audit(em, tenant, 'technician.reactivated', { type: 'technician', id: technician.id }, { email: technician.email });
  await em.flush();
}

export async function changeRole(em: Em, tenant: Tenant, technician: Technician, value: unknown): Promise<void> {
  const role: TechnicianRole | undefined = value === 'admin' ? 'admin' : value === 'technician' ? 'technician' : undefined;
  if (!role) throw new ValidationError({ role: 'admin.technicians.errors.chooseRole' });
  const otherAdmins = await lockForChange(em, technician);
  const from = technician.role;
  if (role === from) return;
  if (isSignInAdmin(technician) && otherAdmins === 0) throw new ValidationError({ role: LAST_ADMIN });
  technician.role = role;
  audit(em, tenant, 'technician.role_changed', { type: 'technician', id: technician.id }, { email: technician.email, from, to: role });
  await em.flush();
}

const NOT_INVITED = 'admin.technicians.errors.notInvited';

/** A new invitation email; links sent before it stop working. */
export async function resendInvitation(em: Em, tenant: Tenant, technician: Technician): Promise<void> {
  await lockForChange(em, technician);
  if (statusOf(technician) !== 'invited') throw new ValidationError({ technician: NOT_INVITED });
  await voidTokens(em, technician, ['invite']);
  await queueInvitation(em, tenant, technician);
  audit(em, tenant, 'technician.invitation_resent', { type: 'technician', id: technician.id }, { email: technician.email });
  await em.flush();
}

/**
 * The invitation's links stop working and the technician becomes inactive (their
 * record and assignments stay; reactivating and resending invites them again).
 */
export async function revokeInvitation(em: Em, tenant: Tenant, technician: Technician): Promise<void> {
  await lockForChange(em, technician);
  if (statusOf(technician) !== 'invited') throw new ValidationError({ technician: NOT_INVITED });
  const usedByRules = await technicianUseInRules(em, technician);
  if (usedByRules) throw new ValidationError({ technician: usedByRules });
  technician.active = false;
  await voidTokens(em, technician);
  await endSessionsOf(em, technician);
  audit(em, tenant, 'technician.invitation_revoked', { type: 'technician', id: technician.id }, { email: technician.email });
  await em.flush();
}
