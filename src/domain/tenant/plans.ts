// Every plan, with its features and limits, in one place.
export type PlanName = 'pro' | 'enterprise';
export type Feature = 'manage_domains';

interface Plan {
  name: PlanName;
  /** The plan's proper name (the same in every language), as records and logs keep it. */
  label: string;
  /** The name as a screen shows it: a message key. */
  labelKey: string;
  features: Feature[];
  limits: { technicians: number; mailboxes: number };
}

export const plans: Record<PlanName, Plan> = {
  pro: { name: 'pro', label: 'Pro', labelKey: 'admin.plan.names.pro', features: [], limits: { technicians: 25, mailboxes: 5 } },
  enterprise: { name: 'enterprise', label: 'Enterprise', labelKey: 'admin.plan.names.enterprise', features: ['manage_domains'], limits: { technicians: 500, mailboxes: 50 } },
};

/** Each feature's name on a screen (a message key). */
export const featureNames: Record<Feature, string> = { manage_domains: 'admin.plan.features.manageDomains' };

/**
 * What a screen says beside a feature the workspace's plan lacks: the UI shows a gated
 * feature with this note rather than hiding it (a message key).
 */
export const UNAVAILABLE_NOTE = 'admin.plan.availableOnEnterprise';

export const TRIAL_DAYS = 30;

export function isPlan(value: unknown): value is PlanName {
  return value === 'pro' || value === 'enterprise';
}

export function planAllows(plan: PlanName, feature: Feature): boolean {
  return plans[plan].features.includes(feature);
}

export function trialDaysLeft(trialEndsAt: Date, now = new Date()): number {
  return Math.max(0, Math.ceil((trialEndsAt.getTime() - now.getTime()) / 86_400_000));
}
