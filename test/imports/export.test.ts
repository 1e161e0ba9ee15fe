// Contacts > Export: the import's own headers (a round trip maps itself, across
// languages and editions), and no cell that a spreadsheet would run as a formula.
import { expect } from 'chai';
import { loadFixtures, signIn, speakItalian, sql } from '../support/index.js';
import { csv, importFile, importRow } from './helpers.js';

/** The export's rows without the header, sorted. */
function rowsOf(text: string): string[] {
  return text.replace(/^\ufeff/, '').trimEnd().split('\r\n').slice(1).sort();
}

describe('Exporting contacts as CSV', () => {
  beforeEach(async () => {
    await loadFixtures();
  });

  it('exports every contact with the import headers, and a round trip into another workspace gives the same rows', async () => {
    const alice = await signIn('alice');
    const exported = await alice.get('/contacts/export');
    expect(exported.status).to.equal(200);
    expect(exported.headers['content-type']).to.equal('text/csv; charset=utf-8');
    expect(exported.headers['content-disposition']).to.contain('contacts.csv');
    expect(exported.text.startsWith('\ufeffEmail,First name,Last name,Phone,Customer,Main contact,Portal access\r\n')).to.equal(true);
    const acmeRows = rowsOf(exported.text);
    expect(acmeRows).to.include('mario@rossi.test,Mario,Rossi,,Rossi Impianti,Yes,Yes');

    // globex is an IT department (Site, Main user): the MSP headers still map.
    const gina = await signIn('gina');
    const id = await importFile(gina, Buffer.from(exported.text), { createCustomers: 'on' });
    expect(await importRow(id)).to.include({ status: 'done', created: acmeRows.length, failed: 0 });
    const back = await gina.get('/contacts/export');
    expect(back.text.startsWith('\ufeffEmail,First name,Last name,Phone,Site,Main user,Portal access\r\n')).to.equal(true);
    const globexRows = rowsOf(back.text).filter((r) => !r.startsWith('homer@'));
    expect(globexRows).to.deep.equal(acmeRows);
  });

  it('maps its own Italian export back, and finds nothing to change', async () => {
    await speakItalian('acme');
    const alice = await signIn('alice');
    const exported = await alice.get('/contacts/export');
    expect(exported.text.startsWith('\ufeffEmail,Nome,Cognome,Telefono,Cliente,Contatto principale,Accesso al portale\r\n')).to.equal(true);
    const id = await importFile(alice, Buffer.from(exported.text), { existing: 'update' });
    const total = rowsOf(exported.text).length;
    expect(await importRow(id)).to.include({ created: 0, updated: 0, skipped: total, failed: 0 });
    const report = await alice.get(`/contacts/imports/${id}/report`);
    expect(report.text).to.contain('Riga,Email,Esito,Motivo').and.contain('mario@rossi.test,Saltato,Già aggiornato.');
  });

  it('neutralises formulas in the export and the report, and a round trip gives the values back', async () => {
    const alice = await signIn('alice');
    const name = '=HYPERLINK("http://evil.test","click")';
    const id = await importFile(alice, csv([
      ['Email', 'First name', 'Last name', 'Phone'],
      ['eve@verdi.test', name, '@SUM(1+1)', '+39 02 555'],
      ["=cmd|' /C calc'!A0", 'Bad', '', ''],
    ]));
    expect(await importRow(id)).to.include({ created: 1, failed: 1 });
    // Stored as text, as typed.
    expect((await sql(`select first_name, last_name, phone from contacts where email = 'eve@verdi.test'`))[0])
      .to.deep.equal({ first_name: name, last_name: '@SUM(1+1)', phone: '+39 02 555' });
    const report = await alice.get(`/contacts/imports/${id}/report`);
    expect(report.text).to.contain("3,'=cmd|' /c calc'!a0,Failed,The email address is not valid.");
    const exported = await alice.get('/contacts/export');
    expect(exported.text).to.contain(`eve@verdi.test,"'=HYPERLINK(""http://evil.test"",""click"")",'@SUM(1+1),'+39 02 555,Unassigned,No,Yes`);
    for (const line of exported.text.split('\r\n')) {
      for (const cell of line.split(',')) expect(cell, line).not.to.match(/^"?[=+\-@]/);
    }
    // Back in: the apostrophes come off.
    const again = await importFile(alice, Buffer.from(exported.text), { existing: 'update' });
    expect(await importRow(again)).to.include({ updated: 0, failed: 0 });
    expect((await sql(`select first_name, last_name, phone from contacts where email = 'eve@verdi.test'`))[0])
      .to.deep.equal({ first_name: name, last_name: '@SUM(1+1)', phone: '+39 02 555' });
  });
});
