import { expect } from 'chai';
import { loadFixtures, signIn, speakItalian, sql } from '../support/index.js';
import { totalIn, writeTickets } from '../support/tickets.js';

describe("The dashboard's tiles", () => {
  it('each count exactly what the list they open shows', async () => {
    const fx = await loadFixtures();
    const statuses = ['open', 'pending', 'resolved', 'closed'] as const;
    const priorities = ['low', 'medium', 'high', 'critical'] as const;
    const assignees = ['alice', 'bob', null] as const;
    // Every mix of status, priority and assignee, some touched lately, some long ago (resolved last month is not "this week").
    const specs = [];
    let number = 1001;
    for (const status of statuses) for (const priority of priorities) for (const assignee of assignees) {
      specs.push({ number: number++, title: `${status} ${priority}`, status, priority, assignee, updatedHoursAgo: number % 3 === 0 ? 24 * 20 : number % 5 });
    }
    await writeTickets(fx, specs);
    await writeTickets(fx, [{ number: 1001, title: 'Globex resolved', contact: 'homer', status: 'resolved', updatedHoursAgo: 1 }]);

    const alice = await signIn('alice');
    const page = (await alice.get('/')).text;
    const tiles = [...page.matchAll(/<a class="stat[^"]*" href="([^"]+)" data-tile="(\w+)"><strong>(\d+)<\/strong>/g)]
      .map(([, href, name, count]) => ({ name, href: href.replace(/&amp;/g, '&'), count: Number(count) }));
    expect(tiles.map((t) => t.name)).to.deep.equal(['open', 'pending', 'unassigned', 'mine', 'critical', 'resolvedThisWeek']);
    for (const tile of tiles) {
      const list = await alice.get(tile.href);
      expect(list.status, tile.href).to.equal(200);
      expect(totalIn(list.text), `${tile.name} (${tile.href})`).to.equal(tile.count);
      expect(tile.count, tile.name).to.be.greaterThan(0);
    }
    // And the numbers are the workspace's: what the database holds, counted another way.
    const [counts] = await sql<Record<string, number>>(`select
        count(*) filter (where status = 'open')::int as open,
        count(*) filter (where status in ('open', 'pending') and assignee_id = $2)::int as mine,
        count(*) filter (where status = 'resolved' and updated_at > now() - interval '7 days')::int as resolved
      from tickets where tenant_id = $1`, [fx.acme.id, fx.technicians.alice.id]);
    const count = (name: string) => tiles.find((t) => t.name === name)!.count;
    expect([count('open'), count('mine'), count('resolvedThisWeek')]).to.deep.equal([counts.open, counts.mine, counts.resolved]);
  });

  it('say their numbers in the workspace language and open the list in it', async () => {
    const fx = await loadFixtures();
    await writeTickets(fx, [{ number: 1001, title: 'Rete lenta', assignee: 'alice' }]);
    await speakItalian('acme');
    const alice = await signIn('alice');
    const page = (await alice.get('/')).text;
    expect(page).to.contain('<strong>1</strong> assegnato a me').and.contain('<strong>1</strong> aperto');
    const mine = await alice.get('/tickets');
    expect(mine.text).to.contain('aria-current="page">I miei ticket aperti</a>').and.contain('Rete lenta');
  });
});
