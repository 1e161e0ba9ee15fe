import { expect } from 'chai';
import { loadFixtures, signIn, speakItalian, type Browser, type Fixtures } from '../support/index.js';
import { numbersIn, writeTickets } from '../support/tickets.js';

describe('Finding tickets: the search box', () => {
  let fx: Fixtures;
  let alice: Browser;
  const find = async (q: string, browser = alice) => {
    const res = await browser.get(`/tickets?view=all&q=${encodeURIComponent(q)}`);
    expect(res.status, `searching ${q}`).to.equal(200);
    return numbersIn(res.text);
  };

  beforeEach(async () => {
    fx = await loadFixtures();
    alice = await signIn('alice');
    await writeTickets(fx, [
      { number: 1001, title: 'Printer jammed on the second floor', description: 'Paper stuck in tray 2.', contact: 'mario' },
      { number: 1002, title: 'VPN drops every hour', description: 'Since the router was replaced.', contact: 'peach', messages: ['It happened again, the tunnel collapsed at noon.'] },
      { number: 1003, title: 'New laptop for the accountant', contact: 'luigi', status: 'resolved' },
      { number: 5001, title: 'Globex secret printer', contact: 'homer', messages: ['Globex tunnel secret'] },
    ]);
  });

  it('goes straight to a ticket by its number, with or without #, with or without JavaScript', async () => {
    for (const q of ['1002', '#1002', ' # 1002 ']) {
      const res = await alice.get(`/tickets?q=${encodeURIComponent(q)}`);
      expect(res.status, q).to.equal(303);
      expect(res.headers.location).to.equal('/tickets/1002');
    }
    const typed = await alice.agent.get('/tickets?q=%231003').set('Host', alice.host).set('HX-Request', 'true').set('HX-Target', 'ticket-list');
    expect(typed.headers['hx-redirect']).to.equal('/tickets/1003');
    // A number this workspace has no ticket with is searched as text (another workspace's #5001 is not a way in).
    const other = await alice.get('/tickets?q=5001');
    expect(other.status).to.equal(200);
    expect(numbersIn(other.text)).to.deep.equal([]);
  });

  it('finds by the words of the title, the description and the messages, ranked', async () => {
    expect(await find('printer')).to.deep.equal([1001]);
    expect(await find('paper stuck')).to.deep.equal([1001]);
    expect(await find('router')).to.deep.equal([1002]);
    // Stemming: "collapsing" finds the message's "collapsed".
    expect(await find('tunnel collapsing')).to.deep.equal([1002]);
    expect(await find('accountant laptops')).to.deep.equal([1003]);
    // Ranked: a match in the title comes before a newer one found only in a message.
    await writeTickets(fx, [{ number: 1004, title: 'Toner order', contact: 'peach', messages: ['The printer needs toner too.'] }]);
    expect(await find('printer')).to.deep.equal([1001, 1004]);
    expect(await find('toner')).to.deep.equal([1004]);
  });

  it('finds a retitled ticket by its new words, not its old ones; a change of status keeps its words', async () => {
    await alice.get('/tickets/1001');
    expect((await alice.hx('post', '/tickets/1001/title', { title: 'Scanner broken on the second floor' })).status).to.equal(200);
    expect(await find('scanner')).to.deep.equal([1001]);
    expect(await find('printer jammed')).to.deep.equal([]);
    expect(await find('paper stuck'), 'the description still counts').to.deep.equal([1001]);
    expect((await alice.hx('post', '/tickets/1001/status', { status: 'pending' })).status).to.equal(200);
    expect(await find('scanner')).to.deep.equal([1001]);
  });

  it('finds by requester name and email, and by customer name — partial and a little misspelt too', async () => {
    expect(await find('Peach')).to.deep.equal([1002]);
    expect(await find('peach@bianchi.test')).to.deep.equal([1002]);
    expect(await find('luigi')).to.deep.equal([1003]);
    expect((await find('Rossi')).sort()).to.deep.equal([1001, 1003]);
    expect((await find('Rossi Impianti')).sort()).to.deep.equal([1001, 1003]);
    expect(await find('Bianchi Srl')).to.deep.equal([1002]);
    expect(await find('Bianchy')).to.deep.equal([1002]);
  });

  it('finds part of a word by trigrams', async () => {
    expect(await find('jamm')).to.deep.equal([1001]);
    expect(await find('ccountan')).to.deep.equal([1003]);
    expect(await find('ianch')).to.deep.equal([1002]);
  });

  it("searches in the workspace's language: an Italian workspace stems Italian, and accents are optional", async () => {
    await writeTickets(fx, [
      { number: 1010, title: 'La stampante non si accende', contact: 'mario' },
      { number: 1011, title: 'Perché la rete è lenta?', contact: 'mario' },
    ]);
    // English stems "accendere" as "accender": the Italian infinitive is not found in an English workspace.
    expect(await find('accendere')).to.deep.equal([]);
    await speakItalian('acme');
    expect(await find('accendere')).to.deep.equal([1010]);
    expect(await find('stampanti')).to.deep.equal([1010]);
    expect(await find('perche rete')).to.deep.equal([1011]);
  });

  it("never shows another workspace's tickets, whatever matches", async () => {
    for (const q of ['Globex', 'secret', 'tunnel', 'Homer', 'homer@springfield.test', 'Springfield', 'printer']) {
      expect(await find(q), q).not.to.include(5001);
    }
    const gina = await signIn('gina');
    expect(await find('tunnel', gina)).to.deep.equal([5001]);
    expect(await find('Peach', gina)).to.deep.equal([]);
  });

  it('narrows a view and its filters, and keeps the search in the URL', async () => {
    expect(await find('Rossi')).to.have.members([1001, 1003]);
    const open = await alice.get('/tickets?view=open&q=Rossi');
    expect(numbersIn(open.text)).to.deep.equal([1001]);
    expect(open.text).to.contain('value="Rossi"');
    const fragment = await alice.agent.get('/tickets?view=open&q=Rossi&status=').set('Host', alice.host).set('HX-Request', 'true').set('HX-Target', 'ticket-list');
    expect(fragment.headers['hx-push-url']).to.equal('/tickets?view=open&q=Rossi');
  });
});
