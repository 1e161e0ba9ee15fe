// A page that reads with its guard (technician.page, portal.page in web/action.ts): the
// unit of work's begin, the signed-in user's row, the page's reads and the commit leave in
// one socket write; what was read reaches the page only when the guard lets the user in.
import { expect } from 'chai';
import { loadFixtures, signIn, sql, type Browser, type Fixtures } from '../support/index.js';
import { socketWrites } from '../support/socket-writes.js';
import { writeTickets } from '../support/tickets.js';


describe('A page read with its guard', () => {
  let fx: Fixtures;
  let alice: Browser;
  beforeEach(async () => {
    fx = await loadFixtures();
    alice = await signIn('alice');
    await writeTickets(fx, [{ number: 1001, title: 'Printer on fire', assignee: 'alice' }]);
  });

  it('sends the begin, the technician, the list, its filter choices and the commit in one write', async () => {
    const { writes } = await socketWrites(async () => expect((await alice.get('/tickets?view=all')).text).to.contain('Printer on fire'));
    const ofUnit = writes.filter((w) => /begin;|commit/.test(w));
    expect(ofUnit).to.have.length(1);
    expect(ofUnit[0]).to.contain('begin;').and.contain('commit');
    // Between them, three prepared statements (sql.ts names them s_…): the technician, the list, the filter choices.
    expect(new Set(ofUnit[0].match(/s_[0-9a-f]{24}/g))).to.have.property('size', 3);
  });

  it('shows nothing it read to a technician the guard turns away', async () => {
    await sql('update technicians set active = false where id = $1', [fx.technicians.alice.id]);
    for (const path of ['/tickets?view=all', '/tickets/1001', '/']) {
      const res = await alice.get(path);
      expect(res.status, path).to.equal(303);
      expect(res.headers.location, path).to.match(/^\/login/);
      expect(res.text, path).not.to.contain('Printer on fire');
    }
  });

  it('sends the enrolment page, not the list, to a technician who must enrol a second factor', async () => {
    await alice.get('/admin/security');
    expect((await alice.post('/admin/security', { require_second_factor: 'on' })).status).to.equal(303);
    const res = await alice.get('/tickets?view=all');
    expect(res.status).to.equal(303);
    expect(res.headers.location).to.equal('/profile/two-factor');
    expect(res.text).not.to.contain('Printer on fire');
  });

  it('answers a ticket of no one, or a bad number, as before: a 404', async () => {
    expect((await alice.get('/tickets/9999')).status).to.equal(404);
    expect((await alice.get('/tickets/abc')).status).to.equal(404);
  });
});
