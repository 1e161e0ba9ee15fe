// The demo workspace (`npm run demo`): a list of seed steps, each idempotent —
// it looks for what it would create and creates only what is missing, so the
// seed is safe to run twice. Later features add their steps (articles, …) to
// `demoSteps`; the helpdesk's people and tickets are in helpdesk.ts.
import { inTenant, globalEm } from '../db/unit-of-work.js';
import type { Em } from '../db/orm.js';
import { Tenant } from '../domain/tenant/tenant.js';
import { signUp } from '../domain/tenant/signup.js';
import { tenantUrl } from '../lib/urls.js';
import { DEMO_CONTACT_EMAIL, helpdeskSteps } from './helpdesk.js';
import { incomingMailSteps } from './incoming-mail.js';
import { knowledgeBaseSteps } from './knowledge-base.js';

export const DEMO = {
  slug: 'demo',
  companyName: 'Demo Helpdesk',
  edition: 'msp',
  plan: 'enterprise',
  adminName: 'Demo Technician',
  adminEmail: 'tech@demo.test',
  password: 'sportello-demo',
  /** The main contact of "Rossi Impianti", for the portal (same password). */
  contactEmail: DEMO_CONTACT_EMAIL,
} as const;

export interface DemoStep {
  /** What the step makes, for the printed summary. */
  name: string;
  /** Runs inside the demo tenant's unit of work; returns true when it created something. */
  run(em: Em, tenant: Tenant): Promise<boolean>;
}

/** Steps run in order after the workspace exists. Add new ones at the end. */
export const demoSteps: DemoStep[] = [...helpdeskSteps(DEMO.password), ...incomingMailSteps(DEMO_CONTACT_EMAIL), ...knowledgeBaseSteps()];

export interface DemoResult {
  tenant: Tenant;
  created: string[];
  loginUrl: string;
  portalUrl: string;
}

export async function seedDemo(log: (line: string) => void = () => {}): Promise<DemoResult> {
  const created: string[] = [];
  let tenant = await globalEm().findOne(Tenant, { slug: DEMO.slug });
  if (!tenant) {
    ({ tenant } = await signUp({ ...DEMO, password: DEMO.password }));
    created.push(`workspace "${DEMO.slug}" with admin ${DEMO.adminEmail}`);
    log(`Created the workspace "${DEMO.slug}" (MSP edition, Enterprise plan) and its admin ${DEMO.adminEmail}.`);
  } else {
    log(`The workspace "${DEMO.slug}" already exists; adding only what is missing.`);
  }
  for (const step of demoSteps) {
    const t = tenant;
    const made = await inTenant(t.id, async (em) => step.run(em, await em.findOneOrFail(Tenant, { id: t.id })), { kind: 'system', name: 'demo' });
    if (made) { created.push(step.name); log(`Added ${step.name}.`); }
  }
  return { tenant, created, loginUrl: tenantUrl(DEMO.slug, '/login'), portalUrl: tenantUrl(DEMO.slug, '/portal') };
}
