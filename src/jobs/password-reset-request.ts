// Forgot password, after the answer: the page is the same, and takes as long,
// whether or not the address belongs to anyone; the lookup and the email happen here.
import { inTenant } from '../db/unit-of-work.js';
import { requestPasswordReset } from '../domain/contact/credential-flows.js';
import { Tenant } from '../domain/tenant/tenant.js';
import type { JobDefinition } from './registry.js';

export const PORTAL_PASSWORD_RESET_REQUEST = 'portal-password-reset-request';

export const portalPasswordResetRequestJob: JobDefinition = {
  name: PORTAL_PASSWORD_RESET_REQUEST,
  async run(data) {
    const tenantId = Number(data.tenantId);
    await inTenant(tenantId, async (em) => {
      const tenant = await em.findOneOrFail(Tenant, { id: tenantId });
      await requestPasswordReset(em, tenant, data.email);
    });
  },
};
