// Routes of a plan-gated feature: on a plan without it they answer 403 with the reason and
// a link to Admin > Plan (PlanRequiredError, middleware/errors.ts) — to every technician,
// admin or not; on a plan with it, an admin-only feature still refuses other technicians.
import type { RequestHandler } from 'express';
import { adminOnlyFeatures, assertPlanAllows, type Feature } from '../domain/tenant/plans.js';
import { ForbiddenError } from '../lib/validation.js';
import { technician, type TechnicianCtx } from './action.js';

/** `requirePlan('manage_domains')(async (ctx) => …)`: a technician action behind the plan check. */
export function requirePlan(feature: Feature) {
  return (fn: (ctx: TechnicianCtx) => Promise<unknown>): RequestHandler => technician(async (ctx) => {
    assertPlanAllows(ctx.req.tenant!, feature);
    if (adminOnlyFeatures[feature] && ctx.me.role !== 'admin') throw new ForbiddenError('errors.forbidden.adminsOnly');
    return fn(ctx);
  });
}
