// Forgot password, after the answer: the page is the same, and takes as long,
// whether or not the address belongs to anyone; the lookup and the email happen here.
import { requestPasswordReset } from '../domain/contact/credential-flows.js';
import { Tenant } from '../domain/tenant/tenant.js';
import { tenantJob } from './tenant-job.js';

export const PORTAL_PASSWORD_RESET_REQUEST = 'portal-password-reset-request';

export const portalPasswordResetRequestJob = tenantJob({
  name: PORTAL_PASSWORD_RESET_REQUEST,
  async run({ em, tenantId }, data) {
    await requestPasswordReset(em, await em.findOneOrFail(Tenant, { id: tenantId }), data.email);
  },
});
