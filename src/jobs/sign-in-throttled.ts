// An account went over its sign-in limit: audit it and email the owner an unlock
// link — after the answer, so a known and an unknown account answer alike.
import { inTenant } from '../db/unit-of-work.js';
import { noteSignInThrottled, type SignInForm } from '../domain/sign-in/unlock.js';
import { Tenant } from '../domain/tenant/tenant.js';
import type { JobDefinition } from './registry.js';

export const SIGN_IN_THROTTLED = 'sign-in-throttled';

export const signInThrottledJob: JobDefinition = {
  name: SIGN_IN_THROTTLED,
  async run(data) {
    const tenantId = Number(data.tenantId);
    const form: SignInForm = data.form === 'contact' ? 'contact' : 'technician';
    await inTenant(tenantId, async (em) => {
      const tenant = await em.findOneOrFail(Tenant, { id: tenantId });
      await noteSignInThrottled(em, tenant, form, String(data.email), { failures: Number(data.failures), address: String(data.address) });
    }, { kind: 'system', name: 'sign-in limits' });
  },
};
