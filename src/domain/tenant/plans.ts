// Every plan, with its features and limits, in one place — and the one check that says
// whether a workspace may use a feature, for routes (src/web/plan-guard.ts), domain verbs
// (`assertPlanAllows`) and views (`planAllows`, with UNAVAILABLE_NOTE beside a gated feature).
import { ForbiddenError, type Message } from '../../lib/validation.js';

export type PlanName = 'pro' | 'enterprise';
export type Feature = 'manage_domains';
export type Limit = 'technicians' | 'mailboxes';

interface Plan {
  name: PlanName;
  /** The plan's proper name (the same in every language), as records and logs keep it. */
  label: string;
  /** The name as a screen shows it: a message key. */
  labelKey: string;
  features: Feature[];
  limits: Record<Limit, number>;
}

export const plans: Record<PlanName, Plan> = {
  pro: { name: 'pro', label: 'Pro', labelKey: 'admin.plan.names.pro', features: [], limits: { technicians: 25, mailboxes: 5 } },
  enterprise: { name: 'enterprise', label: 'Enterprise', labelKey: 'admin.plan.names.enterprise', features: ['manage_domains'], limits: { technicians: 500, mailboxes: 50 } },
};

/** The plans from the smallest up (the order a comparison shows them in). */
export const PLAN_ORDER: PlanName[] = ['pro', 'enterprise'];

/** Each feature's name on a screen (a message key). */
export const featureNames: Record<Feature, string> = { manage_domains: 'admin.plan.features.manageDomains' };

/** Features only an admin uses (their routes answer 403 to other technicians, whatever the plan). */
export const adminOnlyFeatures: Record<Feature, boolean> = { manage_domains: true };

/** Each limit's name on a screen (a message key). */
export const limitNames: Record<Limit, string> = { technicians: 'admin.plan.limits.technicians', mailboxes: 'admin.plan.limits.mailboxes' };

/**
 * What a screen says beside a feature the workspace's plan lacks: the UI shows a gated
 * feature with this note rather than hiding it (a message key).
 */
export const UNAVAILABLE_NOTE = 'admin.plan.availableOnEnterprise';

/** Where a workspace changes plan (the note and the 403 page link there). */
export const PLAN_PATH = '/admin/plan';

export const TRIAL_DAYS = 30;

export function isPlan(value: unknown): value is PlanName {
  return value === 'pro' || value === 'enterprise';
}

/** The plan a workspace is on: a plan name, or anything that has one (a tenant). */
type OnPlan = PlanName | { plan: PlanName };
const planOf = (on: OnPlan): PlanName => (typeof on === 'string' ? on : on.plan);

/** May this workspace (or a workspace on this plan) use `feature`? The one check. */
export function planAllows(on: OnPlan, feature: Feature): boolean {
  return plans[planOf(on)].features.includes(feature);
}

/** The smallest plan with `feature`. */
export function planWith(feature: Feature): Plan {
  return plans[PLAN_ORDER.find((name) => plans[name].features.includes(feature))!];
}

/** A gated feature refused: the 403 page says why and links to Admin > Plan. */
export class PlanRequiredError extends ForbiddenError {
  readonly link = PLAN_PATH;
  constructor(readonly feature: Feature) {
    super({ key: 'admin.plan.requires', params: { feature: { key: featureNames[feature] }, plan: planWith(feature).label } });
  }
}

/** For domain verbs (a job or an import cannot bypass the plan): throws PlanRequiredError. */
export function assertPlanAllows(on: OnPlan, feature: Feature): void {
  if (!planAllows(on, feature)) throw new PlanRequiredError(feature);
}

/** What a refusal at each limit says: on a plan a bigger one lifts, and on the biggest (message keys). */
const limitMessages: Record<Limit, { upgrade: string; top: string }> = {
  technicians: { upgrade: 'admin.technicians.errors.planLimitUpgrade', top: 'admin.technicians.errors.planLimit' },
  mailboxes: { upgrade: 'emailSettings.mailboxes.errors.planLimitUpgrade', top: 'emailSettings.mailboxes.errors.planLimit' },
};

/**
 * The refusal when a workspace already has `count` of `limit` and wants one more, or
 * undefined when it may: the message names the limit and the plan that lifts it (if any).
 * Count under a lock (`lockPlanLimits`) so two requests cannot both pass.
 */
export function limitReached(on: OnPlan, limit: Limit, count: number): Message | undefined {
  const plan = plans[planOf(on)];
  const max = plan.limits[limit];
  if (count < max) return undefined;
  const bigger = PLAN_ORDER.map((name) => plans[name]).find((p) => p.limits[limit] > max);
  return bigger
    ? { key: limitMessages[limit].upgrade, params: { plan: plan.label, limit: max, bigger: bigger.label, enterprise: bigger.limits[limit] } }
    : { key: limitMessages[limit].top, params: { plan: plan.label, limit: max } };
}

export function trialDaysLeft(trialEndsAt: Date, now = new Date()): number {
  return Math.max(0, Math.ceil((trialEndsAt.getTime() - now.getTime()) / 86_400_000));
}
