// A contact's own password: signing in to the portal and changing it.
import type { Em } from '../../db/orm.js';
import { hashPassword, passwordProblem, verifyPassword } from '../../lib/passwords.js';
import { normaliseEmail, ValidationError } from '../../lib/validation.js';
import { audit } from '../audit/audit-event.js';
import { PasswordToken } from '../technician/password-token.js';
import type { Tenant } from '../tenant/tenant.js';
import { Contact } from './contact.js';

/**
 * Sets a contact's password: hashed with argon2id, every live link voided, and
 * (through passwordChangedAt) every other session of the contact ended.
 */
export async function setContactPassword(em: Em, tenant: Tenant, contact: Contact, password: string, how: string): Promise<void> {
  contact.passwordHash = await hashPassword(password);
  contact.mustChangePassword = false;
  contact.passwordChangedAt = new Date();
  await em.nativeUpdate(PasswordToken, { contact, usedAt: null }, { usedAt: new Date() });
  audit(em, tenant, 'contact.password_changed', { type: 'contact', id: contact.id }, { how });
  await em.flush();
}

export async function changeOwnPassword(em: Em, tenant: Tenant, contact: Contact, input: { current?: unknown; password?: unknown; confirmation?: unknown }): Promise<void> {
  const current = String(input.current ?? '');
  const password = String(input.password ?? '');
  if (!(await verifyPassword(contact.passwordHash, current))) throw new ValidationError({ current: 'portal.passwords.errors.currentWrong' });
  const problem = passwordProblem(password)
    ?? (password === current ? 'portal.passwords.errors.sameAsCurrent' : undefined)
    ?? (password !== String(input.confirmation ?? '') ? 'portal.passwords.errors.mismatch' : undefined);
  if (problem) throw new ValidationError({ password: problem });
  await setContactPassword(em, tenant, contact, password, 'changed by the contact');
}
