// Admin > Email Settings, the support addresses, Incoming Mail and the Mail Log in an
// Italian workspace: the source article's own words (Impostazioni Email, Aggiorna,
// Indirizzi di Supporto, "Creazione automatica di un nuovo contatto su email in arrivo"),
// the Internal IT edition's ("…di un nuovo utente…"), and English left as it was.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { ingestMessage } from '../../src/inbound/ingest.js';
import { loadFixtures, signIn, speakItalian, sql, type Fixtures } from '../support/index.js';

const corpus = (name: string) => Buffer.from(readFileSync(path.resolve('test/fixtures/mail', name), 'utf8').replaceAll('support@acme.test', 'help@acme.test'));

describe('Admin > Email Settings and Incoming Mail in Italian', () => {
  let f: Fixtures;

  beforeEach(async () => { f = await loadFixtures(); });

  it("shows an MSP workspace's Email Settings in the article's words, and Aggiorna saves them", async () => {
    await speakItalian('acme');
    const alice = await signIn('alice');
    const page = await alice.get('/admin/email-settings');
    expect(page.status).to.equal(200);
    expect(page.text).to.contain('<h1>Impostazioni Email</h1>').and.contain('<title>Impostazioni Email')
      .and.contain('Impostazioni Email del Contatto')
      .and.contain('Creazione automatica di un nuovo contatto su email in arrivo')
      .and.contain('Alla ricezione di un&#39;email da un indirizzo precedentemente non registrato, verrà generato automaticamente un nuovo contatto')
      .and.contain('Invia un&#39;email a un contatto appena aggiunto')
      .and.contain('Dopo la creazione automatica o manuale del contatto, viene inviata un&#39;email al contatto in base al modello di email selezionato.')
      .and.contain('frammenti per le credenziali del portale')
      .and.contain('>Aggiorna<').and.contain('Indirizzi di Supporto').and.contain('Ancora nessun indirizzo di supporto.')
      .and.not.contain('Auto-create').and.not.contain('Support addresses');
    // Each box is named by its label's `for`, so a browser finds it by the Italian words.
    expect(page.text).to.contain('<label class="choice" for="f-autoCreateContacts"><input type="checkbox" id="f-autoCreateContacts" name="autoCreateContacts"')
      .and.contain('<label class="choice" for="f-sendWelcomeEmail"><input type="checkbox" id="f-sendWelcomeEmail" name="sendWelcomeEmail"');

    const [welcome] = await sql<{ id: number }>("select id from email_templates where tenant_id = $1 and name like 'New % welcome'", [f.acme.id]);
    const saved = await alice.post('/admin/email-settings', { autoCreateContacts: 'on', sendWelcomeEmail: 'on', welcomeTemplate: String(welcome.id) });
    expect(saved.status).to.equal(303);
    expect(await sql('select auto_create_contacts as a, send_welcome_email as s from email_settings where tenant_id = $1', [f.acme.id])).to.deep.equal([{ a: true, s: true }]);
    const after = await alice.get('/admin/email-settings');
    expect(after.text).to.contain('Impostazioni Email aggiornate.').and.match(/name="autoCreateContacts" checked/);
  });

  it("speaks the Internal IT edition's words: dell'Utente, un nuovo utente, al sito Non assegnato", async () => {
    await speakItalian('globex');
    const gina = await signIn('gina');
    const page = await gina.get('/admin/email-settings');
    expect(page.text).to.contain('Impostazioni Email dell&#39;Utente')
      .and.contain('Creazione automatica di un nuovo utente su email in arrivo')
      .and.contain('verrà generato automaticamente un nuovo utente, assegnato al sito Non assegnato')
      .and.contain('Invia un&#39;email a un utente appena aggiunto')
      .and.contain('Dopo la creazione automatica o manuale dell&#39;utente, viene inviata un&#39;email all&#39;utente')
      .and.contain('Non si applica agli utenti importati tramite CSV o Azure AD')
      .and.contain('Riapri un ticket chiuso quando l&#39;utente risponde via email')
      .and.not.contain('contatto');
    // acme stays English.
    const alice = await signIn('alice');
    expect((await alice.get('/admin/email-settings')).text).to.contain('Contact email settings').and.contain('Auto-create a new contact on incoming email')
      .and.contain('>Update<').and.contain('Support addresses').and.not.contain('Impostazioni');
  });

  it('refuses a support address in Italian, keeping what was typed, and explains a failed connection test in Italian', async () => {
    await speakItalian('acme');
    const alice = await signIn('alice');
    const blank = await alice.get('/admin/mailboxes/new');
    expect(blank.text).to.contain('<h1>Aggiungi un indirizzo di supporto</h1>').and.contain('<label for="f-host">Host IMAP</label>')
      .and.contain('Verifica connessione').and.contain('← Impostazioni Email');
    const form = { address: 'help@acme.test', host: '127.0.0.1', port: '99999', tls: 'none', username: '', password: '', folder: 'INBOX', pollMinutes: '0', enabled: 'on' };
    const bad = await alice.post('/admin/mailboxes', form);
    expect(bad.status).to.equal(422);
    expect(bad.text).to.contain('Inserisci una porta da 1 a 65535').and.contain('Scegli un intervallo da 1 a 1440 minuti.')
      .and.contain('value="help@acme.test"').and.not.contain('Enter a port');

    // Port 1 on this machine refuses: the step that failed, and why, in Italian.
    const test = await alice.hx('post', '/admin/mailboxes/connection-test', { ...form, port: '1', username: 'help', password: 'secret' });
    expect(test.text).to.contain('Non riuscito:</strong> Connessione a 127.0.0.1:1').and.contain('Non tentato:</strong> Accesso')
      .and.contain('Connessione rifiutata: controlla la porta').and.contain('La connessione non funziona ancora: Connessione rifiutata')
      .and.not.contain('Connection refused');
    const missing = await alice.hx('post', '/admin/mailboxes/connection-test', { ...form, port: '993', username: 'help' });
    expect(missing.text).to.contain('Correggi questi campi per verificare la connessione:').and.contain('Inserisci la password con cui fare la verifica.');
  });

  it('lists Incoming Mail in Italian, and an admitted message says so in Italian', async () => {
    const [box] = await sql<{ id: number }>(`insert into mailboxes (tenant_id, address, host, port, tls, username, password_sealed, password_key_version, enabled)
      values ($1, 'help@acme.test', 'imap.example.com', 993, 'tls', 'help', 'x', 1, false) returning id`, [f.acme.id]);
    const mailbox = { id: box.id, address: 'help@acme.test' };
    const ingest = (file: string) => ingestMessage({ tenantId: f.acme.id, mailbox, raw: corpus(file) });
    expect((await ingest('known-contact.eml')).outcome).to.equal('ticket_created');
    expect((await ingest('loop-own-address.eml')).outcome).to.equal('ignored_loop');
    expect((await ingest('new-sender.eml')).outcome).to.equal('rejected_unknown_sender');
    await speakItalian('acme');
    const alice = await signIn('alice');
    const page = await alice.get('/admin/incoming-mail');
    expect(page.text).to.contain('<h1>Posta in Arrivo</h1>').and.contain('Ticket creato').and.contain('Ignorato: ciclo di posta')
      .and.contain('Rifiutato: mittente sconosciuto').and.contain('i nuovi contatti non vengono creati dalle email (Impostazioni Email)')
      .and.contain('Un&#39;email da un contatto conosciuto.').and.contain('3 messaggi').and.contain('Crea contatto e ticket')
      .and.contain('>Archivia<').and.contain('>Scarica<').and.not.contain('Ticket created');

    const [rejected] = await sql<{ id: number }>("select id from inbound_messages where outcome = 'rejected_unknown_sender'");
    await alice.post(`/admin/incoming-mail/${rejected.id}/admission`);
    const after = await alice.get('/admin/incoming-mail');
    expect(after.text).to.contain('Il contatto e il ticket sono stati creati.').and.contain('Un amministratore ha creato il contatto e il ticket.');
  });

  it('shows the Mail Log in Italian: statuses, attempts, the kind of email', async () => {
    const [email] = await sql<{ id: number }>(`insert into outbound_emails (tenant_id, to_address, subject, text_body, kind, status, attempts, last_error, next_attempt_at)
      values ($1, 'mario@rossi.test', 'Benvenuto', 'Ciao', 'contact_welcome', 'queued', 2, '451 try later', now() + interval '5 minutes') returning id`, [f.acme.id]);
    await speakItalian('acme');
    const alice = await signIn('alice');
    const log = await alice.get('/admin/mail-log');
    expect(log.text).to.contain('<h1>Registro Email</h1>').and.contain('>Tutte</a>').and.contain('>in coda</span>').and.contain('>inviata</a>')
      .and.contain('<th>Ultimo errore</th>').and.contain('451 try later');
    const shown = await alice.get(`/admin/mail-log/${email.id}`);
    expect(shown.text).to.contain('← Registro Email').and.contain('dopo 2 tentativi').and.contain('Prossimo tentativo')
      .and.contain('Europe/Rome').and.contain('Benvenuto a un nuovo contatto').and.contain('questa copia le mostra come ••••••••');
  });
});
