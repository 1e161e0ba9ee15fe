import { expect } from 'chai';
import { inTenant } from '../../src/db/unit-of-work.js';
import { Contact } from '../../src/domain/contact/contact.js';
import type { Tenant } from '../../src/domain/tenant/tenant.js';
import { openTicket } from '../../src/domain/ticket/open-ticket.js';
import { loadFixtures, sql, type Fixtures } from '../support/index.js';

describe('Ticket numbers', () => {
  let fx: Fixtures;
  beforeEach(async () => {
    fx = await loadFixtures();
  });

  function open(tenantId: number, email: string, title: string, fail = false) {
    return inTenant(tenantId, async (em) => {
      const tenant = em.getReference('Tenant', tenantId) as Tenant;
      const contact = await em.findOneOrFail(Contact, { email }, { populate: ['customer'] });
      const ticket = await openTicket(em, tenant, { contact, title, source: 'technician' });
      if (fail) throw new Error('rolled back');
      return ticket.number;
    });
  }

  it('gives 20 tickets opened at once distinct consecutive numbers from 1001', async () => {
    const numbers = await Promise.all(Array.from({ length: 20 }, (_, i) => open(fx.acme.id, 'mario@rossi.test', `Parallel ${i}`)));
    expect([...numbers].sort((a, b) => a - b)).to.deep.equal(Array.from({ length: 20 }, (_, i) => 1001 + i));
    const rows = await sql<{ number: number }>(`select number from tickets where tenant_id = $1 order by number`, [fx.acme.id]);
    expect(rows.map((r) => r.number)).to.deep.equal(Array.from({ length: 20 }, (_, i) => 1001 + i));
  });

  it('numbers each tenant on its own, and gives a rolled-back number back', async () => {
    expect(await open(fx.acme.id, 'mario@rossi.test', 'Acme first')).to.equal(1001);
    await open(fx.acme.id, 'mario@rossi.test', 'Doomed', true).catch(() => undefined);
    expect(await open(fx.globex.id, 'homer@springfield.test', 'Globex first')).to.equal(1001);
    expect(await open(fx.acme.id, 'mario@rossi.test', 'Acme second')).to.equal(1002);
  });
});
