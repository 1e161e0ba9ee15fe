// The verbs of technicians: sign in, invite, set a password.
import type { Em } from '../../db/orm.js';
import { hashPassword, passwordProblem, verifyPassword } from '../../lib/passwords.js';
import { Checker, normaliseEmail, text, ValidationError } from '../../lib/validation.js';
import { technicianInvitation } from '../../outbound/mail/technician-invitation.js';
import { audit } from '../audit/audit-event.js';
import { checkPlanLimit } from '../tenant/plan-limits.js';
import type { Tenant } from '../tenant/tenant.js';
import { Technician, type TechnicianRole } from './technician.js';
import { endSessionsOf } from './sessions.js';
import { findLiveToken, redeem } from './tokens.js';

/** The active technician with these credentials, or null — the same time either way. */
export interface InviteInput { name?: unknown; email?: unknown; role?: unknown }

export async function inviteTechnician(em: Em, tenant: Tenant, input: InviteInput): Promise<Technician> {
  const name = text(input.name);
  const email = normaliseEmail(input.email);
  const role = input.role === 'admin' ? 'admin' : input.role === 'technician' ? 'technician' : undefined;
  const check = new Checker().require('name', name, 'admin.technicians.name').email('email', email);
  if (!role) check.add('role', 'admin.technicians.errors.chooseRole');
  // Counted under the workspace's lock: two invitations at once cannot both pass the limit.
  const overLimit = await checkPlanLimit(em, tenant, 'technicians');
  if (overLimit) check.add('email', overLimit);
  check.throwIfAny();
  const existing = await em.findOne(Technician, { email });
  if (existing) throw new ValidationError({ email: { key: 'admin.technicians.errors.emailTaken', params: { name: existing.name } } });

  const technician = em.create(Technician, { tenant, name, email, role: role as TechnicianRole, active: true, passwordHash: null, createdAt: new Date() });
  await em.flush();
  await queueInvitation(em, tenant, technician);
  audit(em, tenant, 'technician.invited', { type: 'technician', id: technician.id }, { email, role });
  await em.flush();
  return technician;
}

/** The invitation email; its set-password link is minted when it is sent. */
export async function queueInvitation(em: Em, tenant: Tenant, technician: Technician): Promise<void> {
  await technicianInvitation(em, tenant, technician);
}

/** Sets a password from an invitation or reset link; the link is then void, and every session of theirs ends. */
export async function setPasswordWithToken(em: Em, tenant: Tenant, token: string, password: string, confirmation: string): Promise<Technician> {
  const live = await findLiveToken(em, token, 'invite') ?? await findLiveToken(em, token, 'reset');
  if (!live?.technician) throw new ValidationError({ token: 'admin.technicians.errors.linkExpired' });
  const problem = passwordProblem(password) ?? (password !== confirmation ? 'admin.technicians.errors.passwordsDiffer' : undefined);
  if (problem) throw new ValidationError({ password: problem });
  if (!(await redeem(em, live))) throw new ValidationError({ token: 'admin.technicians.errors.linkExpired' });
  live.technician.passwordHash = await hashPassword(password);
  await endSessionsOf(em, live.technician);
  audit(em, tenant, 'technician.password_set', { type: 'technician', id: live.technician.id }, { via: live.purpose });
  await em.flush();
  return live.technician;
}
