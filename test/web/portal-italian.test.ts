import { expect } from 'chai';
import { browserFor, loadFixtures, PASSWORD, signInToPortal, speakItalian, sql, type Browser } from '../support/index.js';

/** The `lang` cookie the switch sets, if this answer sets one. */
function langCookie(res: { headers: Record<string, unknown> }): string | undefined {
  const cookies = (res.headers['set-cookie'] as string[] | undefined) ?? [];
  return cookies.find((c) => /(^|\.)lang=/.test(c.split(';')[0]));
}

async function signInOn(browser: Browser, email: string) {
  const res = await browser.post('/portal/login', { email, password: PASSWORD });
  expect(res.status, res.text).to.equal(303);
  return res;
}

describe('The portal in Italian and English', () => {
  beforeEach(async () => {
    await loadFixtures();
  });

  it("greets an Italian MSP workspace's contacts on the Portale Clienti sign-in page, in Italian", async () => {
    await speakItalian('acme');
    const page = await browserFor('acme').get('/portal/login');
    expect(page.text).to.contain('<html lang="it">').and.contain('Acme Services · Portale Clienti')
      .and.contain('Accedi al Portale Clienti').and.contain('Password dimenticata?').and.contain('>Accedi</button>')
      .and.not.contain('Sign in');
  });

  it("calls an Italian IT department's portal the Portale Servizi", async () => {
    await speakItalian('globex');
    const page = await browserFor('globex').get('/portal/login');
    expect(page.text).to.contain('<html lang="it">').and.contain('Accedi al Portale Servizi');
  });

  it('offers a language switch on the sign-in page, each language in its own words', async () => {
    await speakItalian('acme');
    const page = await browserFor('acme').get('/portal/login?next=%2Fportal%2Ftickets%2F1001');
    expect(page.text).to.contain('<nav class="language-switch" aria-label="Lingua">')
      .and.contain('href="/portal/login?lang=it&amp;next=%2Fportal%2Ftickets%2F1001" hreflang="it" lang="it" aria-current="true">Italiano</a>')
      .and.contain('href="/portal/login?lang=en&amp;next=%2Fportal%2Ftickets%2F1001" hreflang="en" lang="en">English</a>');
  });

  it('switches the sign-in page to English, keeps it, and keeps it after signing in for a contact with no language of their own', async () => {
    await speakItalian('acme');
    const browser = browserFor('acme');
    const english = await browser.get('/portal/login?lang=en');
    expect(langCookie(english)).to.match(/lang=en/);
    expect(english.text).to.contain('<html lang="en">').and.contain('Sign in to the Customer Portal');
    const again = await browser.get('/portal/login');
    expect(again.text).to.contain('<html lang="en">').and.contain('Sign in to the Customer Portal');
    await signInOn(browser, 'mario@rossi.test');
    const tickets = await browser.get('/portal/tickets');
    expect(tickets.text).to.contain('<html lang="en">').and.contain('My tickets').and.not.contain('I miei ticket');

    const back = await browser.get('/portal/tickets?lang=it');
    expect(back.text).to.contain('<html lang="it">').and.contain('I miei ticket');
  });

  it('ignores a language Sportello does not speak (?lang=xx): no error, no cookie, the language stands', async () => {
    await speakItalian('acme');
    const browser = browserFor('acme');
    const forged = await browser.get('/portal/login?lang=xx');
    expect(forged.status).to.equal(200);
    expect(langCookie(forged)).to.equal(undefined);
    expect(forged.text).to.contain('<html lang="it">').and.contain('Accedi al Portale Clienti');
    await browser.get('/portal/login?lang=en');
    const still = await browser.get('/portal/login?lang=xx');
    expect(still.text).to.contain('<html lang="en">');
  });

  it("speaks English to a contact whose own language is English, in an Italian workspace, once they sign in", async () => {
    await speakItalian('acme');
    await sql("update contacts set language = 'en' where email = 'mario@rossi.test'");
    const browser = browserFor('acme');
    expect((await browser.get('/portal/login')).text).to.contain('Accedi al Portale Clienti');
    await signInOn(browser, 'mario@rossi.test');
    const account = await browser.get('/portal/account');
    expect(account.text).to.contain('<html lang="en">').and.contain('Customer Portal').and.contain('Change password').and.contain('Main contact');
    // Their own language is above the switch's cookie.
    const switched = await browser.get('/portal/account?lang=it');
    expect(switched.text).to.contain('<html lang="en">');
  });

  it('lets a contact choose their own language on the account page (a forged code is the default)', async () => {
    await speakItalian('acme');
    const mario = await signInToPortal('mario');
    const account = await mario.get('/portal/account');
    expect(account.text).to.contain('Lingua').and.contain('Lingua predefinita del Portale Clienti (Italiano)')
      .and.contain('<option value="" selected>').and.contain('<option value="en">English</option>')
      .and.contain('Contatto principale').and.contain('Cambia password');

    const chosen = await mario.post('/portal/account/language', { language: 'en' });
    expect(chosen.status).to.equal(303);
    expect(await sql("select language from contacts where email = 'mario@rossi.test'")).to.deep.equal([{ language: 'en' }]);
    const english = await mario.get('/portal/account');
    expect(english.text).to.contain('<html lang="en">').and.contain('Your language is saved.').and.contain('<option value="en" selected>English</option>');
    const [event] = await sql<{ details: unknown }>("select details from audit_events where action = 'contact.language_chosen'");
    expect(event.details).to.deep.equal({ language: 'en' });

    await mario.post('/portal/account/language', { language: 'xx' });
    expect(await sql("select language from contacts where email = 'mario@rossi.test'")).to.deep.equal([{ language: null }]);
    expect((await mario.get('/portal/account')).text).to.contain('<html lang="it">').and.contain('Lingua salvata.');
  });

  it('shows My tickets, a new ticket (its validation too) and the ticket page in Italian', async () => {
    await speakItalian('acme');
    const mario = await signInToPortal('mario');
    const empty = await mario.get('/portal/tickets');
    expect(empty.text).to.contain('<title>I miei ticket · Sportello</title>').and.contain('Nuovo ticket')
      .and.contain('>Tutti</a>').and.contain('>Aperti</a>').and.contain('>In attesa</a>').and.contain('Ancora nessun ticket.')
      .and.contain("Ticket dell&#39;azienda").and.contain('>Esci</button>');

    const form = await mario.get('/portal/tickets/new');
    expect(form.text).to.contain('<h1>Nuovo ticket</h1>').and.contain('Titolo').and.contain('Descrizione').and.contain('Apri ticket');
    const refused = await mario.post('/portal/tickets', { title: '', description: 'La stampante non stampa' });
    expect(refused.status).to.equal(422);
    expect(refused.text).to.contain('campo obbligatorio').and.contain('La stampante non stampa');

    const opened = await mario.post('/portal/tickets', { title: 'Stampante bloccata', description: 'La stampante non stampa' });
    expect(opened.status).to.equal(303);
    const page = await mario.get(opened.headers.location);
    expect(page.text).to.contain('Il ticket #1001 è stato aperto. Ti risponderemo qui e via email.').and.contain('← I miei ticket')
      .and.contain('Stato: <span class="badge open">aperto</span> · aperto da Mario Rossi')
      .and.contain('La tua risposta').and.contain('>Invia</button>');

    const list = await mario.get('/portal/tickets');
    expect(list.text).to.contain('Stampante bloccata').and.contain('<th>Titolo</th>').and.contain('<th>Stato</th>').and.contain('<th>Aggiornato</th>')
      .and.contain('<span class="badge open">aperto</span>');
    const company = await mario.get('/portal/company-tickets');
    expect(company.text).to.contain("<h1>Ticket dell&#39;azienda</h1>").and.contain('<th>Richiedente</th>');
    const filtered = await mario.get('/portal/tickets?status=closed');
    expect(filtered.text).to.contain('Ancora nessun ticket con questo stato.');
  });

  it('speaks the Service Portal words in Italian to an IT department user', async () => {
    await speakItalian('globex');
    const homer = await signInToPortal('homer');
    const account = await homer.get('/portal/account');
    expect(account.text).to.contain('Globex IT · Portale Servizi').and.contain('<dt>Sito</dt>').and.contain('Utente principale')
      .and.contain('Lingua predefinita del Portale Servizi (Italiano)');
  });

  it('asks for a forgotten password, and tells of an expired link, in Italian', async () => {
    await speakItalian('acme');
    const browser = browserFor('acme');
    const forgot = await browser.get('/portal/forgot-password');
    expect(forgot.text).to.contain('Hai dimenticato la password?').and.contain('Inserisci l&#39;indirizzo email che usi con il Portale Clienti')
      .and.contain('Inviami un link').and.contain('Torna all&#39;accesso');
    const blank = await browser.post('/portal/forgot-password', { email: '' });
    expect(blank.status).to.equal(422);
    expect(blank.text).to.contain('Inserisci il tuo indirizzo email.');
    const sent = await browser.post('/portal/forgot-password', { email: 'mario@rossi.test' });
    expect(sent.text).to.contain('Controlla la tua email').and.contain('Se <strong>mario@rossi.test</strong> appartiene a un account del Portale Clienti')
      .and.contain('chiedi aiuto a Acme Services');
    const expired = await browser.get('/portal/reset/not-a-live-token');
    expect(expired.status).to.equal(410);
    expect(expired.text).to.contain('Questo link non è più valido').and.contain('Inviami un nuovo link');
  });

  it('refuses a wrong current password in Italian', async () => {
    await speakItalian('acme');
    const mario = await signInToPortal('mario');
    const form = await mario.get('/portal/account/password');
    expect(form.text).to.contain('Cambia la tua password').and.contain('Password attuale').and.contain('Almeno 12 caratteri');
    const wrong = await mario.post('/portal/account/password', { current: 'not my password', password: 'mario new passphrase', confirmation: 'mario new passphrase' });
    expect(wrong.status).to.equal(422);
    expect(wrong.text).to.contain('La password attuale non è corretta.');
    const mismatch = await mario.post('/portal/account/password', { current: PASSWORD, password: 'mario new passphrase', confirmation: 'another passphrase' });
    expect(mismatch.text).to.contain('Le due password non coincidono.');
  });

  it('still speaks English in an English workspace', async () => {
    const browser = browserFor('acme');
    const page = await browser.get('/portal/login');
    expect(page.text).to.contain('<html lang="en">').and.contain('Sign in to the Customer Portal').and.contain('aria-label="Language"')
      .and.contain('aria-current="true">English</a>');
    await signInOn(browser, 'mario@rossi.test');
    const tickets = await browser.get('/portal/tickets');
    expect(tickets.text).to.contain('<html lang="en">').and.contain('My tickets').and.contain('No tickets yet.').and.contain('Company tickets')
      .and.contain('>Open</a>').and.contain('>Sign out</button>');
    const account = await browser.get('/portal/account');
    expect(account.text).to.contain("The Customer Portal&#39;s default (English)");
  });
});
