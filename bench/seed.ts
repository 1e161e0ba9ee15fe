// Seeds the benchmark database as the owner, in bulk SQL: N tenants × M tickets,
// each tenant with its default customer, 60 customers, 200 contacts, five technicians and
// five quick replies; every ticket with a conversation (1 to 40 messages, a fifth of them
// internal notes), history rows, and every 7th ticket an attachment. Three tickets of each
// workspace are known to the benches (all of contact1, so the portal shows them too):
// #1005 with 20 messages, 3 attachments and 6 history rows; #1010 with 40 messages;
// #1015 with 1 message (the two the N+1 check compares).
import type pg from 'pg';

export interface SeedOptions { tenants: number; ticketsPerTenant: number; passwordHash: string; conversations?: boolean }

export const TICKET_20 = 1005;
export const TICKET_40 = 1010;
export const TICKET_1 = 1015;

export async function seed(owner: pg.Pool, { tenants, ticketsPerTenant, passwordHash, conversations = true }: SeedOptions): Promise<void> {
  await owner.query(`insert into tenants (slug, name, edition, plan, trial_ends_at, next_ticket_number)
    select 'bench' || g, 'Bench Tenant ' || g, case when g % 2 = 0 then 'it' else 'msp' end, 'enterprise', now() + interval '30 days', 1001 + $1
    from generate_series(1, $2) g`, [ticketsPerTenant, tenants]);
  await owner.query(`insert into technicians (tenant_id, email, name, role, password_hash)
    select id, 'tech@' || slug || '.test', 'Tech ' || id, 'admin', $1 from tenants`, [passwordHash]);
  await owner.query(`insert into technicians (tenant_id, email, name, role, password_hash)
    select t.id, 'agent' || g || '@' || t.slug || '.test', 'Agent ' || g, 'technician', $1 from tenants t, generate_series(1, 4) g`, [passwordHash]);
  await owner.query(`insert into customers (tenant_id, name, is_default) select id, 'Unassigned', true from tenants`);
  await owner.query(`insert into customers (tenant_id, name) select t.id, 'Customer ' || g from tenants t, generate_series(1, 60) g`);
  await owner.query(`insert into contacts (tenant_id, customer_id, email, first_name, last_name, portal_access, password_hash, is_main)
    select t.id, (select c.id from customers c where c.tenant_id = t.id and not c.is_default order by c.id offset (g % 60) limit 1),
           'contact' || g || '@' || t.slug || '.test', 'Contact', 'Number ' || g, true, $1, g = 1
    from tenants t, generate_series(1, 200) g`, [passwordHash]);
  await owner.query(`insert into quick_replies (tenant_id, name, body)
    select t.id, 'Quick reply ' || g, 'Hello {[Contact First Name]}, thank you for writing. We are looking into it (' || g || ').' from tenants t, generate_series(1, 5) g`);
  // Tickets: contact1 of each tenant is the requester of every 5th ticket (200 of 1,000), so My tickets fills its 50 rows.
  await owner.query(`insert into tickets (tenant_id, number, title, description, status, priority, type, source, customer_id, contact_id, assignee_id, created_at, updated_at)
    select t.id, 1000 + g, 'Printer on floor ' || (g % 7) || ' does not print (' || g || ')', 'The printer shows error E' || g || '. We tried turning it off and on.',
           (array['open','pending','resolved','closed'])[1 + g % 4], (array['low','medium','high','critical'])[1 + g % 4], 'incident', 'portal',
           ct.customer_id, ct.id,
           (select id from technicians tc where tc.tenant_id = t.id order by id offset (g % 5) limit 1),
           now() - (g || ' minutes')::interval, now() - (g || ' minutes')::interval
    from tenants t cross join generate_series(1, $1) g
    join lateral (select c.id, c.customer_id from contacts c where c.tenant_id = t.id order by c.id offset (case when g % 5 = 0 then 0 else g % 50 end) limit 1) ct on true`, [ticketsPerTenant]);
  if (conversations) await seedConversations(owner);
  await owner.query('vacuum analyze'); // as autovacuum leaves a live database: visibility map set, statistics fresh
}

/** Messages (the requester and the assignee by turns, every 5th an internal note), attachments and history rows. */
async function seedConversations(owner: pg.Pool): Promise<void> {
  await owner.query(`insert into ticket_messages (tenant_id, ticket_id, author_kind, author_contact_id, author_technician_id, body, internal, created_at)
    select tk.tenant_id, tk.id, case when i % 2 = 1 and i % 5 <> 0 then 'contact' else 'technician' end,
           case when i % 2 = 1 and i % 5 <> 0 then tk.contact_id end,
           case when i % 2 = 1 and i % 5 <> 0 then null else coalesce(tk.assignee_id, (select min(id) from technicians tc where tc.tenant_id = tk.tenant_id)) end,
           case when i % 2 = 1 then 'Hello, the printer on floor ' || (tk.number % 7) || ' still shows the error. I restarted it twice this morning and the queue is stuck with ' || i || ' jobs. Could someone look at it today? Thanks.'
                else 'Hi, thank you for the details. We have checked the print server and cleared the queue; please try printing a test page now and tell us whether it works (step ' || i || ').' end,
           i % 5 = 0, tk.created_at + (i || ' minutes')::interval
    from tickets tk, generate_series(1, case tk.number when ${TICKET_20} then 20 when ${TICKET_40} then 40 when ${TICKET_1} then 1
                                             else case when tk.number % 10 = 0 then 1 + (tk.number * 7) % 40 else 1 + tk.number % 4 end end) i`);
  // Three attachments on the known tickets' first messages, one on every 7th ticket's first.
  await owner.query(`insert into attachments (tenant_id, ticket_id, message_id, file_name, content_type, size, data)
    select m.tenant_id, m.ticket_id, m.id, 'screenshot-' || f || '.png', 'image/png', 2048, decode(repeat('89504e47', 512), 'hex')
    from (select distinct on (tenant_id, ticket_id) m.* from ticket_messages m order by tenant_id, ticket_id, id) m
    join tickets tk on tk.id = m.ticket_id,
    generate_series(1, case when tk.number in (${TICKET_20}, ${TICKET_40}, ${TICKET_1}) then 3 when tk.number % 7 = 0 then 1 else 0 end) f`);
  await owner.query(`insert into ticket_events (tenant_id, ticket_id, actor_kind, actor_name, field, from_value, to_value, created_at)
    select tk.tenant_id, tk.id, 'technician', 'Tech ' || tk.tenant_id, e.field, e.from_value, e.to_value, tk.created_at + (e.n || ' minutes')::interval
    from tickets tk, (values (1, 'status', 'open', 'pending'), (2, 'priority', 'low', 'high'), (3, 'status', 'pending', 'open'),
                             (4, 'type', 'question', 'incident'), (5, 'priority', 'high', 'medium'), (6, 'status', 'open', 'pending')) e(n, field, from_value, to_value)
    where e.n <= case when tk.number in (${TICKET_20}, ${TICKET_40}, ${TICKET_1}) then 6 else 2 end`);
}
