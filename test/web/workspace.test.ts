import { expect } from 'chai';
import { loadFixtures, signIn, speakItalian, sql } from '../support/index.js';

type TenantRow = { name: string; language: string; time_zone: string };
const acmeNow = async () => (await sql<TenantRow>("select name, language, time_zone from tenants where slug = 'acme'"))[0];

describe('Admin > Workspace', () => {
  beforeEach(async () => {
    await loadFixtures();
  });

  it('is first in the admin navigation and shows the name, language and time zone', async () => {
    const alice = await signIn('alice');
    const page = await alice.get('/admin/workspace');
    expect(page.status).to.equal(200);
    const nav = page.text.slice(page.text.indexOf('class="sidenav"'));
    expect(nav.indexOf('/admin/workspace')).to.be.greaterThan(0).and.lessThan(nav.indexOf('/admin/technicians'));
    expect(page.text).to.contain('value="Acme Services"').and.contain('<option value="it">Italiano</option>')
      .and.contain('<option value="en" selected>English</option>').and.contain('<option value="Europe/Rome">Europe/Rome</option>')
      .and.contain('keep their words');
  });

  it('changes the language to Italian: the next page, and its message, are Italian; audited', async () => {
    const alice = await signIn('alice');
    await alice.get('/admin/workspace');
    const res = await alice.post('/admin/workspace', { name: 'Acme Servizi', language: 'it', timeZone: 'Europe/Rome' });
    expect(res.status).to.equal(303);
    expect(res.headers.location).to.equal('/admin/workspace');
    expect(await acmeNow()).to.deep.equal({ name: 'Acme Servizi', language: 'it', time_zone: 'Europe/Rome' });

    const next = await alice.get('/admin/workspace');
    expect(next.text).to.contain('spazio di lavoro salvate').and.contain('Fuso orario').and.contain('Salva')
      .and.contain('Impostazioni Email').and.contain('Modelli Email').and.contain('Modelli di Risposta Rapida')
      .and.contain('I modelli email e le risposte rapide già scritti restano come sono')
      .and.contain('Acme Servizi');
    expect(next.text).not.to.contain('Workspace settings saved').and.not.contain('>Time zone<');
    expect((await alice.get('/admin/technicians')).text).to.contain('Aggiungi un tecnico');

    const [event] = await sql<{ actor_name: string; details: Record<string, unknown> }>("select actor_name, details from audit_events where action = 'tenant.workspace_changed'");
    expect(event.actor_name).to.equal('Alice Admin');
    expect(event.details).to.deep.equal({
      name: { from: 'Acme Services', to: 'Acme Servizi' }, language: { from: 'en', to: 'it' }, timeZone: { from: 'UTC', to: 'Europe/Rome' },
    });
    // Saving again with nothing changed records nothing.
    await alice.post('/admin/workspace', { name: 'Acme Servizi', language: 'it', timeZone: 'Europe/Rome' });
    expect(await sql("select id from audit_events where action = 'tenant.workspace_changed'")).to.have.length(1);
  });

  it('speaks to an admin with a language of their own in it, whatever the workspace speaks', async () => {
    await sql("update technicians set language = 'en' where email = 'alice@acme.test'");
    const alice = await signIn('alice');
    await alice.get('/admin/workspace');
    await alice.post('/admin/workspace', { name: 'Acme Services', language: 'it', timeZone: 'UTC' });
    const next = await alice.get('/admin/workspace');
    expect(next.text).to.contain('Workspace settings saved.').and.contain('Time zone');
    expect((await acmeNow()).language).to.equal('it');
  });

  it('shows dates in the time zone chosen', async () => {
    const alice = await signIn('alice');
    await alice.get('/admin/plan');
    await alice.post('/admin/plan', { plan: 'pro', confirm: 'yes' });
    await sql("update audit_events set created_at = '2026-01-15T12:00:00Z' where action = 'tenant.plan_changed'");
    expect((await alice.get('/admin/plan')).text).to.contain('15 Jan 2026, 12:00');

    await alice.get('/admin/workspace');
    expect((await alice.post('/admin/workspace', { name: 'Acme Services', language: 'en', timeZone: 'Asia/Tokyo' })).status).to.equal(303);
    expect((await acmeNow()).time_zone).to.equal('Asia/Tokyo');
    const plan = await alice.get('/admin/plan');
    expect(plan.text).to.contain('15 Jan 2026, 21:00').and.not.contain('15 Jan 2026, 12:00');
    const me = await alice.get(`/admin/technicians/${(await sql<{ id: number }>("select id from technicians where email = 'alice@acme.test'"))[0].id}`);
    expect(me.text).to.contain('Asia/Tokyo</time>');
  });

  it('takes a forged language as the default one, and refuses a forged time zone beside its field, keeping what was typed', async () => {
    await speakItalian('acme');
    const alice = await signIn('alice');
    await alice.get('/admin/workspace');

    const zone = await alice.post('/admin/workspace', { name: 'Acme Nuova', language: 'it', timeZone: 'Mars/Olympus_Mons' });
    expect(zone.status).to.equal(422);
    expect(zone.text).to.contain('Scegli un fuso orario').and.contain('value="Acme Nuova"')
      .and.contain('<option value="Europe/Rome" selected>');
    expect(await acmeNow()).to.deep.equal({ name: 'Acme Services', language: 'it', time_zone: 'Europe/Rome' });

    const empty = await alice.post('/admin/workspace', { name: '   ', language: 'it', timeZone: 'Europe/Rome' });
    expect(empty.status).to.equal(422);
    expect(empty.text).to.contain('Nome: campo obbligatorio.');
    const long = await alice.post('/admin/workspace', { name: 'x'.repeat(201), language: 'it', timeZone: 'Europe/Rome' });
    expect(long.status).to.equal(422);
    expect(long.text).to.contain('al massimo 200 caratteri').and.contain(`value="${'x'.repeat(201)}"`);
    expect((await alice.post('/admin/workspace', { name: 'x'.repeat(200), language: 'it', timeZone: 'Europe/Rome' })).status).to.equal(303);

    const forged = await alice.post('/admin/workspace', { name: 'Acme Services', language: 'xx', timeZone: ['UTC', 'Europe/Rome'] });
    expect(forged.status).to.equal(422); // a list is no time zone
    const language = await alice.post('/admin/workspace', { name: 'Acme Services', language: 'klingon', timeZone: 'Europe/Rome' });
    expect(language.status).to.equal(303);
    expect((await acmeNow()).language).to.equal('en');
    expect((await alice.get('/admin/workspace')).text).to.contain('Workspace settings saved.');
  });

  it('is for admins only', async () => {
    const bob = await signIn('bob');
    expect((await bob.get('/admin/workspace')).status).to.equal(403);
    await bob.get('/');
    const res = await bob.post('/admin/workspace', { name: 'Bob Land', language: 'it', timeZone: 'Asia/Tokyo' });
    expect(res.status).to.equal(403);
    expect(await acmeNow()).to.deep.equal({ name: 'Acme Services', language: 'en', time_zone: 'UTC' });
    expect(await sql("select id from audit_events where action = 'tenant.workspace_changed'")).to.have.length(0);
  });
});
