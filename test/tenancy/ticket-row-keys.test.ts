// A ticket's messages and history rows hold to their workspace through their ticket
// ((tenant_id, ticket_id) → tickets): migration 0041 dropped their own check against
// tenants, which that key already implies. Still refused: a row naming another
// workspace's ticket, or a workspace that does not exist; still true: a deleted
// workspace takes its tickets' messages and history with it.
import { expect } from 'chai';
import { loadFixtures, sql, type Fixtures } from '../support/index.js';

const TABLES = {
  ticket_messages: (tenant: number, ticket: number) => sql(`insert into ticket_messages (tenant_id, ticket_id, author_kind, body) values ($1, $2, 'system', 'a note')`, [tenant, ticket]),
  ticket_events: (tenant: number, ticket: number) => sql(`insert into ticket_events (tenant_id, ticket_id, actor_kind, field, to_value) values ($1, $2, 'system', 'status', 'open')`, [tenant, ticket]),
};

async function ticketOf(tenantId: number, title: string): Promise<number> {
  const [customer] = await sql<{ id: number }>(`insert into customers (tenant_id, name) values ($1, $2) returning id`, [tenantId, `${title} customer`]);
  const [contact] = await sql<{ id: number }>(`insert into contacts (tenant_id, customer_id, email, first_name) values ($1, $2, $3, 'Keys') returning id`,
    [tenantId, customer.id, `keys-${tenantId}@keys.test`]);
  const [ticket] = await sql<{ id: number }>(`insert into tickets (tenant_id, number, title, customer_id, contact_id) values ($1, 9001, $2, $3, $4) returning id`,
    [tenantId, title, customer.id, contact.id]);
  return ticket.id;
}

describe("a ticket's messages and history hold to their workspace through their ticket", () => {
  let f: Fixtures;
  beforeEach(async () => { f = await loadFixtures(); });

  for (const [table, insert] of Object.entries(TABLES)) {
    it(`${table}: a row naming another workspace's ticket, or no workspace, is refused`, async () => {
      const globexTicket = await ticketOf(f.globex.id, 'Globex ticket');
      await insert(f.globex.id, globexTicket);
      for (const tenant of [f.acme.id, 999_999]) {
        const refused = await insert(tenant, globexTicket).then(() => null, (error: Error) => error);
        expect(String(refused), `${table} for workspace ${tenant}`).to.contain('violates foreign key constraint').and.contain('ticket_id');
      }
    });
  }

  it('a deleted workspace takes its tickets, their messages and their history with it', async () => {
    const [{ id: tenantId }] = await sql<{ id: number }>(`insert into tenants (slug, name, edition, plan, trial_ends_at)
      values ('keys-probe', 'Keys Probe', 'msp', 'enterprise', now() + interval '1 day') returning id`);
    const ticket = await ticketOf(tenantId, 'Probe ticket');
    for (const insert of Object.values(TABLES)) await insert(tenantId, ticket);
    await sql('delete from tenants where id = $1', [tenantId]);
    for (const table of Object.keys(TABLES)) {
      expect(await sql(`select 1 from ${table} where tenant_id = $1`, [tenantId]), table).to.have.length(0);
    }
  });
});
