// What a rule names cannot be taken from under it: deactivating a technician a rule
// assigns is refused naming the rule (and where to change it), as is deleting a template
// a rule sends (test/web/email-templates.test.ts); once the rule no longer names them, both
// go through.
import { expect } from 'chai';
import { loadFixtures, signIn, sql, type Fixtures } from '../support/index.js';
import { makeRule } from './rules-support.js';

describe('Templates and technicians a rule uses', () => {
  let f: Fixtures;
  beforeEach(async () => { f = await loadFixtures(); });

  it('refuses to deactivate a technician a rule assigns, naming the rule; deactivates them once the rule changes', async () => {
    await makeRule(f.acme.id, { name: 'VPN to Bob', active: false, actions: [{ kind: 'assign_technician', technician: 'bob@acme.test' }] });
    const alice = await signIn('alice');
    const page = `/admin/technicians/${f.technicians.bob.id}`;
    await alice.get(page);
    const refused = await alice.post(`${page}/deactivation`);
    expect(refused.status).to.equal(422);
    expect(refused.text).to.contain('Bob Tech is assigned tickets by the automation rule “VPN to Bob”: change that rule in Admin › Ticket Automation Rules first.');
    expect((await sql<{ active: boolean }>('select active from technicians where id = $1', [f.technicians.bob.id]))[0].active).to.equal(true);

    await sql("update ticket_rule_actions set technician_id = null, value = 'round_robin'");
    expect((await alice.post(`${page}/deactivation`)).status).to.equal(303);
    expect((await sql<{ active: boolean }>('select active from technicians where id = $1', [f.technicians.bob.id]))[0].active).to.equal(false);
  });

  it('names every rule that assigns them', async () => {
    await makeRule(f.acme.id, { name: 'VPN to Bob', actions: [{ kind: 'assign_technician', technician: 'bob@acme.test' }] });
    await makeRule(f.acme.id, { name: 'Printers to Bob', actions: [{ kind: 'assign_technician', technician: 'bob@acme.test' }] });
    const alice = await signIn('alice');
    await alice.get(`/admin/technicians/${f.technicians.bob.id}`);
    const refused = await alice.post(`/admin/technicians/${f.technicians.bob.id}/deactivation`);
    expect(refused.status).to.equal(422);
    expect(refused.text).to.contain('the automation rules “VPN to Bob”, “Printers to Bob”: change those rules');
  });
});
