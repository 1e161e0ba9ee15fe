// Admin > Technicians, Security and Plan, and the admin navigation, in Italian — and still in English.
import { expect } from 'chai';
import { loadFixtures, signIn, speakItalian, type Fixtures } from '../support/index.js';

describe('Admin in Italian', () => {
  let fx: Fixtures;
  beforeEach(async () => {
    fx = await loadFixtures();
  });

  it('names every admin screen in the navigation with the article’s words', async () => {
    await speakItalian('acme');
    const alice = await signIn('alice');
    const page = await alice.get('/admin/technicians');
    const nav = page.text.slice(page.text.indexOf('class="sidenav"'), page.text.indexOf('</aside>'));
    for (const words of ['Spazio di lavoro', 'Tecnici', 'Sicurezza', 'Piano', 'Impostazioni Email', 'Modelli Email', 'Modelli di Risposta Rapida', 'Posta in Arrivo', 'Registro Email']) {
      expect(nav).to.contain(`>${words}</a>`);
    }
  });

  it('Technicians: lists, invites and refuses in Italian, keeping the input', async () => {
    await speakItalian('acme');
    const alice = await signIn('alice');
    const list = await alice.get('/admin/technicians');
    expect(list.text).to.contain('<h1>Tecnici</h1>').and.contain('<th>Ruolo</th>').and.contain('<th>Stato</th>')
      .and.contain('Aggiungi un tecnico').and.contain('>Invita</button>').and.contain('<td>Amministratore</td>').and.contain('<td>Attivo</td>');

    const taken = await alice.post('/admin/technicians', { name: 'Roberto', email: 'bob@acme.test', role: 'technician' });
    expect(taken.status).to.equal(422);
    expect(taken.text).to.contain('Bob Tech usa già questo indirizzo email.').and.contain('value="Roberto"');
    const blank = await alice.post('/admin/technicians', { name: '', email: 'carla@acme.test', role: 'boss' });
    expect(blank.text).to.contain('Nome: campo obbligatorio.').and.contain('Scegli un ruolo.');

    await alice.post('/admin/technicians', { name: 'Carla Tecnica', email: 'carla@acme.test', role: 'technician' });
    const invited = await alice.get('/admin/technicians');
    expect(invited.text).to.contain('Hai invitato Carla Tecnica').and.contain('<td>Invitato</td>');
  });

  it('Technicians: one technician’s page and its changes speak Italian', async () => {
    await speakItalian('acme');
    const alice = await signIn('alice');
    const page = await alice.get(`/admin/technicians/${fx.technicians.bob.id}`);
    expect(page.text).to.contain('← Tecnici').and.contain('Ultimo accesso').and.contain('Mai').and.contain('Cambia ruolo')
      .and.contain('Accesso in due passaggi').and.contain('>Disattiva</button>');
    await alice.post(`/admin/technicians/${fx.technicians.bob.id}/role`, { role: 'admin' });
    expect((await alice.get(`/admin/technicians/${fx.technicians.bob.id}`)).text).to.contain('Bob Tech ora è un amministratore.');
    await alice.post(`/admin/technicians/${fx.technicians.bob.id}/role`, { role: 'technician' });

    const me = `/admin/technicians/${fx.technicians.alice.id}`;
    const last = await alice.post(`${me}/deactivation`);
    expect(last.status).to.equal(422);
    expect(last.text).to.contain('È l&#39;unico amministratore attivo').and.contain('<span class="badge">tu</span>');
  });

  it('Security: the policy and its message in Italian', async () => {
    await speakItalian('acme');
    const alice = await signIn('alice');
    const page = await alice.get('/admin/security');
    expect(page.text).to.contain('<h1>Sicurezza</h1>').and.contain('Richiedi l&#39;accesso in due passaggi a tutti i tecnici').and.contain('<td>Non attivo</td>');
    await alice.post('/admin/security', {});
    expect((await alice.get('/admin/security')).text).to.contain('L&#39;accesso in due passaggi ora è facoltativo.');
  });

  it('Plan: the plans, the trial and the edition’s words in Italian', async () => {
    await speakItalian('acme');
    const alice = await signIn('alice');
    const page = await alice.get('/admin/plan');
    expect(page.text).to.contain('Il tuo piano è <strong>Enterprise</strong>, in prova (mancano 30 giorni).')
      .and.contain('fino a 25 tecnici').and.contain('Gestisci Domini (assegna i nuovi contatti ai clienti in base al dominio email)')
      .and.contain('i domini di ciascun cliente restano salvati').and.contain('Ancora nessuna modifica.');
    const bad = await alice.post('/admin/plan', { plan: 'platinum' });
    expect(bad.text).to.contain('Scegli un piano.');
    const asked = await alice.post('/admin/plan', { plan: 'pro' });
    expect(asked.text).to.contain('Passare da Enterprise a Pro?').and.contain('Sì, passa a Pro').and.contain('Resta su Enterprise');
    await alice.post('/admin/plan', { plan: 'pro', confirm: 'yes' });
    const after = await alice.get('/admin/plan');
    expect(after.text).to.contain('Ora il tuo piano è Pro.').and.contain('Alice Admin: Enterprise → Pro');

    await speakItalian('globex');
    const gina = await signIn('gina');
    expect((await gina.get('/admin/plan')).text).to.contain('assegna i nuovi utenti ai siti in base al dominio email').and.contain('i domini di ciascun sito');
  });

  it('is still English in an English workspace, with each edition’s words', async () => {
    const alice = await signIn('alice');
    const list = await alice.get('/admin/technicians');
    expect(list.text).to.contain('<h1>Technicians</h1>').and.contain('Add a technician').and.contain('>Email Settings</a>').and.contain('>Quick Replies</a>')
      .and.not.contain('Tecnici');
    const plan = await alice.get('/admin/plan');
    expect(plan.text).to.contain('You are on <strong>Enterprise</strong>, in your trial (30 days left).')
      .and.contain('Manage Domains (assign new contacts to customers by email domain)')
      .and.contain('customer domains stay stored but stop assigning new contacts until you return to Enterprise');
    expect((await alice.get('/admin/security')).text).to.contain('Require two-factor sign-in for every technician');
    const gina = await signIn('gina');
    expect((await gina.get('/admin/plan')).text).to.contain('assign new users to sites by email domain').and.contain('site domains stay stored');
  });
});
