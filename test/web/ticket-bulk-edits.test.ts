import { expect } from 'chai';
import { subscribe } from '../../src/db/unit-of-work.js';
import type { RaisedEvent } from '../../src/domain/events.js';
import type { TicketDomainEvent } from '../../src/domain/ticket/events.js';
import { loadFixtures, signIn, sql, type Browser, type Fixtures } from '../support/index.js';
import { numbersIn, writeTickets } from '../support/tickets.js';

describe('Bulk edits from the ticket list', () => {
  let fx: Fixtures;
  let alice: Browser;
  let ids: Record<number, number>;
  let before: RaisedEvent[][];
  let after: RaisedEvent[][];
  let unsubscribe: () => void;
  beforeEach(async () => {
    fx = await loadFixtures();
    alice = await signIn('alice');
    ids = await writeTickets(fx, [
      { number: 1001, title: 'Printer jammed', priority: 'low' },
      { number: 1002, title: 'VPN drops', priority: 'high', contact: 'peach' },
      { number: 1003, title: 'Laptop', priority: 'high', assignee: 'bob' },
      { number: 1004, title: 'Mouse', priority: 'medium' },
      { number: 5001, title: 'Globex', contact: 'homer' },
    ]);
    before = [];
    after = [];
    unsubscribe = subscribe({
      name: 'bulk-recorder',
      beforeCommit: async (events) => { before.push([...events]); },
      afterCommit: async (events) => { after.push([...events]); },
    });
  });
  afterEach(() => unsubscribe());

  const ticketRows = () => sql<{ number: number; status: string; priority: string; assignee: string | null }>(
    `select t.number, t.status, t.priority, te.name as assignee from tickets t left join technicians te on te.id = t.assignee_id order by t.number`);
  const historyOf = (number: number) => sql<{ field: string; from_value: string | null; to_value: string | null; actor_name: string }>(
    'select e.field, e.from_value, e.to_value, e.actor_name from ticket_events e join tickets t on t.id = e.ticket_id where t.number = $1 and t.tenant_id = $2 order by e.id', [number, fx.acme.id]);
  const summary = (events: RaisedEvent[]) => events.map((e) => {
    const event = e as TicketDomainEvent;
    return `${event.type} #${event.ticketId} by ${event.origin.kind}`;
  }).sort();

  it('assigns and changes the status of the chosen tickets in one transaction: a history entry and domain events per ticket', async () => {
    const list = await alice.get('/tickets?view=all');
    expect(list.text).to.contain(`<input type="checkbox" name="ticket" value="${ids[1001]}" aria-label="Select #1001">`);
    const res = await alice.post('/tickets/bulk-edits', { list: 'view=all', ticket: [ids[1001], ids[1002]], assignee: fx.technicians.bob.id, status: 'pending', priority: '' });
    expect(res.status).to.equal(303);
    expect(res.headers.location).to.equal('/tickets?view=all');
    expect((await alice.get(res.headers.location)).text).to.contain('2 tickets changed.');
    expect((await ticketRows()).filter((r) => r.number < 5000)).to.deep.equal([
      { number: 1001, status: 'pending', priority: 'low', assignee: 'Bob Tech' },
      { number: 1002, status: 'pending', priority: 'high', assignee: 'Bob Tech' },
      { number: 1003, status: 'open', priority: 'high', assignee: 'Bob Tech' },
      { number: 1004, status: 'open', priority: 'medium', assignee: null },
    ]);
    for (const number of [1001, 1002]) {
      expect(await historyOf(number)).to.deep.equal([
        { field: 'status', from_value: 'open', to_value: 'pending', actor_name: 'Alice Admin' },
        { field: 'assignee', from_value: null, to_value: 'Bob Tech', actor_name: 'Alice Admin' },
      ]);
    }
    expect(await historyOf(1003)).to.deep.equal([]);
    // One unit of work: the subscribers ran once, with each ticket's events (rules fire per ticket).
    expect(before).to.have.length(1);
    expect(after).to.have.length(1);
    expect(summary(before[0])).to.deep.equal([
      `ticket.assignment_changed #${ids[1001]} by technician`, `ticket.assignment_changed #${ids[1002]} by technician`,
      `ticket.status_changed #${ids[1001]} by technician`, `ticket.status_changed #${ids[1002]} by technician`,
    ].sort());
  });

  it('changes every ticket the filters find ("all matching"), and only those', async () => {
    const res = await alice.post('/tickets/bulk-edits', { list: 'view=all&priority=high', scope: 'all', priority: 'critical' });
    expect(res.status).to.equal(303);
    expect(res.headers.location).to.equal('/tickets?priority=high');
    const rows = (await ticketRows()).filter((r) => r.number < 5000);
    expect(rows.map((r) => `${r.number} ${r.priority}`)).to.deep.equal(['1001 low', '1002 critical', '1003 critical', '1004 medium']);
    expect(await historyOf(1002)).to.deep.equal([{ field: 'priority', from_value: 'high', to_value: 'critical', actor_name: 'Alice Admin' }]);
    expect(summary(before[0])).to.deep.equal([`ticket.property_changed #${ids[1002]} by technician`, `ticket.property_changed #${ids[1003]} by technician`]);
    // A search narrows "all matching" as it narrows the list.
    await alice.post('/tickets/bulk-edits', { list: 'view=all&q=Printer', scope: 'all', status: 'resolved' });
    expect((await ticketRows()).filter((r) => r.status === 'resolved').map((r) => r.number)).to.deep.equal([1001]);
  });

  it('answers an htmx bulk edit with the list swapped in place, saying what changed', async () => {
    await alice.get('/tickets?view=all');
    const res = await alice.hx('post', '/tickets/bulk-edits', { list: 'view=open&sort=number&dir=asc', ticket: [ids[1003], ids[1004]], status: 'resolved' });
    expect(res.status).to.equal(200);
    expect(res.text).not.to.contain('<html').and.not.to.contain('<nav class="views"');
    expect(res.text).to.contain('<p class="notice" role="status">2 tickets changed.</p>');
    expect(numbersIn(res.text)).to.deep.equal([1001, 1002]);
  });

  it('refuses an edit that changes nothing, or no ticket, or a wrong value, with 422 and the selection kept; nothing changes', async () => {
    const snapshot = await ticketRows();
    const nothing = await alice.post('/tickets/bulk-edits', { list: 'view=all', ticket: [ids[1001]], assignee: '', status: '', priority: '' });
    expect(nothing.status).to.equal(422);
    expect(nothing.text).to.contain('Choose what to change: an assignee, a status or a priority.');
    expect(nothing.text).to.contain(`value="${ids[1001]}" aria-label="Select #1001" checked>`);
    const none = await alice.post('/tickets/bulk-edits', { list: 'view=all', status: 'pending' });
    expect(none.status).to.equal(422);
    expect(none.text).to.contain('Select at least one ticket.');
    const wrong = await alice.post('/tickets/bulk-edits', { list: 'view=all', ticket: [ids[1001], ids[1002]], status: 'exploded' });
    expect(wrong.status).to.equal(422);
    expect(wrong.text).to.contain('Choose a status.');
    const inactive = await alice.hx('post', '/tickets/bulk-edits', { list: 'view=all', ticket: [ids[1001]], assignee: fx.technicians.gina.id });
    expect(inactive.status).to.equal(422);
    expect(inactive.text).to.contain('Choose an active technician.').and.not.contain('<html');
    expect(await ticketRows()).to.deep.equal(snapshot);
    expect(await sql('select id from ticket_events')).to.have.length(0);
    expect(before).to.have.length(0);
  });

  it('refuses "all matching" past 500 tickets, changing none, and changes 500', async function () {
    this.timeout(90_000);
    await sql(`insert into tickets (tenant_id, number, title, customer_id, contact_id)
      select $1, 2000 + g, 'Bulk ' || g, $2, $3 from generate_series(1, 500) g`, [fx.acme.id, fx.customers['Rossi Impianti'].id, fx.contacts.mario.id]);
    const res = await alice.post('/tickets/bulk-edits', { list: 'view=open', scope: 'all', status: 'closed' });
    expect(res.status).to.equal(422);
    expect(res.text).to.contain('At most 500 tickets change at once: narrow the filters.');
    expect(await sql("select id from tickets where status = 'closed'")).to.have.length(0);
    const narrowed = await alice.post('/tickets/bulk-edits', { list: 'view=open&q=Bulk', scope: 'all', status: 'closed' });
    expect(narrowed.status).to.equal(303);
    expect(await sql("select id from tickets where status = 'closed'")).to.have.length(500);
  });

  it("refuses another workspace's ticket among the chosen with 404, changing nothing", async () => {
    const snapshot = await ticketRows();
    const forged = await alice.post('/tickets/bulk-edits', { list: 'view=all', ticket: [ids[1001], ids[5001]], status: 'closed', assignee: fx.technicians.bob.id });
    expect(forged.status).to.equal(404);
    expect(forged.text).not.to.contain('Globex');
    const missing = await alice.post('/tickets/bulk-edits', { list: 'view=all', ticket: [ids[1001], 999_999], status: 'closed' });
    expect(missing.status).to.equal(404);
    expect(await ticketRows()).to.deep.equal(snapshot);
    expect(await sql('select id from ticket_events')).to.have.length(0);
    expect(after).to.have.length(0);
    // "All matching" reads this workspace's tickets only.
    await alice.post('/tickets/bulk-edits', { list: 'view=all', scope: 'all', status: 'pending' });
    expect((await ticketRows()).find((r) => r.number === 5001)!.status).to.equal('open');
  });
});
