// Seeds the benchmark database as the owner, in bulk SQL: N tenants × M tickets,
// each tenant with its default customer, 10 customers, 50 contacts and a technician.
import type pg from 'pg';

export interface SeedOptions { tenants: number; ticketsPerTenant: number; passwordHash: string }

export async function seed(owner: pg.Pool, { tenants, ticketsPerTenant, passwordHash }: SeedOptions): Promise<void> {
  await owner.query(`insert into tenants (slug, name, edition, plan, trial_ends_at, next_ticket_number)
    select 'bench' || g, 'Bench Tenant ' || g, case when g % 2 = 0 then 'it' else 'msp' end, 'enterprise', now() + interval '30 days', 1001 + $1
    from generate_series(1, $2) g`, [ticketsPerTenant, tenants]);
  await owner.query(`insert into technicians (tenant_id, email, name, role, password_hash)
    select id, 'tech@' || slug || '.test', 'Tech ' || id, 'admin', $1 from tenants`, [passwordHash]);
  await owner.query(`insert into technicians (tenant_id, email, name, role, password_hash)
    select t.id, 'agent' || g || '@' || t.slug || '.test', 'Agent ' || g, 'technician', $1 from tenants t, generate_series(1, 4) g`, [passwordHash]);
  await owner.query(`insert into customers (tenant_id, name, is_default) select id, 'Unassigned', true from tenants`);
  await owner.query(`insert into customers (tenant_id, name) select t.id, 'Customer ' || g from tenants t, generate_series(1, 10) g`);
  await owner.query(`insert into contacts (tenant_id, customer_id, email, first_name, last_name, portal_access, password_hash, is_main)
    select t.id, (select c.id from customers c where c.tenant_id = t.id and not c.is_default order by c.id offset (g % 10) limit 1),
           'contact' || g || '@' || t.slug || '.test', 'Contact', 'Number ' || g, true, $1, g = 1
    from tenants t, generate_series(1, 50) g`, [passwordHash]);
  // Tickets: contact1 of each tenant is the requester of every 5th ticket (200 of 1,000), so My tickets fills its 50 rows.
  await owner.query(`insert into tickets (tenant_id, number, title, description, status, priority, type, source, customer_id, contact_id, assignee_id, created_at, updated_at)
    select t.id, 1000 + g, 'Printer on floor ' || (g % 7) || ' does not print (' || g || ')', 'The printer shows error E' || g || '. We tried turning it off and on.',
           (array['open','pending','resolved','closed'])[1 + g % 4], (array['low','medium','high','critical'])[1 + g % 4], 'incident', 'portal',
           ct.customer_id, ct.id,
           (select id from technicians tc where tc.tenant_id = t.id order by id offset (g % 5) limit 1),
           now() - (g || ' minutes')::interval, now() - (g || ' minutes')::interval
    from tenants t cross join generate_series(1, $1) g
    join lateral (select c.id, c.customer_id from contacts c where c.tenant_id = t.id order by c.id offset (case when g % 5 = 0 then 0 else g % 50 end) limit 1) ct on true`, [ticketsPerTenant]);
  await owner.query('vacuum analyze'); // as autovacuum leaves a live database: visibility map set, statistics fresh
}
