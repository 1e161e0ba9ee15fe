// The product's shell in Italian and English: the technician app's frame and dashboard,
// signing in, the profile's own language, signup on the root host and its language
// switch, the error pages. An Italian workspace speaks Italian; a technician may read English in it.
import { expect } from 'chai';
import { browserFor, loadFixtures, people, signIn, speakItalian, sql } from '../support/index.js';

const ITALIAN_BROWSER = { 'Accept-Language': 'it-IT,it;q=0.9,en;q=0.5' };
const valid = { companyName: 'Rossi Impianti', slug: 'rossi', edition: 'msp', plan: 'pro', adminName: 'Maria Rossi', adminEmail: 'maria@rossi.test', password: 'a long enough passphrase' };

describe('The shell in Italian', () => {
  it('signs a technician of an Italian workspace in, in Italian, and shows the app and dashboard in Italian', async () => {
    await loadFixtures();
    await speakItalian('acme');
    const login = await browserFor('acme').get('/login');
    expect(login.text).to.contain('<html lang="it">').and.contain('Accedi a Acme Services').and.contain('>Accedi</button>');
    // The sign-in page carries the language switch, each link in its own language.
    expect(login.text).to.match(/<nav class="language-switch" aria-label="Lingua">/)
      .and.contain('href="?lang=en" lang="en" hreflang="en"').and.contain('>English</a>');

    const alice = await signIn('alice');
    const page = (await alice.get('/')).text;
    expect(page).to.contain('<html lang="it">');
    expect(page).to.contain('>Ticket</a>').and.contain('>Clienti</a>').and.contain('>Contatti</a>').and.contain('>Esci</button>');
    expect(page).to.contain('I miei ticket aperti').and.contain('Nuovo ticket').and.contain('Spazio di lavoro')
      .and.contain('<strong>0</strong> aperti').and.contain('<strong>0</strong> non assegnati')
      .and.contain('Portale Clienti su acme.localhost:3000/portal')
      .and.contain('Fornitore di servizi gestiti (MSP) — Clienti, Contatti, Portale Clienti')
      .and.contain('prova, mancano 30 giorni');
    expect(page).not.to.contain('Sign out').and.not.contain('My open tickets');
  });

  it('speaks the Internal IT edition words in Italian', async () => {
    await loadFixtures();
    await speakItalian('globex');
    const gina = await signIn('gina');
    const page = (await gina.get('/')).text;
    expect(page).to.contain('>Siti</a>').and.contain('>Utenti</a>').and.contain('Portale Servizi')
      .and.contain('Reparto IT interno — Siti, Utenti, Portale Servizi');
  });

  it('speaks English to a technician whose own language is English, in an Italian workspace', async () => {
    await loadFixtures();
    await speakItalian('acme');
    await sql("update technicians set language = 'en' where email = $1", [people.bob.email]);
    const bob = await signIn('bob');
    const page = (await bob.get('/')).text;
    expect(page).to.contain('<html lang="en">').and.contain('My open tickets').and.contain('>Sign out</button>').and.contain('>Customers</a>');
    // Alice, with no language of her own, reads the workspace's.
    const alice = await signIn('alice');
    expect((await alice.get('/')).text).to.contain('I miei ticket aperti');
  });

  it('keeps English workspaces in English', async () => {
    await loadFixtures();
    const alice = await signIn('alice');
    const page = (await alice.get('/')).text;
    expect(page).to.contain('<html lang="en">').and.contain('My open tickets').and.contain('trial, 30 days left');
  });
});

describe('A technician\'s own language (Profile)', () => {
  it('is chosen on the profile, audited, and spoken at once; the workspace\'s is the default', async () => {
    const fx = await loadFixtures();
    await speakItalian('acme');
    const alice = await signIn('alice');
    const profile = await alice.get('/profile');
    expect(profile.text).to.contain('Lingua dello spazio di lavoro (Italiano)').and.contain('<option value="" selected>');

    const chosen = await alice.post('/profile/language', { language: 'en' });
    expect(chosen.status).to.equal(303);
    expect(chosen.headers.location).to.equal('/profile');
    const english = (await alice.get('/profile')).text;
    expect(english).to.contain('<html lang="en">').and.contain('Your language is saved.').and.contain('<option value="en" selected>')
      .and.contain('Workspace language (Italiano)');
    expect((await alice.get('/')).text).to.contain('My open tickets');
    const [row] = await sql<{ language: string | null }>('select language from technicians where id = $1', [fx.technicians.alice.id]);
    expect(row.language).to.equal('en');
    const events = await sql<{ actor_name: string; details: Record<string, unknown> }>(
      "select actor_name, details from audit_events where action = 'technician.language_changed' and subject_id = $1", [fx.technicians.alice.id]);
    expect(events).to.have.length(1);
    expect(events[0].actor_name).to.equal('Alice Admin');
    expect(events[0].details).to.deep.equal({ from: null, to: 'en' });
  });

  it('takes an unknown language as the workspace\'s, never an error page', async () => {
    const fx = await loadFixtures();
    await speakItalian('acme');
    await sql("update technicians set language = 'en' where id = $1", [fx.technicians.alice.id]);
    const alice = await signIn('alice');
    const forged = await alice.post('/profile/language', { language: 'xx' });
    expect(forged.status).to.equal(303);
    const [row] = await sql<{ language: string | null }>('select language from technicians where id = $1', [fx.technicians.alice.id]);
    expect(row.language).to.equal(null);
    expect((await alice.get('/profile')).text).to.contain('<html lang="it">').and.contain('Lingua salvata.');
  });
});

describe('Signup in Italian', () => {
  it('preselects Italiano for an Italian browser and creates an Italian workspace', async () => {
    const root = browserFor();
    const form = await root.get('/signup', ITALIAN_BROWSER);
    expect(form.text).to.contain('<html lang="it">').and.contain('Crea il tuo spazio di lavoro');
    expect(form.text).to.contain('name="language" value="it" checked').and.not.contain('name="language" value="en" checked');
    expect(form.text).to.contain('<option value="Europe/Rome" selected>');
    // The editions in the page's words.
    expect(form.text).to.contain('Fornitore di servizi gestiti (MSP)').and.contain('Clienti, Contatti, Portale Clienti')
      .and.contain('Reparto IT interno').and.contain('Siti, Utenti, Portale Servizi');

    const res = await root.post('/signup', { ...valid, language: 'it', timeZone: 'Europe/Rome' }, ITALIAN_BROWSER);
    expect(res.status).to.equal(303);
    const [tenant] = await sql<{ id: number; language: string; time_zone: string }>("select id, language, time_zone from tenants where slug = 'rossi'");
    expect(tenant).to.include({ language: 'it', time_zone: 'Europe/Rome' });
    const customers = await sql<{ name: string }>('select name from customers where tenant_id = $1', [tenant.id]);
    expect(customers.map((c) => c.name)).to.deep.equal(['Non assegnato']);

    const rossi = browserFor('rossi');
    await rossi.get(new URL(res.headers.location).pathname);
    const dashboard = (await rossi.get('/')).text;
    expect(dashboard).to.contain('<html lang="it">').and.contain('Ti diamo il benvenuto in Sportello! Il tuo spazio di lavoro è pronto.').and.contain('I miei ticket aperti');
  });

  it('preselects English for an English browser, and makes an English workspace in UTC when no language is sent', async () => {
    const root = browserFor();
    const form = await root.get('/signup', { 'Accept-Language': 'en-GB,en;q=0.9' });
    expect(form.text).to.contain('<html lang="en">').and.contain('name="language" value="en" checked').and.contain('Customers, Contacts, Customer Portal');
    expect((await root.post('/signup', valid)).status).to.equal(303);
    const [tenant] = await sql<{ language: string; time_zone: string }>("select language, time_zone from tenants where slug = 'rossi'");
    expect(tenant).to.include({ language: 'en', time_zone: 'UTC' });
  });

  it('says what is wrong in Italian, by each field, keeping the input', async () => {
    const root = browserFor();
    await root.get('/signup', ITALIAN_BROWSER);
    const res = await root.post('/signup', { ...valid, companyName: '', slug: 'www', password: 'short', adminEmail: 'maria-at-rossi', language: 'it' }, ITALIAN_BROWSER);
    expect(res.status).to.equal(422);
    expect(res.text).to.contain('Nome dell&#39;azienda: campo obbligatorio.')
      .and.contain('&#34;www&#34; è riservato: scegli un altro sottodominio.')
      .and.contain('Usa almeno 12 caratteri.')
      .and.contain('Inserisci un indirizzo email valido');
    expect(res.text).to.contain('value="maria-at-rossi"').and.contain('name="language" value="it" checked');
    expect(res.text).not.to.contain('is required');
  });
});

describe('The language switch', () => {
  it('is on the root host\'s pages, ignores an unknown language, and keeps a chosen one', async () => {
    const root = browserFor();
    const landing = await root.get('/', ITALIAN_BROWSER);
    expect(landing.text).to.contain('<html lang="it">').and.contain('L&#39;helpdesk con un portale più sicuro')
      .and.contain('<nav class="language-switch" aria-label="Lingua">')
      .and.contain('href="?lang=it" lang="it" hreflang="it" aria-current="true"');

    const unknown = await root.get('/find?lang=xx', ITALIAN_BROWSER);
    expect(unknown.status).to.equal(200);
    expect(unknown.text).to.contain('<html lang="it">').and.contain('Trova il tuo spazio di lavoro');
    expect(String(unknown.headers['set-cookie'] ?? '')).not.to.contain('lang=');

    const english = await root.get('/find?lang=en', ITALIAN_BROWSER);
    expect(english.text).to.contain('<html lang="en">').and.contain('Find your workspace');
    // The choice stays for the next pages, whatever the browser says.
    expect((await root.get('/signup', ITALIAN_BROWSER)).text).to.contain('<html lang="en">').and.contain('name="language" value="en" checked');
  });

  it('switches the sign-in page of an Italian workspace to English, keeping where to go next', async () => {
    await loadFixtures();
    await speakItalian('acme');
    const browser = browserFor('acme');
    const login = await browser.get('/login?next=%2Ftickets');
    expect(login.text).to.contain('href="?next=%2Ftickets&amp;lang=en"');
    expect((await browser.get('/login?next=%2Ftickets&lang=xx')).text).to.contain('Accedi a Acme Services');
    expect((await browser.get('/login?next=%2Ftickets&lang=en')).text).to.contain('<html lang="en">').and.contain('Sign in to Acme Services');
  });
});

describe('Errors and refusals in Italian', () => {
  it('answers a wrong password, a missing page and an unknown workspace in Italian', async () => {
    await loadFixtures();
    await speakItalian('acme');
    const browser = browserFor('acme');
    await browser.get('/login');
    const wrong = await browser.post('/login', { email: people.alice.email, password: 'not the password' });
    expect(wrong.status).to.equal(401);
    expect(wrong.text).to.contain('L&#39;email e la password non corrispondono a nessun account di questo spazio di lavoro.');

    const alice = await signIn('alice');
    const missing = await alice.get('/tickets/99999');
    expect(missing.status).to.equal(404);
    expect(missing.text).to.contain('Pagina non trovata');

    const nowhere = await browserFor('nosuch').get('/login', ITALIAN_BROWSER);
    expect(nowhere.status).to.equal(404);
    expect(nowhere.text).to.contain('<html lang="it">').and.contain('Non esiste uno spazio di lavoro Sportello chiamato “nosuch”.');
  });

  it('refuses a form without its token in Italian', async () => {
    await loadFixtures();
    await speakItalian('acme');
    const alice = await signIn('alice');
    alice.csrfToken = 'forged';
    const res = await alice.post('/profile/language', { language: 'en' });
    expect(res.status).to.equal(403);
    expect(res.text).to.contain('Questo modulo è scaduto.');
  });
});
