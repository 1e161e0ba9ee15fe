import { expect } from 'chai';
import { loadFixtures, signIn, speakItalian, sql, type Browser, type Fixtures } from '../support/index.js';

describe('Tickets for technicians, in Italian', () => {
  let fx: Fixtures;
  let alice: Browser;
  beforeEach(async () => {
    fx = await loadFixtures();
    alice = await signIn('alice');
  });

  async function openAs(browser: Browser, form: Record<string, unknown>) {
    await browser.get('/tickets/new');
    return browser.post('/tickets', { priority: 'medium', type: 'question', ...form });
  }

  it('an Italian workspace lists its tickets in Italian: headers, filters, statuses and priorities', async () => {
    await openAs(alice, { contact: fx.contacts.mario.id, title: 'La stampante non stampa', priority: 'critical', assignee: fx.technicians.bob.id });
    await speakItalian('acme');
    const list = await alice.get('/tickets?view=all');
    expect(list.status).to.equal(200);
    expect(list.text).to.contain('<h1>Ticket</h1>').and.contain('Nuovo ticket').and.contain('placeholder="Numero, parole, richiedente o cliente"');
    expect(list.text).to.contain('<th>Titolo</th><th>Cliente</th><th>Richiedente</th>').and.contain('>Stato</a></th>').and.contain('>Priorità</a></th>').and.contain('<th>Assegnatario</th>').and.contain('>Aggiornato</a>');
    for (const status of ['Aperto', 'In attesa', 'Risolto', 'Chiuso']) expect(list.text).to.contain(`>${status}</option>`);
    for (const priority of ['Bassa', 'Media', 'Alta', 'Critica']) expect(list.text).to.contain(`>${priority}</option>`);
    expect(list.text).to.contain('<option value="none">Non assegnato</option>').and.contain('>Chiunque</option>').and.contain('I miei').and.contain('Filtra');
    expect(list.text).to.contain('<span class="badge open">aperto</span>').and.contain('<span class="badge critical">critica</span>');
    expect(list.text).to.contain('1 ticket').and.not.contain('1 tickets');
    const none = await alice.get('/tickets?status=closed');
    expect(none.text).to.contain('0 ticket').and.contain('Nessun ticket corrisponde a questi filtri.');
  });

  it('an Italian ticket page: properties, history, the reply section with Invia Risposta, and an empty reply refused in Italian', async () => {
    await speakItalian('acme');
    const opened = await openAs(alice, { contact: fx.contacts.mario.id, title: 'Rete lenta' });
    expect(opened.status).to.equal(303);
    await alice.get('/tickets/1001');
    expect((await alice.hx('post', '/tickets/1001/status', { status: 'pending' })).status).to.equal(200);
    const page = await alice.get('/tickets/1001');
    expect(page.text).to.contain('<button class="primary" type="submit">Invia Risposta</button>').and.not.contain('Send Reply');
    expect(page.text).to.contain('<label for="f-body">Risposta</label>').and.contain('Risposta pubblica (inviata via email a mario@rossi.test)').and.contain('Nota interna (solo per i tecnici)');
    expect(page.text).to.contain('<h2>Cronologia</h2>').and.contain('ha aperto il ticket').and.contain('ha cambiato lo stato da <em>aperto</em> a <em>in attesa</em>');
    expect(page.text).to.contain('<option value="pending" selected>In attesa</option>').and.contain('<option value="critical">Critica</option>').and.contain('<option value="incident">Incidente</option>');
    expect(page.text).to.match(/Cliente: <a href="\/customers\/\d+">Rossi Impianti<\/a>/).and.contain('aperto da un tecnico');

    const empty = await alice.post('/tickets/1001/replies', { body: '  ', kind: 'public' });
    expect(empty.status).to.equal(422);
    expect(empty.text).to.contain('Scrivi la risposta.').and.not.contain('The reply is required.');
    const refused = await alice.hx('post', '/tickets/1001/status', { status: 'exploded' });
    expect(refused.status).to.equal(422);
    expect(refused.text).to.contain('Scegli uno stato.');
    const badForm = await openAs(alice, { contact: '', title: '' });
    expect(badForm.text).to.contain('Titolo: campo obbligatorio.').and.contain('Scegli per chi è il ticket.').and.contain('Apri ticket');
    expect(await sql('select id from ticket_messages')).to.have.length(0);
  });

  it("an Italian IT department's ticket screens use its own words (Sito, Cerca un utente)", async () => {
    await speakItalian('globex');
    const gina = await signIn('gina');
    const form = await gina.get('/tickets/new');
    expect(form.text).to.contain('Cerca un utente').and.contain('<label for="f-contact">Utente</label>');
    await openAs(gina, { contact: fx.contacts.homer.id, title: 'Il VPN non si connette' });
    const list = await gina.get('/tickets?view=all');
    expect(list.text).to.contain('<th>Sito</th>').and.contain('<label for="f-customer">Sito</label>');
    const page = await gina.get('/tickets/1001');
    expect(page.text).to.match(/Sito: <a href="\/customers\/\d+">Springfield<\/a>/).and.match(/Richiedente: <a href="\/contacts\/\d+">Homer Simpson<\/a>/).and.contain('Invia Risposta');
  });

  it('an English workspace keeps its English words', async () => {
    await speakItalian('globex');
    await openAs(alice, { contact: fx.contacts.mario.id, title: 'Printer jam' });
    const list = await alice.get('/tickets?view=all');
    expect(list.text).to.contain('<h1>Tickets</h1>').and.contain('>Pending</option>').and.contain('<span class="badge open">open</span>').and.contain('1 ticket<');
    const page = await alice.get('/tickets/1001');
    expect(page.text).to.contain('Send Reply').and.contain('opened the ticket').and.contain('via technician').and.not.contain('Invia Risposta');
    const empty = await alice.post('/tickets/1001/replies', { body: '', kind: 'note' });
    expect(empty.text).to.contain('The note is required.');
  });
});
