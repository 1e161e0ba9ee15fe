import { expect } from 'chai';
import { createApp } from '../../src/app.js';
import { requirePlan } from '../../src/web/plan-guard.js';
import { tenantRoutes } from '../../src/web/routes.js';
import { h, loadFixtures, signIn, speakItalian, sql } from '../support/index.js';
import { forgetTenant } from '../../src/web/middleware/tenant-cache.js';

const mailbox = (n: number) => ({ address: `help${n}@acme.test`, host: '127.0.0.1', port: '143', tls: 'none', username: `u${n}`, password: 'secret', folder: 'INBOX', processedFolder: '', pollMinutes: '5', enabled: 'on' });

describe('Plans, made real', () => {
  beforeEach(async () => {
    await loadFixtures();
  });

  describe('the plan guard', () => {
    // A gated route of its own, on an app built with it (Manage Domains brings the real ones).
    let app: ReturnType<typeof createApp>;
    before(() => {
      tenantRoutes.push({ method: 'get', path: '/gated-by-plan', handlers: [requirePlan('manage_domains')(async ({ res }) => res.type('text').send('inside'))] });
      app = createApp(h().runtimePool);
      tenantRoutes.pop();
    });

    it('answers 403 on Pro, to a technician who is not an admin, with the reason and the link to Admin > Plan', async () => {
      await sql("update tenants set plan = 'pro' where slug = 'acme'");
      forgetTenant('acme');
      const bob = await signIn('bob', undefined, app as never);
      const res = await bob.get('/gated-by-plan');
      expect(res.status).to.equal(403);
      expect(res.text).to.contain('is available on the Enterprise plan');
      expect(res.text).to.contain('href="/admin/plan"');
    });

    it('lets an Enterprise admin in, and refuses a non-admin there as admins-only', async () => {
      const alice = await signIn('alice', undefined, app as never);
      expect((await alice.get('/gated-by-plan')).text).to.equal('inside');
      const bob = await signIn('bob', undefined, app as never);
      const res = await bob.get('/gated-by-plan');
      expect(res.status).to.equal(403);
      expect(res.text).to.contain('Only admins can do this.');
    });
  });

  describe('limits', () => {
    it('refuses a technician past the limit, naming it and the plan that lifts it, in Italian too', async () => {
      await sql("update tenants set plan = 'pro' where slug = 'acme'");
      forgetTenant('acme');
      const [{ n }] = await sql<{ n: number }>("select count(*)::int as n from technicians t join tenants w on w.id = t.tenant_id where w.slug = 'acme' and t.active");
      const [{ id }] = await sql<{ id: number }>("select id from tenants where slug = 'acme'");
      await sql('insert into technicians (tenant_id, email, name, role) select $1, \'t\' || g || \'@acme.test\', \'T \' || g, \'technician\' from generate_series(1, $2::int) g', [id, 25 - n]);
      const alice = await signIn('alice');
      await alice.get('/admin/technicians');
      const res = await alice.post('/admin/technicians', { name: 'One Too Many', email: 'more@acme.test', role: 'technician' });
      expect(res.status).to.equal(422);
      expect(res.text).to.contain('The Pro plan has up to 25 technicians, invitations included; Enterprise has up to 500');
      await speakItalian('acme');
      const again = await alice.post('/admin/technicians', { name: 'One Too Many', email: 'more@acme.test', role: 'technician' });
      expect(again.text).to.contain('Il piano Pro prevede fino a 25 tecnici, inviti compresi; il piano Enterprise fino a 500');
      expect(await sql("select 1 from technicians where email = 'more@acme.test'")).to.have.length(0);
    });

    it('refuses a mailbox past the limit, and two at once cannot both pass', async () => {
      await sql("update tenants set plan = 'pro' where slug = 'acme'");
      forgetTenant('acme');
      const [{ id }] = await sql<{ id: number }>("select id from tenants where slug = 'acme'");
      await sql("insert into mailboxes (tenant_id, address, host, port, tls, username, password_sealed, password_key_version, enabled) select $1, 'm' || g || '@acme.test', 'imap.acme.test', 993, 'tls', 'u', 'x', 1, false from generate_series(1, 4) g", [id]);
      const alice = await signIn('alice');
      await alice.get('/admin/email-settings');
      const [a, b] = await Promise.all([alice.post('/admin/mailboxes', mailbox(1)), alice.post('/admin/mailboxes', mailbox(2))]);
      expect([a.status, b.status].sort()).to.deep.equal([303, 422]);
      expect((a.status === 422 ? a : b).text).to.contain('The Pro plan has up to 5 support addresses; Enterprise has up to 50');
      expect(await sql("select 1 from mailboxes where tenant_id = $1", [id])).to.have.length(5);
    });
  });

  it('shows a gated feature on a lower plan with the note and the link to Admin > Plan, in Italian too', async () => {
    const [site] = await sql<{ id: number }>("select c.id from customers c join tenants w on w.id = c.tenant_id where w.slug = 'globex' and c.name = 'Springfield'");
    const gina = await signIn('gina');
    const page = await gina.get(`/customers/${site.id}`);
    expect(page.text).to.match(/<section id="domains">[\s\S]*Available on Enterprise · <a href="\/admin\/plan">/);
    await speakItalian('globex');
    expect((await gina.get(`/customers/${site.id}`)).text).to.contain('Disponibile nel piano Enterprise');
    const [customer] = await sql<{ id: number }>("select c.id from customers c join tenants w on w.id = c.tenant_id where w.slug = 'acme' and c.name = 'Rossi Impianti'");
    const alice = await signIn('alice');
    expect((await alice.get(`/customers/${customer.id}`)).text).to.not.contain('Available on Enterprise');
  });

  it('records the end of a trial once, and the workspace stays on its plan', async () => {
    await sql("update tenants set trial_ends_at = now() - interval '1 day' where slug = 'acme'");
    forgetTenant('acme');
    const alice = await signIn('alice');
    await alice.get('/');
    forgetTenant('acme');
    await alice.get('/admin/plan');
    const events = await sql<{ details: { plan: string } }>("select details from audit_events where action = 'tenant.trial_ended'");
    expect(events).to.have.length(1);
    expect(events[0].details.plan).to.equal('enterprise');
    expect((await sql<{ plan: string }>("select plan from tenants where slug = 'acme'"))[0].plan).to.equal('enterprise');
    expect((await alice.get('/admin/plan')).text).to.contain('you stay on Enterprise');
  });
});
