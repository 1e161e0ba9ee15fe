// Admin > Technicians > a technician: deactivate, reactivate, change the role,
// resend or revoke an invitation; the workspace always keeps an admin who can sign in.
import { expect } from 'chai';
import { browserFor, drainJobs, h, linkIn, loadFixtures, PASSWORD, signIn, sql, type Browser, type Fixtures } from '../support/index.js';

async function auditActions(subjectId: number): Promise<string[]> {
  const rows = await sql<{ action: string }>(`select action from audit_events where subject_type = 'technician' and subject_id = $1 order by id`, [subjectId]);
  return rows.map((r) => r.action);
}

describe('Admin > Technicians > deactivation and roles', () => {
  let fx: Fixtures;
  let alice: Browser;
  beforeEach(async () => {
    fx = await loadFixtures();
    alice = await signIn('alice');
  });

  const page = (id: number) => `/admin/technicians/${id}`;

  it('deactivates a technician: every kind of request of their open session is refused, sign-in too; their tickets stay, marked inactive', async () => {
    const bob = await signIn('bob');
    await alice.get('/tickets/new');
    await alice.post('/tickets', { contact: fx.contacts.mario.id, title: 'Printer on fire', priority: 'medium', type: 'question', assignee: fx.technicians.bob.id });
    await bob.get('/tickets/1001'); // bob's CSRF token, as his open tab would hold it

    const shown = await alice.get(page(fx.technicians.bob.id));
    expect(shown.text).to.match(/<a href="\/profile"[^>]*>Alice Admin<\/a>/).and.contain('href="/admin/security"'); // the layout still names who is signed in
    const res = await alice.post(`${page(fx.technicians.bob.id)}/deactivation`);
    expect(res.status).to.equal(303);
    expect(res.headers.location).to.equal(page(fx.technicians.bob.id));
    expect((await alice.get(page(fx.technicians.bob.id))).text).to.contain('Bob Tech is deactivated').and.contain('Inactive: cannot sign in');

    const full = await bob.get('/');
    expect(full.status).to.equal(303);
    expect(full.headers.location).to.match(/^\/login/);
    const [ticket] = await sql<{ assignee_id: number }>('select assignee_id from tickets where number = 1001');
    expect(ticket.assignee_id).to.equal(fx.technicians.bob.id);

    const again = await browserFor('acme').post('/login', { email: 'bob@acme.test', password: PASSWORD });
    expect(again.status).to.equal(401);
    expect(again.text).to.contain('That email and password do not match');

    const list = await alice.get('/tickets?view=all');
    expect(list.text).to.match(/Bob Tech <span class="badge">inactive<\/span>/);
    expect(list.text).to.contain('Bob Tech (inactive)'); // the assignee filter still finds his tickets
    const ticketPage = await alice.get('/tickets/1001');
    expect(ticketPage.text).to.match(/<option value="\d+" selected>Bob Tech \(inactive\)<\/option>/);
    expect((await alice.get('/tickets/new')).text).not.to.contain('Bob Tech'); // nobody new is given to him

    expect(await auditActions(fx.technicians.bob.id)).to.include('technician.deactivated');

    const back = await alice.post(`${page(fx.technicians.bob.id)}/activation`);
    expect(back.status).to.equal(303);
    expect((await browserFor('acme').post('/login', { email: 'bob@acme.test', password: PASSWORD })).status).to.equal(303);
    expect(await auditActions(fx.technicians.bob.id)).to.include('technician.reactivated');
  });

  it('refuses every kind of request from open sessions of a deactivated technician (htmx, form, upload), changing nothing', async () => {
    const sessions = { hxGet: await signIn('bob'), hxPost: await signIn('bob'), form: await signIn('bob'), upload: await signIn('bob') };
    await alice.get('/tickets/new');
    await alice.post('/tickets', { contact: fx.contacts.mario.id, title: 'Printer on fire', priority: 'medium', type: 'question' });
    for (const bob of Object.values(sessions)) await bob.get('/tickets/1001');
    await alice.post(`${page(fx.technicians.bob.id)}/deactivation`);

    // Their sessions are gone from the store: each request is one from nobody, sent to sign in.
    const hxGet = await sessions.hxGet.hx('get', '/tickets?status=open');
    expect(hxGet.status).to.equal(401);
    expect(hxGet.headers['hx-redirect']).to.match(/^\/login/);
    const hxPost = await sessions.hxPost.hx('post', '/tickets/1001/status', { status: 'resolved' });
    expect([401, 403]).to.include(hxPost.status);
    expect(hxPost.headers['hx-redirect'] ?? '/login').to.match(/^\/login/);
    // A form posted with the old session's token: refused as expired (the token left with the session).
    const form = await sessions.form.post('/tickets/1001/priority', { priority: 'high' });
    expect(form.status).to.equal(403);
    const upload = await sessions.upload.agent.post('/tickets/1001/replies').set('Host', sessions.upload.host)
      .field('_csrf', sessions.upload.csrfToken).field('body', 'From a closed session').attach('attachments', Buffer.from('hello'), 'note.txt');
    expect(upload.status).to.equal(303);
    expect(upload.headers.location).to.match(/^\/login/);

    const [ticket] = await sql<{ status: string; priority: string }>('select status, priority from tickets where number = 1001');
    expect(ticket).to.deep.equal({ status: 'open', priority: 'medium' });
    expect(await sql(`select id from ticket_messages where body = 'From a closed session'`)).to.have.length(0);
    const [sessionsLeft] = await sql<{ n: number }>(`select count(*)::int as n from session where (sess::jsonb #>> '{passport,user,id}')::int = $1`, [fx.technicians.bob.id]);
    expect(sessionsLeft.n).to.equal(0);
  });

  it('ends the sessions of a deactivated technician at once: reactivated, their idle ones stay ended', async () => {
    const bob = await signIn('bob');
    const sessionsOfBob = async () => (await sql<{ n: number }>(`select count(*)::int as n from session where sess->'passport'->'user'->>'id' = $1 and sess->'passport'->'user'->>'kind' = 'technician'`, [String(fx.technicians.bob.id)]))[0].n;
    expect(await sessionsOfBob()).to.equal(1);
    await alice.get(page(fx.technicians.bob.id));
    await alice.post(`${page(fx.technicians.bob.id)}/deactivation`);
    expect(await sessionsOfBob()).to.equal(0);
    await alice.get(page(fx.technicians.bob.id));
    await alice.post(`${page(fx.technicians.bob.id)}/activation`);
    const idle = await bob.get('/');
    expect(idle.status).to.equal(303);
    expect(idle.headers.location).to.match(/^\/login/);
  });

  it('changes the role, and never demotes or deactivates the last active admin', async () => {
    await alice.get(page(fx.technicians.alice.id));
    const demote = await alice.post(`${page(fx.technicians.alice.id)}/role`, { role: 'technician' });
    expect(demote.status).to.equal(422);
    expect(demote.text).to.contain('This is the only active admin');
    const deactivate = await alice.post(`${page(fx.technicians.alice.id)}/deactivation`);
    expect(deactivate.status).to.equal(422);
    expect(deactivate.text).to.contain('This is the only active admin');
    const [alix] = await sql<{ role: string; active: boolean }>(`select role, active from technicians where email = 'alice@acme.test'`);
    expect(alix).to.deep.equal({ role: 'admin', active: true });

    const bad = await alice.post(`${page(fx.technicians.bob.id)}/role`, { role: 'owner' });
    expect(bad.status).to.equal(422);
    expect(bad.text).to.contain('Choose a role.');

    expect((await alice.post(`${page(fx.technicians.bob.id)}/role`, { role: 'admin' })).status).to.equal(303);
    expect((await alice.post(`${page(fx.technicians.alice.id)}/role`, { role: 'technician' })).status).to.equal(303);
    // Alice is no admin now: the admin screens refuse her.
    expect((await alice.get('/admin/technicians')).status).to.equal(403);
    const [event] = await sql<{ details: { from: string; to: string }; actor_name: string }>(
      `select details, actor_name from audit_events where action = 'technician.role_changed' and subject_id = $1`, [fx.technicians.alice.id]);
    expect(event).to.deep.include({ actor_name: 'Alice Admin' });
    expect(event.details).to.deep.include({ from: 'admin', to: 'technician' });
  });

  it('keeps one admin when two admins demote each other at the same moment', async () => {
    await sql(`update technicians set role = 'admin' where email = 'bob@acme.test'`);
    const bob = await signIn('bob');
    await alice.get(page(fx.technicians.bob.id));
    await bob.get(page(fx.technicians.alice.id));
    for (let round = 0; round < 5; round++) {
      const [a, b] = await Promise.all([
        alice.post(`${page(fx.technicians.bob.id)}/role`, { role: 'technician' }),
        bob.post(`${page(fx.technicians.alice.id)}/role`, { role: 'technician' }),
      ]);
      // One wins; the other is refused — 422 when it waited on the lock, 403 when it began after the
      // first had committed (its sender is no admin any more).
      const [won, refused] = [a.status, b.status].sort();
      expect(won).to.equal(303);
      expect(refused).to.be.oneOf([403, 422]);
      const admins = await sql(`select id from technicians where tenant_id = $1 and role = 'admin' and active`, [fx.acme.id]);
      expect(admins).to.have.length(1);
      await sql(`update technicians set role = 'admin' where tenant_id = $1`, [fx.acme.id]);
    }
  });

  it('is for admins only', async () => {
    const bob = await signIn('bob');
    expect((await bob.get(page(fx.technicians.alice.id))).status).to.equal(403);
    expect((await bob.post(`${page(fx.technicians.alice.id)}/deactivation`)).status).to.equal(403);
    const [row] = await sql<{ active: boolean }>(`select active from technicians where email = 'alice@acme.test'`);
    expect(row.active).to.equal(true);
  });
});

describe('Admin > Technicians > invitations', () => {
  let alice: Browser;
  beforeEach(async () => {
    await loadFixtures();
    alice = await signIn('alice');
  });

  async function invite(email: string): Promise<number> {
    await alice.get('/admin/technicians');
    await alice.post('/admin/technicians', { name: 'Carla Tech', email, role: 'technician' });
    const [row] = await sql<{ id: number }>('select id from technicians where email = $1', [email]);
    return row.id;
  }

  it('resends an invitation: the new link works, the old one no longer does', async () => {
    const id = await invite('carla@acme.test');
    await drainJobs();
    const first = new URL(linkIn(h().mail.last('carla@acme.test').text, /\/password\//)).pathname;
    const res = await alice.post(`/admin/technicians/${id}/invitation`);
    expect(res.status).to.equal(303);
    expect((await alice.get(`/admin/technicians/${id}`)).text).to.contain('A new invitation is on its way to carla@acme.test');
    await drainJobs();
    expect(h().mail.to('carla@acme.test')).to.have.length(2);
    const second = new URL(linkIn(h().mail.last('carla@acme.test').text, /\/password\//)).pathname;
    expect(second).not.to.equal(first);
    expect((await browserFor('acme').get(first)).status).to.equal(410);
    expect((await browserFor('acme').get(second)).status).to.equal(200);
    expect(await auditActions(id)).to.deep.equal(['technician.invited', 'technician.invitation_resent']);
  });

  it('revokes an invitation: links sent and queued stop working, and the technician is inactive', async () => {
    const sent = await invite('carla@acme.test');
    await drainJobs();
    const link = new URL(linkIn(h().mail.last('carla@acme.test').text, /\/password\//)).pathname;
    expect((await alice.post(`/admin/technicians/${sent}/invitation/deletion`)).status).to.equal(303);
    expect((await browserFor('acme').get(link)).status).to.equal(410);
    expect((await alice.get('/admin/technicians')).text).to.match(/Carla Tech<\/a>[\s\S]*?Inactive/);

    // Revoked before its email left: the email goes out with no live link in it.
    const queued = await invite('dan@acme.test');
    expect((await alice.post(`/admin/technicians/${queued}/invitation/deletion`)).status).to.equal(303);
    await drainJobs();
    const mail = h().mail.last('dan@acme.test');
    expect(mail.text).not.to.match(/\/password\//);
    expect(await sql(`select id from password_tokens where technician_id = $1 and used_at is null`, [queued])).to.have.length(0);
    expect(await auditActions(queued)).to.deep.equal(['technician.invited', 'technician.invitation_revoked']);

    // Only an invitation can be resent or revoked.
    const [bob] = await sql<{ id: number }>(`select id from technicians where email = 'bob@acme.test'`);
    const refused = await alice.post(`/admin/technicians/${bob.id}/invitation`);
    expect(refused.status).to.equal(422);
    expect(refused.text).to.contain('has not set a password yet');
  });
});
