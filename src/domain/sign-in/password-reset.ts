// Forgot password, on either sign-in form: the lookup and the email happen here, in a
// job after the answer, so the page is the same, and takes as long, whether or not the
// address belongs to anyone (test/security/forgot-password-timing.test.ts).
import type { Em } from '../../db/orm.js';
import { requestPasswordReset } from '../contact/credential-flows.js';
import { requestTechnicianPasswordReset } from '../technician/password-reset.js';
import type { Tenant } from '../tenant/tenant.js';
import type { SignInForm } from './unlock.js';

export async function requestPasswordResetOn(em: Em, tenant: Tenant, form: SignInForm, email: unknown): Promise<void> {
  if (form === 'technician') await requestTechnicianPasswordReset(em, tenant, email);
  else await requestPasswordReset(em, tenant, email);
}
