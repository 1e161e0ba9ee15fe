// Rows made directly through the ORM, for tests of screens that only read them.
import { inTenant } from '../../src/db/unit-of-work.js';
import type { Contact } from '../../src/domain/contact/contact.js';
import type { Customer } from '../../src/domain/customer/customer.js';
import type { Tenant } from '../../src/domain/tenant/tenant.js';
import { Ticket } from '../../src/domain/ticket/ticket.js';

/**
 * A ticket row with this number, customer and requester (no conversation, no history).
 * The tenant's counter moves past it, as openTicket's would, so a ticket opened later does not collide.
 */
export async function makeTicket(tenant: Tenant, customerId: number, contactId: number, number: number, title = `Ticket ${number}`): Promise<void> {
  await inTenant(tenant.id, async (em) => {
    em.create(Ticket, {
      tenant: em.getReference('Tenant', tenant.id) as Tenant, number, title,
      customer: em.getReference('Customer', customerId) as Customer, contact: em.getReference('Contact', contactId) as Contact,
    });
    await em.flush();
    await em.execute('update tenants set next_ticket_number = greatest(next_ticket_number, ? + 1) where id = ?', [number, tenant.id]);
  });
}
