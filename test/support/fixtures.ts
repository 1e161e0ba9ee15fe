// Named fixtures: acme (MSP, Enterprise) with alice (admin) and bob (technician);
// globex (IT department, Pro) with gina (admin). Everyone's password is PASSWORD.
import { inTenant } from '../../src/db/unit-of-work.js';
import { Technician } from '../../src/domain/technician/technician.js';
import { signUp } from '../../src/domain/tenant/signup.js';
import type { Tenant } from '../../src/domain/tenant/tenant.js';
import { hashPassword } from '../../src/lib/passwords.js';

export const PASSWORD = 'correct horse battery staple';

export const people = {
  alice: { tenant: 'acme', email: 'alice@acme.test', name: 'Alice Admin', role: 'admin' },
  bob: { tenant: 'acme', email: 'bob@acme.test', name: 'Bob Tech', role: 'technician' },
  gina: { tenant: 'globex', email: 'gina@globex.test', name: 'Gina Admin', role: 'admin' },
} as const;

export type PersonName = keyof typeof people;

export interface Fixtures {
  acme: Tenant;
  globex: Tenant;
  technicians: Record<PersonName, Technician>;
}

let hash: Promise<string> | undefined;

export async function loadFixtures(): Promise<Fixtures> {
  const acme = await signUp({ companyName: 'Acme Services', slug: 'acme', edition: 'msp', plan: 'enterprise', adminName: people.alice.name, adminEmail: people.alice.email, password: PASSWORD });
  const globex = await signUp({ companyName: 'Globex IT', slug: 'globex', edition: 'it', plan: 'pro', adminName: people.gina.name, adminEmail: people.gina.email, password: PASSWORD });
  hash ??= hashPassword(PASSWORD);
  const passwordHash = await hash;
  const bob = await inTenant(acme.tenant.id, async (em) => {
    const t = em.create(Technician, { tenant: em.getReference('Tenant', acme.tenant.id) as Tenant, email: people.bob.email, name: people.bob.name, role: 'technician', passwordHash });
    await em.flush();
    return t;
  });
  return { acme: acme.tenant, globex: globex.tenant, technicians: { alice: acme.admin, bob, gina: globex.admin } };
}
