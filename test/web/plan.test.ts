import { expect } from 'chai';
import { loadFixtures, signIn, sql } from '../support/index.js';

describe('Admin > Plan', () => {
  beforeEach(async () => {
    await loadFixtures();
  });

  it('changes the plan, records who did it, and shows it on the dashboard', async () => {
    const alice = await signIn('alice');
    await alice.get('/admin/plan');
    const asked = await alice.post('/admin/plan', { plan: 'pro' });
    expect(asked.status).to.equal(200);
    expect(asked.text).to.contain('Move from Enterprise to Pro?');
    expect((await sql<{ plan: string }>("select plan from tenants where slug = 'acme'"))[0].plan).to.equal('enterprise');
    const res = await alice.post('/admin/plan', { plan: 'pro', confirm: 'yes' });
    expect(res.status).to.equal(303);
    expect((await alice.get('/')).text).to.contain('Pro');
    const [event] = await sql<{ actor_name: string; details: { from: string; to: string } }>("select actor_name, details from audit_events where action = 'tenant.plan_changed'");
    expect(event.actor_name).to.equal('Alice Admin');
    expect(event.details).to.include({ from: 'enterprise', to: 'pro' });
    const plansNow = await sql<{ slug: string; plan: string }>("select slug, plan from tenants where slug in ('acme', 'globex') order by slug");
    // acme's own plan changed (it was enterprise); globex (pro all along) is untouched by acme's admin.
    expect(plansNow).to.deep.equal([{ slug: 'acme', plan: 'pro' }, { slug: 'globex', plan: 'pro' }]);
  });

  it('refuses an unknown plan and changes nothing', async () => {
    const alice = await signIn('alice');
    await alice.get('/admin/plan');
    const res = await alice.post('/admin/plan', { plan: 'platinum' });
    expect(res.status).to.equal(422);
    const [acme] = await sql<{ plan: string }>("select plan from tenants where slug = 'acme'");
    expect(acme.plan).to.equal('enterprise');
  });

  it('is for admins only', async () => {
    const bob = await signIn('bob');
    expect((await bob.get('/admin/plan')).status).to.equal(403);
  });
});
