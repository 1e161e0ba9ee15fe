// An account went over its sign-in limit: audit it and email the owner an unlock
// link — after the answer, so a known and an unknown account answer alike.
import { noteSignInThrottled, type SignInForm } from '../domain/sign-in/unlock.js';
import { Tenant } from '../domain/tenant/tenant.js';
import { tenantJob } from './tenant-job.js';

export const SIGN_IN_THROTTLED = 'sign-in-throttled';

export const signInThrottledJob = tenantJob({
  name: SIGN_IN_THROTTLED,
  actor: { kind: 'system', name: 'sign-in limits' },
  async run({ em, tenantId }, data) {
    const form: SignInForm = data.form === 'contact' ? 'contact' : 'technician';
    await noteSignInThrottled(em, await em.findOneOrFail(Tenant, { id: tenantId }), form, String(data.email), { failures: Number(data.failures), address: String(data.address) });
  },
});
