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
    expect(page.text).to.contain('10,000 rows. Encoding: UTF-8. Separator: semicolon.');
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
      `select actor_kind, actor_name, details from audit_events where tenant_id = $1 and action = 'import.finished'`, [fx.acme.id]);
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

  it('imports the first of two rows with one email and reports the second as a duplicate of its line', async () => {
    const alice = await signIn('alice');
    const id = await importFile(alice, csv([['email', 'first name'], ['twin@verdi.test', 'First'], ['other@verdi.test', 'Other'], ['Twin@Verdi.test', 'Second']]));
    expect(await importRow(id)).to.include({ status: 'done', created: 2, failed: 1 });
    const [twin] = await sql<{ first_name: string }>(`select first_name from contacts where email = 'twin@verdi.test'`);
    expect(twin.first_name).to.equal('First');
    const report = await alice.get(`/contacts/imports/${id}/report`);
    expect(report.text).to.contain('4,twin@verdi.test,Failed,The same email address is already on line 2.');
  });

  it('skips existing contacts, or updates only the mapped fields — never the password or the source', async () => {
    const alice = await signIn('alice');
    const [before] = await sql<{ password_hash: string; source: string; phone: string; customer_id: number }>(
      `select password_hash, source, phone, customer_id from contacts where email = 'mario@rossi.test'`);
    const file = csv([['Email', 'First name', 'Last name'], ['mario@rossi.test', 'Marione', ''], ['luigi@rossi.test', 'Luigi', 'Rossi'], ['nuovo@rossi.test', 'Nuovo', '']]);

    const skip = await importFile(alice, file);
    expect(await importRow(skip)).to.include({ created: 1, updated: 0, skipped: 2, failed: 0 });
    expect((await sql(`select first_name from contacts where email = 'mario@rossi.test'`))[0]).to.deep.equal({ first_name: 'Mario' });
    expect((await alice.get(`/contacts/imports/${skip}/report`)).text).to.contain('2,mario@rossi.test,Skipped,A contact with this email already exists.');

    const update = await importFile(alice, file, { existing: 'update' });
    // luigi's row holds what he has: nothing to change; nuovo was made by the first import.
    expect(await importRow(update)).to.include({ created: 0, updated: 1, skipped: 2, failed: 0 });
    const [after] = await sql<{ first_name: string; last_name: string; password_hash: string; source: string; phone: string; customer_id: number }>(
      `select first_name, last_name, password_hash, source, phone, customer_id from contacts where email = 'mario@rossi.test'`);
    // An empty cell keeps the value; unmapped columns (phone, customer) are untouched.
    expect(after).to.deep.equal({ ...before, first_name: 'Marione', last_name: 'Rossi' });
    const [event] = await sql<{ details: Record<string, unknown>; actor_name: string }>(
      `select details, actor_name from audit_events where action = 'contact.updated' and subject_id = (select id from contacts where email = 'mario@rossi.test')`);
    expect(event).to.deep.equal({ actor_name: 'Alice Admin', details: { firstName: { from: 'Mario', to: 'Marione' }, import: update } });
  });

  it('places rows without a customer by the domain rule on Enterprise, and finds or creates named customers', async () => {
    const alice = await signIn('alice');
    const rossi = fx.customers['Rossi Impianti'].id;
    expect((await alice.post(`/customers/${rossi}/domains`, { add: 'rossi-impianti.test' })).status).to.equal(303);
    const file = csv([
      ['email', 'customer'],
      ['anna@rossi-impianti.test', ''],
      ['bruno@elsewhere.test', ''],
      ['carla@elsewhere.test', 'BIANCHI SRL'],
      ['dario@elsewhere.test', 'Verdi Spa'],
    ]);
    const id = await uploaded(alice, file);
    const shown = await preview(alice, id);
    expect(shown.text).to.contain('Rossi Impianti <small class="muted">by its domain rossi-impianti.test</small>');
    expect(shown.text).to.contain('There is no customer named “Verdi Spa”.');
    const withCreate = await preview(alice, id, { createCustomers: 'on' });
    expect(withCreate.text).to.contain('Verdi Spa <span class="badge pending">new</span>').and.contain('Importing would create 4,');
    expect((await sql(`select count(*)::int as n from customers where name = 'Verdi Spa'`))[0]).to.deep.equal({ n: 0 });
    expect((await alice.post(`/contacts/imports/${id}/start`)).status).to.equal(303);
    await drainJobs();
    const placed = await sql<{ email: string; customer: string }>(
      `select c.email, cu.name as customer from contacts c join customers cu on cu.id = c.customer_id where c.email like '%@%' and c.source = 'csv' order by c.email`);
    expect(placed).to.deep.equal([
      { email: 'anna@rossi-impianti.test', customer: 'Rossi Impianti' },
      { email: 'bruno@elsewhere.test', customer: 'Unassigned' },
      { email: 'carla@elsewhere.test', customer: 'Bianchi Srl' },
      { email: 'dario@elsewhere.test', customer: 'Verdi Spa' },
    ]);
    const [anna] = await sql<{ details: Record<string, unknown> }>(`select details from audit_events where action = 'contact.created' and details->>'email' = 'anna@rossi-impianti.test'`);
    expect(anna.details).to.deep.include({ source: 'csv', placedByDomain: 'rossi-impianti.test', import: id });
    expect((await sql(`select count(*)::int as n from audit_events where action = 'customer.created' and details->>'name' = 'Verdi Spa'`))[0]).to.deep.equal({ n: 1 });

    // On Pro (globex) there is no domain rule: the same address goes to Unassigned.
    await sql(`insert into customer_domains (tenant_id, customer_id, domain) values ($1, $2, 'springfield-plant.test')`, [fx.globex.id, fx.customers.Springfield.id]);
    const gina = await signIn('gina');
    await importFile(gina, csv([['Email'], ['lenny@springfield-plant.test']]));
    expect((await sql(`select cu.name from contacts c join customers cu on cu.id = c.customer_id where c.email = 'lenny@springfield-plant.test'`))[0]).to.deep.equal({ name: 'Unassigned' });
  });

  it('keeps rows 1–811 and the rest when the database refuses row 812', async () => {
    // A refusal no check foresees: the database's own (a trigger, for this test).
    await sql(`create or replace function refuse_row_812() returns trigger language plpgsql as $$
      begin if new.email = 'p812@verdi.test' then raise exception 'refused'; end if; return new; end $$`);
    await sql('create trigger refuse_row_812 before insert on contacts for each row execute function refuse_row_812()');
    try {
      const alice = await signIn('alice');
      const rows = [['Email']];
      for (let i = 1; i <= 1200; i++) rows.push([`p${i + 1}@verdi.test`]);
      const id = await importFile(alice, csv(rows));
      expect(await importRow(id)).to.include({ status: 'done', created: 1199, failed: 1 });
      const report = await alice.get(`/contacts/imports/${id}/report`);
      expect(report.text).to.contain('812,p812@verdi.test,Failed,The row could not be saved.');
      const page = await alice.get(`/contacts/imports/${id}`);
      expect(page.text).to.contain('<td>812</td><td>p812@verdi.test</td><td>The row could not be saved.</td>');
      expect((await sql(`select count(*)::int as n from contacts where email like 'p%@verdi.test'`))[0]).to.deep.equal({ n: 1199 });
    } finally {
      await sql('drop trigger refuse_row_812 on contacts');
      await sql('drop function refuse_row_812');
    }
  });

  it('cancels midway: what was written stays, and the report says where it stopped', async () => {
    // Each batch takes a moment (a test trigger), so the cancel lands while the job runs.
    await sql(`create or replace function slow_batch() returns trigger language plpgsql as $$ begin perform pg_sleep(0.3); return null; end $$`);
    await sql('create trigger slow_batch after insert on import_outcome_batches for each statement execute function slow_batch()');
    try {
      const alice = await signIn('alice');
      const rows = [['Email']];
      for (let i = 1; i <= 5000; i++) rows.push([`c${i}@stop.test`]);
      const id = await uploaded(alice, csv(rows));
      await preview(alice, id);
      await alice.post(`/contacts/imports/${id}/start`);
      const running = drainJobs();
      let seen = 0;
      for (let i = 0; i < 200 && seen === 0; i++) {
        await new Promise((resolve) => setTimeout(resolve, 25));
        seen = (await importRow(id)).rows_done;
      }
      expect(seen, 'the progress moves while the job runs').to.be.greaterThan(0).and.lessThan(5000);
      const page = await alice.hx('get', `/contacts/imports/${id}`);
      expect(page.text).to.contain('hx-trigger="every 1s"').and.contain('Cancel import').and.match(/[1-9][\d,]* of 5,000 rows \(\d+ %\)/);
      expect((await alice.post(`/contacts/imports/${id}/cancellation`)).status).to.equal(303);
      await running;
      const row = await importRow(id);
      expect(row.status).to.equal('cancelled');
      expect(row.rows_done).to.be.greaterThan(0).and.lessThan(5000);
      expect(row.created).to.equal(row.rows_done);
      expect((await sql(`select count(*)::int as n from contacts where email like '%@stop.test'`))[0].n).to.equal(row.rows_done);
      const shown = await alice.get(`/contacts/imports/${id}`);
      expect(shown.text).to.contain(`Cancelled after ${row.rows_done.toLocaleString('en')} of 5,000 rows: what was saved stays`);
      const report = (await alice.get(`/contacts/imports/${id}/report`)).text.trimEnd().split('\r\n');
      expect(report).to.have.length(row.rows_done + 2);
      expect(report.at(-1)).to.equal(`,,Cancelled after ${row.rows_done} of 5000 rows,The last ${5000 - row.rows_done} rows were not imported`);
      const [event] = await sql<{ details: Record<string, unknown> }>(`select details from audit_events where action = 'import.finished'`);
      expect(event.details).to.deep.include({ status: 'cancelled', rowsDone: row.rows_done, created: row.rows_done });
    } finally {
      await sql('drop trigger slow_batch on import_outcome_batches');
      await sql('drop function slow_batch');
    }
  });
});
