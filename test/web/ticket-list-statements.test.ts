// The ticket list reads a constant number of statements, whatever it shows: the session,
// the transaction (with its tenant), the signed-in technician, the page with its count
// (searched or not), the filter form's choices in one, and the commit (bench/pages).
import { expect } from 'chai';
import { loadFixtures, signIn, type Browser, type Fixtures } from '../support/index.js';
import { statementsOf } from '../support/statements.js';
import { writeTickets } from '../support/tickets.js';

describe('The ticket list reads in a constant number of statements', () => {
  let fx: Fixtures;
  let alice: Browser;
  beforeEach(async () => {
    fx = await loadFixtures();
    alice = await signIn('alice');
  });

  it('six for a page, five for the list alone — for one ticket or a full page, filtered, searched or sorted', async () => {
    const rossi = fx.customers['Rossi Impianti'].id;
    const paths = [
      '/tickets', '/tickets?view=all', `/tickets?customer=${rossi}`, `/tickets?contact=${fx.contacts.mario.id}`,
      `/tickets?view=open&customerQ=bianchi&customer=${rossi}&priority=high`, '/tickets?view=all&q=printer', '/tickets?view=all&sort=priority&dir=asc',
    ];
    const count = async (path: string, headers: Record<string, string> = {}) => {
      const statements = await statementsOf(() => alice.get(path, headers));
      return statements.length;
    };
    await writeTickets(fx, [{ number: 1001, title: 'Printer', assignee: 'alice' }]);
    for (const path of paths) expect(await count(path), path).to.equal(6);
    await writeTickets(fx, Array.from({ length: 60 }, (_, i) => ({ number: 1002 + i, title: `Printer ${i}`, assignee: 'alice' as const, contact: i % 2 ? 'mario' as const : 'peach' as const })));
    for (const path of paths) expect(await count(path), path).to.equal(6);
    for (const path of paths) expect(await count(path, { 'HX-Request': 'true', 'HX-Target': 'ticket-list' }), `${path} (htmx)`).to.equal(5);
  });
});
