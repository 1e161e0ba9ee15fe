// Every plan, with its features and limits, in one place.
export type PlanName = 'pro' | 'enterprise';
export type Feature = 'manage_domains';

interface Plan {
  name: PlanName;
  label: string;
  features: Feature[];
  limits: { technicians: number; mailboxes: number };
}

export const plans: Record<PlanName, Plan> = {
  pro: { name: 'pro', label: 'Pro', features: [], limits: { technicians: 25, mailboxes: 5 } },
  enterprise: { name: 'enterprise', label: 'Enterprise', features: ['manage_domains'], limits: { technicians: 500, mailboxes: 50 } },
};

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
