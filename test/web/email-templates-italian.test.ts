// Email templates, quick replies and snippets in an Italian workspace: the picker and the
// errors in Italian, the Italian snippet names accepted, and a new Italian workspace's
// templates and quick reply written in Italian (the source article's example).
import { expect } from 'chai';
import { signUp } from '../../src/domain/tenant/signup.js';
import { unknownSnippets } from '../../src/domain/email/snippets.js';
import { drainJobs, h, loadFixtures, signIn, speakItalian, sql } from '../support/index.js';

const ARTICLE_QUICK_REPLY = 'Ciao,\nTrova di seguito le tue credenziali del Portale:\nURL : {[Indirizzo del Portale]}\nNome Utente : {[Nome Utente del Portale]}\nPassword : {[Password del Portale]}';

describe('Admin > Email Templates, in Italian', () => {
  beforeEach(async () => {
    await loadFixtures();
  });

  it('offers the snippets in Italian and saves a template written with Italian names', async () => {
    await speakItalian('acme');
    const alice = await signIn('alice');
    const list = await alice.get('/admin/email-templates');
    expect(list.text).to.contain('Modelli Email').and.contain('Nuovo modello').and.contain('Usato da');
    const form = await alice.get('/admin/email-templates/new');
    expect(form.text).to.contain('Inserisci un frammento nel punto del cursore')
      .and.contain('data-snippet="{[Indirizzo del Portale]}"').and.contain('data-snippet="{[Nome del Contatto]}"').and.contain('data-snippet="{[Nome del Cliente]}"')
      .and.contain('{[Link per la Password del Portale]}</strong> è la scelta più sicura')
      .and.not.contain('data-snippet="{[Portal Address]}"').and.not.contain('safer choice');
    const res = await alice.post('/admin/email-templates', {
      name: 'Credenziali', subject: 'Ciao {[Nome del Contatto]}', body: 'URL : {[Indirizzo del Portale]}\nNome Utente : {[Nome Utente del Portale]}\nPassword : {[Link per la Password del Portale]}\n{[Company Name]}',
    });
    expect(res.status).to.equal(303);
    expect((await alice.get('/admin/email-templates')).text).to.contain('Modello &#34;Credenziali&#34; salvato.');
    const [row] = await sql<{ body: string }>("select body from email_templates where name = 'Credenziali'");
    expect(row.body).to.contain('{[Nome Utente del Portale]}');
  });

  it('refuses an unknown snippet in Italian, listing the Italian names, and keeps credentials out of the subject', async () => {
    await speakItalian('acme');
    const alice = await signIn('alice');
    await alice.get('/admin/email-templates/new');
    const res = await alice.post('/admin/email-templates', { name: 'Rotto', subject: '', body: 'Ciao {[Colore Preferito]} e {[Nome Utente]}' });
    expect(res.status).to.equal(422);
    expect(res.text).to.contain('Oggetto: campo obbligatorio.')
      .and.contain('Frammenti sconosciuti: {[Colore Preferito]}, {[Nome Utente]}. Frammenti disponibili: {[Indirizzo del Portale]}, {[Nome Utente del Portale]}, {[Password del Portale]}, {[Link per la Password del Portale]}, {[Nome del Contatto]}')
      .and.not.contain('{[Portal Password Link]},');
    expect(res.text).to.contain('value="Rotto"');
    const inSubject = await alice.post('/admin/email-templates', { name: 'Segreto', subject: 'La tua password {[Password del Portale]}', body: 'x' });
    expect(inSubject.status).to.equal(422);
    expect(inSubject.text).to.contain('possono stare solo nel testo');
    const taken = await alice.post('/admin/email-templates', { name: 'password RESET', subject: 'x', body: 'x' });
    expect(taken.text).to.contain('Esiste già un modello chiamato &#34;password RESET&#34;.');
  });

  it('speaks the IT edition\'s Italian words to an IT department', async () => {
    await speakItalian('globex');
    const gina = await signIn('gina');
    const form = await gina.get('/admin/email-templates/new');
    expect(form.text).to.contain('data-snippet="{[Nome dell&#39;Utente]}"').and.contain('data-snippet="{[Nome del Sito]}"').and.contain('Un utente di esempio');
    const res = await gina.post('/admin/email-templates', { name: 'Ciao', subject: "Ciao {[Nome dell'Utente]}", body: "{[Nome Completo dell’Utente]} del {[Nome del Sito]}: {[User Email]}" });
    expect(res.status).to.equal(303);
  });

  it('previews in Italian, the ticket\'s status in the workspace\'s words', async () => {
    await speakItalian('acme');
    const alice = await signIn('alice');
    const [mario] = await sql<{ id: number }>("select id from contacts where email = 'mario@rossi.test'");
    await alice.get('/tickets/new');
    expect((await alice.post('/tickets', { contact: mario.id, title: 'Stampante', priority: 'high', type: 'incident' })).status).to.equal(303);
    await alice.get('/admin/email-templates/new');
    const res = await alice.hx('post', '/admin/email-templates/preview', { subject: 'x', body: '{[Stato del Ticket]}/{[Priorità del Ticket]} {[Password del Portale]}', previewTicket: '1001' });
    expect(res.text).to.contain('Per mario@rossi.test, ticket #1001.').and.contain('Aperto/Alta ••••••••').and.contain('Oggetto:');
  });

  it('keeps English for an English workspace', async () => {
    const alice = await signIn('alice');
    const form = await alice.get('/admin/email-templates/new');
    expect(form.text).to.contain('Insert a snippet at the cursor:').and.contain('data-snippet="{[Portal Address]}"').and.not.contain('Indirizzo del Portale');
  });
});

describe('Admin > Quick Replies, in Italian', () => {
  beforeEach(async () => {
    await loadFixtures();
  });

  it('lists and saves quick replies in Italian, refusing an unknown snippet in Italian', async () => {
    await speakItalian('acme');
    const alice = await signIn('alice');
    const list = await alice.get('/admin/quick-replies');
    expect(list.text).to.contain('Modelli di Risposta Rapida').and.contain('Nuova risposta rapida');
    await alice.get('/admin/quick-replies/new');
    const bad = await alice.post('/admin/quick-replies', { name: 'Male', body: 'Ciao {[Boh]}' });
    expect(bad.status).to.equal(422);
    expect(bad.text).to.contain('Frammento sconosciuto: {[Boh]}');
    const ok = await alice.post('/admin/quick-replies', { name: 'Grazie', body: 'Grazie {[Nome del Contatto]}!' });
    expect(ok.status).to.equal(303);
    expect((await alice.get('/admin/quick-replies')).text).to.contain('Risposta rapida &#34;Grazie&#34; salvata.');
  });
});

describe('A new workspace\'s templates and quick reply', () => {
  const signup = (slug: string, edition: 'msp' | 'it', language?: string) => signUp({
    companyName: 'Rossi Impianti', slug, edition, plan: 'pro', adminName: 'Maria Rossi', adminEmail: `maria@${slug}.test`, password: 'a long enough passphrase', language,
  });
  const of = (slug: string) => sql<{ name: string; subject: string; body: string }>('select t.name, t.subject, t.body from email_templates t join tenants n on n.id = t.tenant_id where n.slug = $1 order by t.name', [slug]);
  const quickOf = (slug: string) => sql<{ name: string; body: string }>('select q.name, q.body from quick_replies q join tenants n on n.id = q.tenant_id where n.slug = $1', [slug]);

  it('are Italian for an Italian MSP: the credentials quick reply is the source article\'s example, the templates send the link', async () => {
    await signup('rossi', 'msp', 'it');
    expect(await quickOf('rossi')).to.deep.equal([{ name: 'Credenziali del Portale', body: ARTICLE_QUICK_REPLY }]);
    const templates = await of('rossi');
    expect(templates.map((t) => t.name)).to.deep.equal(['Benvenuto al nuovo contatto', 'Credenziali del Portale', 'Menzione in una nota (ai tecnici)', 'Nuovo ticket (ai tecnici)', 'Reimpostazione della password',
      'Risposta al richiedente', 'Risposta del richiedente (ai tecnici)', 'Risposta del tecnico', 'Ticket assegnato (ai tecnici)', 'Ticket ricevuto', 'Ticket risolto']);
    const credentials = templates.find((t) => t.name === 'Credenziali del Portale')!;
    expect(credentials.body).to.equal('Ciao,\nTrova di seguito le tue credenziali del Portale:\nURL : {[Indirizzo del Portale]}\nNome Utente : {[Nome Utente del Portale]}\n'
      + "Password : sceglila con questo link monouso: {[Link per la Password del Portale]}\n\n— {[Nome dell'Azienda]}\n");
    // The same safety choices as in English: no shipped template carries the password itself.
    for (const t of templates) expect(t.body + t.subject, t.name).not.to.contain('{[Password del Portale]}').and.not.to.contain('{[Portal');
    expect(templates.find((t) => t.name === 'Benvenuto al nuovo contatto')!.subject).to.equal("Benvenuto nel Portale Clienti di {[Nome dell'Azienda]}");
    const [settings] = await sql<{ welcome: string; reset: string }>(`select w.name as welcome, r.name as reset from email_settings s join tenants n on n.id = s.tenant_id
      join email_templates w on w.id = s.welcome_template_id join email_templates r on r.id = s.reset_template_id where n.slug = 'rossi'`);
    expect(settings).to.deep.equal({ welcome: 'Benvenuto al nuovo contatto', reset: 'Reimpostazione della password' });
  });

  it('are in the IT edition\'s Italian words for an Italian IT department, and every default saves as it is', async () => {
    await signup('initech', 'it', 'it');
    await signup('umbrella', 'msp', 'en');
    await signup('hooli', 'it', 'en');
    const templates = await of('initech');
    const welcome = templates.find((t) => t.name === 'Benvenuto al nuovo utente')!;
    expect(welcome.subject).to.equal("Benvenuto nel Portale Servizi di {[Nome dell'Azienda]}");
    expect(welcome.body).to.match(/^Ciao \{\[Nome dell'Utente\]\},\n\n/).and.contain('{[Link per la Password del Portale]}');
    expect((await quickOf('initech'))[0].body).to.equal(ARTICLE_QUICK_REPLY);
    for (const [slug, edition] of [['initech', 'it'], ['umbrella', 'msp'], ['hooli', 'it']] as const) {
      for (const t of [...await of(slug), ...await quickOf(slug)]) {
        expect(unknownSnippets(`${'subject' in t ? t.subject : ''} ${t.body}`, edition), `${slug}: ${t.name}`).to.deep.equal([]);
      }
    }
  });

  it('stay English for an English workspace, and an existing workspace keeps its own when it turns Italian', async () => {
    await loadFixtures();
    await speakItalian('acme');
    expect((await quickOf('acme'))[0]).to.deep.equal({ name: 'Portal credentials', body: 'Hello,\nFind your portal credentials below:\nURL : {[Portal Address]}\nUsername : {[Portal Username]}\nPassword : {[Portal Password]}' });
    expect((await of('acme')).map((t) => t.name)).to.deep.equal(['Mentioned in a note (to technicians)', 'New contact welcome', 'New ticket (to technicians)', 'Password reset', 'Portal credentials',
      'Reply to the requester', 'Requester replied (to technicians)', 'Technician reply', 'Ticket assigned (to technicians)', 'Ticket received', 'Ticket resolved']);
  });
});

describe('The quick-reply picker on a ticket, in Italian', () => {
  beforeEach(async () => {
    await loadFixtures();
  });

  it('fills {[Password del Portale]} as {[Link per la Password del Portale]} for a requester with a password, says so in Italian, and asks before replacing it', async () => {
    await speakItalian('acme');
    const [acme] = await sql<{ id: number }>("select id from tenants where slug = 'acme'");
    await sql("insert into quick_replies (tenant_id, name, body, created_at, updated_at) values ($1, 'Credenziali', 'Password : {[Password del Portale]}', now(), now())", [acme.id]);
    const [quick] = await sql<{ id: number }>("select id from quick_replies where name = 'Credenziali'");
    const [mario] = await sql<{ id: number }>("select id from contacts where email = 'mario@rossi.test'");
    const bob = await signIn('bob');
    await bob.get('/tickets/new');
    await bob.post('/tickets', { contact: mario.id, title: 'Password dimenticata', priority: 'medium', type: 'question' });
    const page = await bob.get('/tickets/1001');
    const picker = page.text.match(/<form method="get" action="\/tickets\/1001\/quick-reply"[\s\S]*?<\/form>/)![0];
    expect(picker).to.contain('Risposta rapida').and.contain('Scegli una risposta rapida…')
      .and.contain('I frammenti come {[Nome Utente del Portale]} vengono compilati per mario@rossi.test')
      .and.contain('<strong>Mario Rossi ha già una password del portale:</strong> in una risposta rapida, {[Password del Portale]} viene inserito come {[Link per la Password del Portale]}');
    const filled = await bob.hx('get', `/tickets/1001/quick-reply?quickReply=${quick.id}`);
    expect(filled.text.match(/<textarea[^>]*>([\s\S]*?)<\/textarea>/)![1]).to.contain('Password : {[Link per la Password del Portale]}');
    const refused = await bob.post('/tickets/1001/replies', { body: 'Password : {[Password del Portale]}', kind: 'public' });
    expect(refused.status).to.equal(422);
    expect(refused.text).to.contain('Inviare {[Password del Portale]} genera una nuova password: sostituisce la password del portale di Mario Rossi.');
    expect((await bob.post('/tickets/1001/replies', { body: 'Password : {[Link per la Password del Portale]}', kind: 'public' })).status).to.equal(303);
    await drainJobs();
    expect(h().mail.last('mario@rossi.test').text).to.match(/^Password : http:\/\/acme\.localhost:3000\/portal\/reset\/\S+/);
  });
});
