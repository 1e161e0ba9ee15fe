// Forgot password, after the answer: the page is the same, and takes as long,
// whether or not the address belongs to anyone; the lookup and the email happen here.
// One job per sign-in form (the portal's keeps its name: jobs queued before stay valid).
import { requestPasswordResetOn } from '../domain/sign-in/password-reset.js';
import type { SignInForm } from '../domain/sign-in/unlock.js';
import { Tenant } from '../domain/tenant/tenant.js';
import { tenantJob } from './tenant-job.js';

export const PORTAL_PASSWORD_RESET_REQUEST = 'portal-password-reset-request';
export const TECHNICIAN_PASSWORD_RESET_REQUEST = 'technician-password-reset-request';

export const PASSWORD_RESET_REQUEST: Record<SignInForm, string> = { contact: PORTAL_PASSWORD_RESET_REQUEST, technician: TECHNICIAN_PASSWORD_RESET_REQUEST };

const resetRequestJob = (form: SignInForm) => tenantJob({
  name: PASSWORD_RESET_REQUEST[form],
  async run({ em, tenantId }, data) {
    await requestPasswordResetOn(em, await em.findOneOrFail(Tenant, { id: tenantId }), form, data.email);
  },
});

export const portalPasswordResetRequestJob = resetRequestJob('contact');
export const technicianPasswordResetRequestJob = resetRequestJob('technician');
