import { expect } from 'chai';
import { loadFixtures, signIn, sql, type Fixtures } from '../support/index.js';
import { makeTicket } from '../support/records.js';

describe('Admin > Technicians > a technician\'s page', () => {
  let fx: Fixtures;
  beforeEach(async () => {
    fx = await loadFixtures();
    const mario = fx.contacts.mario;
    for (const n of [1001, 1002, 1003, 1004]) await makeTicket(fx.acme, mario.customer.id, mario.id, n);
    // Bob: two open tickets, one pending, one resolved; Alice: none.
    await sql("update tickets set assignee_id = $1, status = case number when 1003 then 'pending' when 1004 then 'resolved' else 'open' end where tenant_id = $2", [fx.technicians.bob.id, fx.acme.id]);
    await sql("insert into technicians (tenant_id, email, name, role) values ($1, 'carla@acme.test', 'Carla Invited', 'technician')", [fx.acme.id]);
    await sql("update technicians set last_login_at = '2026-11-30T09:15:00Z' where id = $1", [fx.technicians.bob.id]);
  });

  it('lists each technician with role, status, last sign-in and open tickets, each row opening their page', async () => {
    const alice = await signIn('alice');
    const list = (await alice.get('/admin/technicians')).text;
    const row = (name: string) => list.match(new RegExp(`<tr><td><a href="/admin/technicians/\\d+">${name}</a>[\\s\\S]*?</tr>`))?.[0] ?? '';
    expect(row('Bob Tech')).to.contain(`href="/admin/technicians/${fx.technicians.bob.id}"`).and.contain('Technician').and.contain('Active')
      .and.contain('datetime="2026-11-30T09:15:00.000Z"')
      .and.contain(`href="/tickets?status=open&amp;assignee=${fx.technicians.bob.id}">2<`);
    expect(row('Carla Invited')).to.contain('Invited').and.contain('Never').and.contain('>0<');
    expect(row('Alice Admin')).to.contain('Admin').and.contain('Active');
  });

  it('shows role, status, last sign-in and the open tickets assigned, linking to exactly that list', async () => {
    const alice = await signIn('alice');
    const page = await alice.get(`/admin/technicians/${fx.technicians.bob.id}`);
    expect(page.status).to.equal(200);
    expect(page.text).to.contain('Bob Tech').and.contain('Technician').and.contain('Active')
      .and.contain('30 Nov 2026, 09:15 UTC');
    const link = page.text.match(/<a href="(\/tickets\?[^"]+)">2 open tickets assigned<\/a>/)?.[1];
    expect(link, 'a link with the count').to.be.a('string');
    const tickets = await alice.get(link!.replace(/&amp;/g, '&'));
    expect(tickets.status).to.equal(200);
    expect(tickets.text).to.contain('2 tickets').and.contain('Ticket 1001').and.contain('Ticket 1002').and.not.contain('Ticket 1003');

    await sql("update technicians set active = false where email = 'carla@acme.test'");
    const [carla] = await sql<{ id: number }>("select id from technicians where email = 'carla@acme.test'");
    const inactive = await alice.get(`/admin/technicians/${carla.id}`);
    expect(inactive.text).to.contain('Inactive').and.contain('0 open tickets assigned').and.contain('Never');
  });

  it('is a 404 for a technician of another workspace, and admins only', async () => {
    const alice = await signIn('alice');
    const res = await alice.get(`/admin/technicians/${fx.technicians.gina.id}`);
    expect(res.status).to.equal(404);
    expect(res.text).not.to.contain('Gina');
    const bob = await signIn('bob');
    expect((await bob.get(`/admin/technicians/${fx.technicians.bob.id}`)).status).to.equal(403);
  });
});
