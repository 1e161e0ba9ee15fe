// Named fixtures. acme (MSP, Enterprise): alice (admin), bob (technician);
// customers Rossi Impianti (mario, its main contact; luigi) and Bianchi Srl (peach).
// globex (IT department, Pro): gina (admin); site Springfield (homer, main user).
// Everyone's password is PASSWORD; every contact has portal access.
import { inTenant } from '../../src/db/unit-of-work.js';
import { Contact } from '../../src/domain/contact/contact.js';
import { Customer } from '../../src/domain/customer/customer.js';
import { Technician } from '../../src/domain/technician/technician.js';
import { signUp } from '../../src/domain/tenant/signup.js';
import { Tenant } from '../../src/domain/tenant/tenant.js';
import { hashPassword } from '../../src/lib/passwords.js';
import { h } from './harness.js';
import { restoreSnapshot, takeSnapshot } from './snapshot.js';

export const PASSWORD = 'correct horse battery staple';

export const people = {
  alice: { tenant: 'acme', email: 'alice@acme.test', name: 'Alice Admin', role: 'admin' },
  bob: { tenant: 'acme', email: 'bob@acme.test', name: 'Bob Tech', role: 'technician' },
  gina: { tenant: 'globex', email: 'gina@globex.test', name: 'Gina Admin', role: 'admin' },
} as const;

export const contactsData = {
  mario: { tenant: 'acme', customer: 'Rossi Impianti', email: 'mario@rossi.test', firstName: 'Mario', lastName: 'Rossi', isMain: true },
  luigi: { tenant: 'acme', customer: 'Rossi Impianti', email: 'luigi@rossi.test', firstName: 'Luigi', lastName: 'Rossi', isMain: false },
  peach: { tenant: 'acme', customer: 'Bianchi Srl', email: 'peach@bianchi.test', firstName: 'Peach', lastName: 'Bianchi', isMain: false },
  homer: { tenant: 'globex', customer: 'Springfield', email: 'homer@springfield.test', firstName: 'Homer', lastName: 'Simpson', isMain: true },
} as const;

export type PersonName = keyof typeof people;
export type ContactName = keyof typeof contactsData;

export interface Fixtures {
  acme: Tenant;
  globex: Tenant;
  technicians: Record<PersonName, Technician>;
  customers: Record<string, Customer>;
  contacts: Record<ContactName, Contact>;
}

let hash: Promise<string> | undefined;
let snapshotTaken = false;

/**
 * The named fixtures in an empty database: made once per run, then put back from a snapshot
 * of their rows (same ids, same hashes) and read again, so every test gets fresh entities.
 */
export async function loadFixtures(): Promise<Fixtures> {
  if (snapshotTaken && await restoreSnapshot(h().owner)) return readFixtures();
  const fixtures = await createFixtures();
  await takeSnapshot(h().owner);
  snapshotTaken = true;
  return fixtures;
}

async function readFixtures(): Promise<Fixtures> {
  const read = async (slug: 'acme' | 'globex') => {
    const [{ id }] = (await h().owner.query<{ id: number }>('select id from tenants where slug = $1', [slug])).rows;
    return inTenant(id, async (em) => {
      const tenant = await em.findOneOrFail(Tenant, id);
      const technicians = await em.find(Technician, { tenant: id }, { populate: ['tenant'] });
      const contacts = await em.find(Contact, { tenant: id }, { populate: ['customer', 'tenant'] });
      return { tenant, technicians, contacts };
    });
  };
  const [acme, globex] = [await read('acme'), await read('globex')];
  const byEmail = (list: Technician[], email: string) => list.find((t) => t.email === email)!;
  const customers: Record<string, Customer> = {};
  const contacts = {} as Record<ContactName, Contact>;
  for (const [name, c] of Object.entries(contactsData)) {
    const contact = [...acme.contacts, ...globex.contacts].find((x) => x.email === c.email)!;
    contacts[name as ContactName] = contact;
    customers[c.customer] = contact.customer as Customer;
  }
  return {
    acme: acme.tenant, globex: globex.tenant, customers, contacts,
    technicians: {
      alice: byEmail(acme.technicians, people.alice.email),
      bob: byEmail(acme.technicians, people.bob.email),
      gina: byEmail(globex.technicians, people.gina.email),
    },
  };
}

async function createFixtures(): Promise<Fixtures> {
  const acme = await signUp({ companyName: 'Acme Services', slug: 'acme', edition: 'msp', plan: 'enterprise', adminName: people.alice.name, adminEmail: people.alice.email, password: PASSWORD });
  const globex = await signUp({ companyName: 'Globex IT', slug: 'globex', edition: 'it', plan: 'pro', adminName: people.gina.name, adminEmail: people.gina.email, password: PASSWORD });
  hash ??= hashPassword(PASSWORD);
  const passwordHash = await hash;
  const tenants: Record<string, Tenant> = { acme: acme.tenant, globex: globex.tenant };
  const customers: Record<string, Customer> = {};
  const contacts = {} as Record<ContactName, Contact>;

  const bob = await inTenant(acme.tenant.id, async (em) => {
    const tenant = em.getReference('Tenant', acme.tenant.id) as Tenant;
    const t = em.create(Technician, { tenant, email: people.bob.email, name: people.bob.name, role: 'technician', passwordHash });
    await em.flush();
    return t;
  });
  for (const slug of ['acme', 'globex']) {
    await inTenant(tenants[slug].id, async (em) => {
      const tenant = em.getReference('Tenant', tenants[slug].id) as Tenant;
      for (const [name, c] of Object.entries(contactsData).filter(([, c]) => c.tenant === slug)) {
        customers[c.customer] ??= em.create(Customer, { tenant, name: c.customer });
        contacts[name as ContactName] = em.create(Contact, {
          tenant, customer: customers[c.customer], email: c.email, firstName: c.firstName, lastName: c.lastName,
          isMain: c.isMain, portalAccess: true, passwordHash,
        });
      }
      await em.flush();
    });
  }
  return { acme: acme.tenant, globex: globex.tenant, technicians: { alice: acme.admin, bob, gina: globex.admin }, customers, contacts };
}
