import { expect } from 'chai';
import { loadFixtures, signIn, type Browser, type Fixtures } from '../support/index.js';
import { numbersIn, totalIn, writeTickets } from '../support/tickets.js';

describe('Ticket list views and sorting', () => {
  let fx: Fixtures;
  let alice: Browser;
  beforeEach(async () => {
    fx = await loadFixtures();
    alice = await signIn('alice');
    await writeTickets(fx, [
      { number: 1001, title: 'Mine, open', assignee: 'alice', priority: 'low', updatedHoursAgo: 5 },
      { number: 1002, title: 'Mine, pending', assignee: 'alice', status: 'pending', priority: 'critical', updatedHoursAgo: 1 },
      { number: 1003, title: 'Mine, resolved', assignee: 'alice', status: 'resolved', priority: 'high', updatedHoursAgo: 2 },
      { number: 1004, title: "Bob's, open", assignee: 'bob', priority: 'high', updatedHoursAgo: 3, contact: 'peach' },
      { number: 1005, title: 'Nobody, open', assignee: null, updatedHoursAgo: 4 },
      { number: 1006, title: 'Nobody, closed long ago', assignee: null, status: 'closed', updatedHoursAgo: 24 * 30 },
      { number: 1007, title: 'Old, pending', assignee: 'bob', status: 'pending', updatedHoursAgo: 24 * 10 },
      { number: 5001, title: 'Globex', contact: 'homer', assignee: 'gina' },
    ]);
  });

  it('opens on My open tickets (open and pending, assigned to me), most recently updated first', async () => {
    const page = await alice.get('/tickets');
    expect(numbersIn(page.text)).to.deep.equal([1002, 1001]);
    expect(page.text).to.match(/<a href="\/tickets" aria-current="page">My open tickets<\/a>/);
  });

  it('has every view one click away, each showing what its name says', async () => {
    const page = await alice.get('/tickets?view=all&priority=high');
    const expected: Record<string, number[]> = {
      mine: [1002, 1001],
      unassigned: [1005],
      open: [1002, 1004, 1005, 1001, 1007],
      recent: [1002, 1003, 1004, 1005, 1001],
      resolved: [1003, 1006],
      all: [1002, 1003, 1004, 1005, 1001, 1007, 1006],
    };
    const names: Record<string, string> = { mine: 'My open tickets', unassigned: 'Unassigned', open: 'All open', recent: 'Recently updated', resolved: 'Resolved', all: 'All' };
    for (const [view, numbers] of Object.entries(expected)) {
      const href = view === 'mine' ? '/tickets' : `/tickets?view=${view}`;
      expect(page.text, view).to.contain(view === 'all' ? `<a href="${href}" aria-current="page">All</a>` : `<a href="${href}">${names[view]}</a>`);
      const list = await alice.get(href);
      expect(numbersIn(list.text), view).to.deep.equal(numbers);
      expect(totalIn(list.text), view).to.equal(numbers.length);
      expect(list.text).to.contain(`<a href="${href}" aria-current="page">${names[view]}</a>`);
    }
  });

  it('keeps a view and its filters in the URL, and narrows the view with them', async () => {
    const list = await alice.get('/tickets?view=open&priority=high');
    expect(numbersIn(list.text)).to.deep.equal([1004]);
    expect(list.text).to.contain('<input type="hidden" name="view" value="open">').and.contain('<option value="high" selected>');
    const fragment = await alice.agent.get('/tickets?view=open&priority=high&q=&status=').set('Host', alice.host).set('HX-Request', 'true').set('HX-Target', 'ticket-list');
    expect(fragment.headers['hx-push-url']).to.equal('/tickets?view=open&priority=high');
    // Links without a view (a customer's All tickets, older bookmarks) narrow All.
    expect(numbersIn((await alice.get('/tickets?assignee=none')).text)).to.deep.equal([1005, 1006]);
    expect(numbersIn((await alice.get(`/tickets?contact=${fx.contacts.peach.id}`)).text)).to.deep.equal([1004]);
  });

  it('sorts by number, updated, priority and status, each way, saying so to assistive technology', async () => {
    const order = async (query: string) => numbersIn((await alice.get(`/tickets?view=all&${query}`)).text);
    expect(await order('sort=number&dir=asc')).to.deep.equal([1001, 1002, 1003, 1004, 1005, 1006, 1007]);
    expect(await order('sort=number&dir=desc')).to.deep.equal([1007, 1006, 1005, 1004, 1003, 1002, 1001]);
    expect(await order('sort=updated&dir=asc')).to.deep.equal([1006, 1007, 1001, 1005, 1004, 1003, 1002]);
    // Priority: critical first, ties by most recently updated.
    expect(await order('sort=priority')).to.deep.equal([1002, 1003, 1004, 1005, 1007, 1006, 1001]);
    expect(await order('sort=priority&dir=asc')).to.deep.equal([1001, 1005, 1007, 1006, 1003, 1004, 1002]);
    // Status: open, pending, resolved, closed.
    expect(await order('sort=status')).to.deep.equal([1004, 1005, 1001, 1002, 1007, 1003, 1006]);

    const page = await alice.get('/tickets?view=all&sort=priority&dir=desc');
    expect(page.text).to.contain('<th aria-sort="descending"><a href="/tickets?view=all&amp;sort=priority&amp;dir=asc"');
    expect(page.text).to.contain('<a href="/tickets?view=all&amp;sort=number&amp;dir=desc"');
    expect(page.text).not.to.match(/aria-sort="[a-z]+"><a href="[^"]*sort=number/);
    // The filter form keeps the sort.
    expect(page.text).to.contain('<input type="hidden" name="sort" value="priority"><input type="hidden" name="dir" value="desc">');
    const plain = await alice.get('/tickets?view=all');
    expect(plain.text, 'unsorted: by updated, newest first').to.match(/<th aria-sort="descending"><a href="\/tickets\?view=all&amp;sort=updated&amp;dir=asc"/);
  });

  it('links each row to its ticket, its customer and its requester', async () => {
    const page = await alice.get('/tickets?view=all');
    expect(page.text).to.contain(`<td><a href="/customers/${fx.customers['Bianchi Srl'].id}">Bianchi Srl</a></td>`);
    expect(page.text).to.contain(`<td><a href="/contacts/${fx.contacts.peach.id}">Peach Bianchi</a></td>`);
  });
});
