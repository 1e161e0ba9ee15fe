// Forgot password, the part both sign-in forms share (the portal's /portal/forgot-password
// and the technicians' /forgot-password): the address is read, the request counted by the
// form's limits, and the lookup queued as a job — so the answer is the same, in the same
// time, whether or not the address belongs to anyone. Each controller renders its own pages.
import type { SignInForm } from '../domain/sign-in/unlock.js';
import { PASSWORD_RESET_REQUEST } from '../jobs/password-reset-request.js';
import { queueJob } from '../jobs/queue.js';
import { normaliseEmail } from '../lib/validation.js';
import type { Ctx } from './action.js';
import { resetRequestLimiter } from './rate-limits.js';

export type ResetAsked =
  | { email: string; outcome: 'queued' }
  | { email: string; outcome: 'missing' }
  | { email: string; outcome: 'wait'; minutes: number };

export async function askForPasswordReset(ctx: Ctx, form: SignInForm): Promise<ResetAsked> {
  const email = normaliseEmail(ctx.body.email).slice(0, 254);
  if (!email) return { email, outcome: 'missing' };
  const wait = await resetRequestLimiter(form).consume(ctx.req.tenant!.id, email, ctx.req.ip ?? '');
  if (wait) return { email, outcome: 'wait', minutes: Math.ceil(wait / 60) };
  await queueJob(PASSWORD_RESET_REQUEST[form], { tenantId: ctx.req.tenant!.id, email });
  return { email, outcome: 'queued' };
}
