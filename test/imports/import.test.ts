// Contacts > Import through the web and the job, on real PostgreSQL and the SMTP sink.
import { expect } from 'chai';
import { drainJobs, h, loadFixtures, signIn, sql, type Fixtures } from '../support/index.js';
import { counts, csv, importFile, importRow, preview, uploaded } from './helpers.js';

describe('Importing contacts from a CSV file', () => {
  let fx: Fixtures;
  beforeEach(async () => {
    fx = await loadFixtures();
  });

  it('previews failing lines with their reasons and writes nothing', async () => {
    const alice = await signIn('alice');
    const file = csv([
      ['Email', 'First name', 'Last name', 'Phone', 'Customer'],
      ['anna@verdi.test', 'Anna', 'Verdi', '+39 02 1234', 'Rossi Impianti'],
      ['', 'No', 'Email', '', ''],
      ['not-an-address', 'Bad', 'Email', '', ''],
      ['ANNA@verdi.test', 'Anna', 'Again', '', ''],
      ['long@verdi.test', 'x'.repeat(101), '', '', ''],
      ['who@verdi.test', 'Who', '', '', 'Nobody Ltd'],
      ['phone@verdi.test', 'Phone', '', 'call me', ''],
    ]);
    const id = await uploaded(alice, file);
    const before = await counts();
    const res = await preview(alice, id);
    expect(res.status).to.equal(200);
    const text = res.text.replace(/\s+/g, ' ');
    expect(text).to.contain('Importing would create 1, update 0, skip 0; 6 rows cannot be imported. Nothing has been saved yet.');
    expect(text).to.contain('<td>3</td><td></td><td>No email address.</td>');
    expect(text).to.contain('<td>4</td><td>not-an-address</td><td>The email address is not valid.</td>');
    expect(text).to.contain('<td>5</td><td>anna@verdi.test</td><td>The same email address is already on line 2.</td>');
    expect(text).to.contain('<td>6</td><td>long@verdi.test</td><td>First name must be at most 100 characters.</td>');
    expect(text).to.contain('<td>7</td><td>who@verdi.test</td><td>There is no customer named “Nobody Ltd”.</td>');
    expect(text).to.contain('<td>8</td><td>phone@verdi.test</td>');
    expect(await counts()).to.deep.equal(before);
    expect((await importRow(id)).status).to.equal('mapping');
  });

  it('imports 10,000 rows through the job: progress to 100 %, a report, no welcome email, one audit event', async () => {
    const alice = await signIn('alice');
    await alice.get('/admin/email-settings');
    const [welcome] = await sql<{ id: number }>(`select t.id from email_templates t where t.tenant_id = $1 and t.name = 'New contact welcome'`, [fx.acme.id]);
    const [reset] = await sql<{ id: number }>(`select t.id from email_templates t where t.tenant_id = $1 and t.name = 'Password reset'`, [fx.acme.id]);
    expect((await alice.post('/admin/email-settings', { sendWelcomeEmail: 'on', welcomeTemplate: String(welcome.id), resetTemplate: String(reset.id) })).status).to.equal(303);
    const rows: string[][] = [['E-mail', 'Nome', 'Cognome', 'Telefono', 'Cliente', 'Accesso al portale']];
    for (let i = 1; i <= 10_000; i++) rows.push([`persona${i}@massa.test`, `Nome${i}`, `Cognome${i}`, `+39 02 ${i}`, i % 2 ? 'Rossi Impianti' : '', i % 10 === 0 ? 'no' : 'sì']);
    const id = await uploaded(alice, csv(rows, ';'), 'massa.csv');
    const page = await alice.get(`/contacts/imports/${id}`);
    expect(page.text).to.contain('10,000 rows, read as UTF-8, separated by semicolons.');
    const shown = await preview(alice, id);
    expect(shown.text).to.contain('Importing would create 10,000, update 0, skip 0; 0 rows cannot be imported.');
    expect((await alice.post(`/contacts/imports/${id}/start`)).status).to.equal(303);
    const queued = await alice.hx('get', `/contacts/imports/${id}`);
    expect(queued.text).to.match(/^\s*<section class="card" id="import-progress"/).and.contain('hx-trigger="every 1s"').and.contain('0 of 10,000 rows (0 %)');

    h().mail.messages.length = 0;
    await drainJobs();
    await drainJobs({ includeFuture: true });
    expect(h().mail.messages, 'no welcome email').to.have.length(0);
    const [outbox] = await sql<{ n: number }>(`select count(*)::int as n from outbound_emails where tenant_id = $1`, [fx.acme.id]);
    expect(outbox.n).to.equal(0);

    const done = await alice.hx('get', `/contacts/imports/${id}`);
    expect(done.text).to.contain('10,000 of 10,000 rows (100 %)').and.contain('value="100"')
      .and.contain('10,000 created, 0 updated, 0 skipped, 0 failed').and.contain(`href="/contacts/imports/${id}/report"`);
    expect(done.text, 'polling stops').not.to.contain('hx-trigger');
    expect(await importRow(id)).to.include({ status: 'done', rows_done: 10_000, created: 10_000, content: null });

    const [stored] = await sql<{ n: number; csv: number; portal: number; rossi: number; unassigned: number }>(
      `select count(*)::int as n, count(*) filter (where source = 'csv')::int as csv, count(*) filter (where portal_access)::int as portal,
              count(*) filter (where cu.name = 'Rossi Impianti')::int as rossi, count(*) filter (where cu.is_default)::int as unassigned
         from contacts c join customers cu on cu.id = c.customer_id where c.email like '%@massa.test'`);
    expect(stored).to.deep.equal({ n: 10_000, csv: 10_000, portal: 9_000, rossi: 5_000, unassigned: 5_000 });
    const [persona7] = await sql(`select first_name, last_name, phone, is_main, password_hash from contacts where email = 'persona7@massa.test'`);
    expect(persona7).to.deep.equal({ first_name: 'Nome7', last_name: 'Cognome7', phone: '+39 02 7', is_main: false, password_hash: null });

    const events = await sql<{ actor_kind: string; actor_name: string; details: Record<string, unknown> }>(
      `select actor_kind, actor_name, details from audit_events where tenant_id = $1 and action = 'contacts.imported'`, [fx.acme.id]);
    expect(events).to.have.length(1);
    expect(events[0]).to.deep.include({ actor_kind: 'technician', actor_name: 'Alice Admin' });
    expect(events[0].details).to.deep.include({ fileName: 'massa.csv', status: 'done', rows: 10_000, created: 10_000, updated: 0, skipped: 0, failed: 0 });

    const report = await alice.get(`/contacts/imports/${id}/report`);
    expect(report.headers['content-type']).to.equal('text/csv; charset=utf-8');
    expect(report.headers['content-disposition']).to.contain(`import-${id}-report.csv`);
    const lines = report.text.replace(/^\ufeff/, '').trimEnd().split('\r\n');
    expect(lines).to.have.length(10_001);
    expect(lines[0]).to.equal('Line,Email,Outcome,Reason');
    expect(lines[1]).to.equal('2,persona1@massa.test,Created,');
    expect(lines[10_000]).to.equal('10001,persona10000@massa.test,Created,');
  });
});
