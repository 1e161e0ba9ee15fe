import { expect } from 'chai';
import { DEMO, seedDemo } from '../../src/demo/seed.js';
import { browserFor, sql } from '../support/index.js';
import { runEntry } from '../support/spawn.js';

describe('npm run demo', function () {
  this.timeout(60_000);

  it('creates the demo workspace once, however often it runs, and its admin can sign in', async () => {
    const first = await runEntry('src/cli/demo.ts', { LOG_LEVEL: 'silent' });
    expect(first.code, first.stderr).to.equal(0);
    expect(first.stdout).to.include('http://demo.localhost:3000/login');
    expect(first.stdout).to.include('tech@demo.test');
    expect(first.stdout).to.include('http://demo.localhost:3000/portal');
    expect(first.stdout).to.include('contact@demo.test');
    const counted = () => sql<Record<string, number>>(
      `select (select count(*)::int from tenants) as tenants, (select count(*)::int from technicians) as technicians,
              (select count(*)::int from customers) as customers, (select count(*)::int from contacts) as contacts,
              (select count(*)::int from tickets) as tickets, (select count(*)::int from ticket_messages) as messages,
              (select count(*)::int from ticket_events) as events, (select count(*)::int from outbound_emails) as emails`);
    const [before] = await counted();

    const again = await seedDemo();
    expect(again.created).to.deep.equal([]);
    expect((await counted())[0]).to.deep.equal(before);
    const tenants = await sql<{ slug: string; edition: string; plan: string }>(`select slug, edition, plan from tenants`);
    expect(tenants).to.deep.equal([{ slug: 'demo', edition: 'msp', plan: 'enterprise' }]);
    expect(await sql(`select email, role from technicians order by id`)).to.deep.equal([
      { email: 'tech@demo.test', role: 'admin' }, { email: 'marco@demo.test', role: 'technician' }]);

    const browser = browserFor('demo');
    await browser.get('/login');
    const res = await browser.post('/login', { email: DEMO.adminEmail, password: DEMO.password });
    expect(res.status).to.equal(303);
    const dashboard = await browser.get(res.headers.location);
    expect(dashboard.text).to.include('Demo Helpdesk');
  });

  it('gives the demo a living helpdesk: customers, a main contact in the portal, tickets in every status', async () => {
    const first = await seedDemo();
    expect(first.created).to.have.length(7);

    // Customers with contacts; every address is a @demo.test one, and so is every queued email.
    const customers = await sql<{ name: string; contacts: number }>(
      `select c.name, count(k.id)::int as contacts from customers c left join contacts k on k.tenant_id = c.tenant_id and k.customer_id = c.id group by c.tenant_id, c.id order by c.name`);
    expect(customers.map((c) => c.name)).to.include.members(['Rossi Impianti', 'Verdi Logistica', 'Studio Legale Bianchi', 'Neri Costruzioni']);
    for (const c of customers.filter((c) => c.name !== 'Unassigned')) expect(c.contacts, c.name).to.be.within(2, 4);
    expect(await sql(`select email from contacts where email not like '%@demo.test'`)).to.deep.equal([]);
    expect(await sql(`select to_address from outbound_emails where to_address not like '%@demo.test'`)).to.deep.equal([]);
    expect(await sql(`select count(*)::int as n from contacts where not portal_access`)).to.deep.equal([{ n: 2 }]);
    expect(await sql(`select k.first_name, k.is_main, k.portal_access, c.name as customer from contacts k join customers c on c.id = k.customer_id where k.email = 'contact@demo.test'`))
      .to.deep.equal([{ first_name: 'Giulia', is_main: true, portal_access: true, customer: 'Rossi Impianti' }]);

    // Tickets in every status and priority, some unassigned, with public replies from both sides and internal notes.
    const tickets = await sql<{ number: number; status: string; priority: string; assignee_id: number | null; created_at: Date; updated_at: Date }>(
      `select number, status, priority, assignee_id, created_at, updated_at from tickets where email_message_id is null order by number`);
    expect(tickets).to.have.length(36);
    // …and the incoming-mail log, made by the real pipeline: one row of each kind.
    expect((await sql<{ outcome: string }>('select outcome from inbound_messages order by id')).map((r) => r.outcome))
      .to.deep.equal(['ticket_created', 'rejected_unknown_sender', 'ignored_auto_reply', 'ignored_loop', 'ignored_bounce']);
    expect(await sql('select address, enabled from mailboxes')).to.deep.equal([{ address: 'support@demo.test', enabled: false }]);
    expect(new Set(tickets.map((t) => t.status))).to.deep.equal(new Set(['open', 'pending', 'resolved', 'closed']));
    expect(new Set(tickets.map((t) => t.priority))).to.deep.equal(new Set(['low', 'medium', 'high', 'critical']));
    expect(tickets.filter((t) => t.assignee_id === null)).to.have.length.above(2);
    expect(tickets.filter((t) => t.assignee_id !== null)).to.have.length.above(20);
    const kinds = await sql<{ author_kind: string; internal: boolean }>(`select distinct author_kind, internal from ticket_messages order by 1, 2`);
    expect(kinds).to.deep.equal([{ author_kind: 'contact', internal: false }, { author_kind: 'technician', internal: false }, { author_kind: 'technician', internal: true }]);
    // Spread over the last weeks, oldest number first; nothing in the future; history and messages in order.
    const now = Date.now();
    expect(now - tickets[0].created_at.getTime()).to.be.above(30 * 86_400_000);
    for (let i = 1; i < tickets.length; i++) expect(tickets[i].created_at.getTime()).to.be.at.least(tickets[i - 1].created_at.getTime());
    for (const t of tickets) {
      expect(t.updated_at.getTime()).to.be.within(t.created_at.getTime(), now);
    }
    expect(await sql(`select m.id from ticket_messages m join tickets t on t.id = m.ticket_id where m.created_at < t.created_at or m.created_at > t.updated_at or m.created_at > now()`)).to.deep.equal([]);
    expect(await sql(`select e.id from ticket_events e join tickets t on t.id = e.ticket_id where e.created_at < t.created_at or e.created_at > t.updated_at`)).to.deep.equal([]);

    // Giulia, the main contact, signs in to the portal and sees her company's tickets (Paolo's too), never an internal note.
    const portal = browserFor('demo');
    await portal.get('/portal/login');
    const signedIn = await portal.post('/portal/login', { email: 'contact@demo.test', password: DEMO.password });
    expect(signedIn.status).to.equal(303);
    const mine = await portal.get('/portal/tickets');
    expect(mine.status).to.equal(200);
    expect(mine.text).to.include('The server room is very hot').and.not.include('VPN disconnects every hour');
    const company = await portal.get('/portal/company-tickets');
    expect(company.status).to.equal(200);
    expect(company.text).to.include('Company tickets').and.include('VPN disconnects every hour').and.include('Paolo Ferri')
      .and.not.include('Site camera offline');
    const [vpn] = await sql<{ number: number }>(`select number from tickets where title = 'VPN disconnects every hour'`);
    const page = await portal.get(`/portal/tickets/${vpn.number}`);
    expect(page.status).to.equal(200);
    expect(page.text).to.include('raised it to 10 hours').and.not.include('SSL-VPN idle timeout');

    // The second technician can sign in too.
    const marco = browserFor('demo');
    await marco.get('/login');
    expect((await marco.post('/login', { email: 'marco@demo.test', password: DEMO.password })).status).to.equal(303);

    // A second run adds nothing.
    expect((await seedDemo()).created).to.deep.equal([]);
    expect(await sql(`select count(*)::int as n from tickets`)).to.deep.equal([{ n: 37 }]); // 36 seeded, 1 from the sample mail
  });

  it('refuses to run when NODE_ENV=production', async () => {
    const ran = await runEntry('src/cli/demo.ts', { NODE_ENV: 'production', APP_SECRET: 'x'.repeat(40) });
    expect(ran.code).to.equal(1);
    expect(ran.stderr).to.match(/refuses to run with NODE_ENV=production/);
    expect(await sql(`select * from tenants`)).to.deep.equal([]);
  });
});
