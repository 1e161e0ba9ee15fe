import { expect } from 'chai';
import { loadFixtures, signIn, sql } from '../support/index.js';
import { makeTicket } from '../support/records.js';

describe('The dashboard', () => {
  it('shows what is waiting — open, pending, unassigned, mine, critical — and my open tickets', async () => {
    const fx = await loadFixtures();
    const rossi = fx.customers['Rossi Impianti'].id;
    for (const n of [1001, 1002, 1003, 1004]) await makeTicket(fx.acme, rossi, fx.contacts.mario.id, n, `Acme ticket ${n}`);
    await sql(`update tickets set assignee_id = $1 where number in (1001, 1002) and tenant_id = $2`, [fx.technicians.alice.id, fx.acme.id]);
    await sql(`update tickets set status = 'pending', priority = 'critical' where number = 1003 and tenant_id = $1`, [fx.acme.id]);
    await sql(`update tickets set status = 'closed' where number = 1002 and tenant_id = $1`, [fx.acme.id]);
    // Globex's tickets never count on acme's dashboard.
    await makeTicket(fx.globex, fx.customers.Springfield.id, fx.contacts.homer.id, 1001, 'Globex ticket');

    const alice = await signIn('alice');
    const page = (await alice.get('/')).text;
    const stat = (label: string) => Number(page.match(new RegExp(`<strong>(\\d+)</strong> ${label}`))?.[1]);
    expect(stat('open')).to.equal(2);
    expect(stat('pending')).to.equal(1);
    expect(stat('unassigned')).to.equal(2);
    expect(stat('assigned to me')).to.equal(1);
    expect(stat('critical')).to.equal(1);
    expect(page).to.contain('Acme ticket 1001').and.not.contain('Acme ticket 1002').and.not.contain('Globex ticket');
    expect(page).to.contain('Enterprise').and.contain('Customer Portal');
  });

  it('lists my open tickets even when many closed ones were touched since', async () => {
    const fx = await loadFixtures();
    const rossi = fx.customers['Rossi Impianti'].id;
    await makeTicket(fx.acme, rossi, fx.contacts.mario.id, 1001, 'Still open for me');
    await sql(`update tickets set assignee_id = $1, updated_at = now() - interval '30 days' where tenant_id = $2`, [fx.technicians.alice.id, fx.acme.id]);
    for (let n = 1002; n <= 1061; n++) await makeTicket(fx.acme, rossi, fx.contacts.mario.id, n, `Closed ${n}`);
    await sql(`update tickets set assignee_id = $1, status = 'closed' where tenant_id = $2 and number > 1001`, [fx.technicians.alice.id, fx.acme.id]);
    const alice = await signIn('alice');
    expect((await alice.get('/')).text).to.contain('Still open for me').and.not.contain('Closed 1061');
  });
});
