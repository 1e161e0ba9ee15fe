// Files that cannot be imported: each is refused on upload with a clear error (422,
// the form again), and nothing is written. How a file's encoding and separator are
// told, and how its headers map to fields in English and Italian.
import { request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect } from 'chai';
import { CookieAccessInfo } from 'cookiejar';
import { inspect, UnreadableFile } from '../../src/domain/contact/import-file.js';
import { autoMap, parseMapping } from '../../src/domain/contact/import-mapping.js';
import { ValidationError } from '../../src/lib/validation.js';
import { h, loadFixtures, signIn, sql, type Browser } from '../support/index.js';
import { counts, csv, mappingOf, upload, uploaded } from './helpers.js';

async function refused(browser: Browser, data: Buffer | string, fileName = 'contacts.csv'): Promise<string> {
  const before = await counts();
  const res = await upload(browser, data, fileName);
  expect(res.status, res.text.slice(0, 1500)).to.equal(422);
  expect(res.text).to.contain('<form method="post" action="/contacts/imports" enctype="multipart/form-data"');
  expect(await counts()).to.deep.equal(before);
  expect((await sql('select count(*)::int as n from imports'))[0]).to.deep.equal({ n: 0 });
  return res.text.match(/<p class="error" id="e-file">([^<]*)<\/p>/)?.[1] ?? '(no error shown)';
}

describe('Files that cannot be imported', () => {
  let alice: Browser;
  beforeEach(async () => {
    await loadFixtures();
    alice = await signIn('alice');
  });

  it('refuses a PDF renamed .csv, a binary, an Excel workbook, an empty file and a header-only file', async () => {
    const pdf = Buffer.concat([Buffer.from('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n', 'latin1'), Buffer.from([0, 1, 2, 3])]);
    expect(await refused(alice, pdf, 'contacts.csv')).to.contain('This is not a CSV file');
    expect(await refused(alice, Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0, 0, 0, 0, 0]), 'program.csv')).to.contain('This is not a CSV file');
    expect(await refused(alice, Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0, 6, 0]), 'contacts.xlsx')).to.contain('Excel workbook');
    expect(await refused(alice, '')).to.equal('The file is empty.');
    expect(await refused(alice, '\r\n\r\n  \r\n')).to.equal('The file is empty.');
    expect(await refused(alice, 'Email,First name,Last name\r\n')).to.equal('The file has only the column names: there are no rows to import.');
  });

  it('refuses broken quotes with the line, and no file at all', async () => {
    expect(await refused(alice, 'Email,First name\r\nok@verdi.test,Ok\r\nbad@verdi.test,"Never closed\r\nnext@verdi.test,Next\r\n'))
      .to.match(/^The file cannot be read: the quotes of a cell are not closed properly \(line \d+\)\.$/);
    expect(await refused(alice, 'Email,First name\r\nbad@verdi.test,Bad "quote" inside"x\r\n')).to.contain('the quotes of a cell are not closed properly (line 2)');
    await alice.get('/contacts/imports/new');
    const none = await alice.agent.post('/contacts/imports').set('Host', alice.host).field('_csrf', alice.csrfToken);
    expect(none.status).to.equal(422);
    expect(none.text).to.contain('Choose a CSV file to import.');
  });

  it('refuses more than 50,000 rows', async () => {
    const rows = ['Email'];
    for (let i = 0; i <= 50_000; i++) rows.push(`p${i}@many.test`);
    expect(await refused(alice, rows.join('\n'))).to.equal('The file has more than 50000 rows: split it into smaller files.');
  });

  it('refuses a file over 10 MB while it streams, and a 100 MB upload on its headers without reading it', async () => {
    const big = Buffer.alloc(10 * 1024 * 1024 + 1, 'a');
    expect(await refused(alice, big)).to.equal('Each file must be at most 10 MB.');
    // 100 MB announced: the answer comes before the body is sent, and the connection closes.
    const server = h().app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const jar = (alice.agent as unknown as { jar: { getCookies(o: unknown): { toValueString(): string }[] } }).jar;
      const cookie = jar.getCookies(new CookieAccessInfo('127.0.0.1', '/', false, false)).map((c) => c.toValueString()).join('; ');
      expect(cookie).to.contain('=');
      let sent = 0;
      const status = await new Promise<number>((resolve, reject) => {
        const req = request({ host: '127.0.0.1', port, method: 'POST', path: '/contacts/imports', headers: {
          Host: alice.host, Cookie: cookie, 'Content-Type': 'multipart/form-data; boundary=xyz', 'Content-Length': String(100 * 1024 * 1024),
        } }, (res) => { res.resume(); resolve(res.statusCode ?? 0); });
        req.on('error', reject);
        const chunk = Buffer.alloc(64 * 1024, 'b');
        const write = () => {
          if (sent >= 1024 * 1024) return;
          sent += chunk.length;
          if (req.write(chunk)) setImmediate(write);
          else req.once('drain', write);
        };
        write();
      });
      expect(status).to.equal(413);
      expect(sent, 'refused before 1 MB of the 100 MB was sent').to.be.at.most(1024 * 1024);
    } finally {
      server.closeAllConnections();
      server.close();
    }
    expect((await sql('select count(*)::int as n from imports'))[0]).to.deep.equal({ n: 0 });
  });

  it('reads UTF-8 with and without a BOM, Windows-1252, and semicolon- or comma-separated files, and says which', async () => {
    const italian = 'Email;Nome;Cognome\r\nnicolò@verdi.test;Nicolò;Citté\r\n';
    expect(await inspect(Buffer.from(italian, 'utf8'))).to.deep.include({ encoding: 'utf-8', delimiter: ';', rowCount: 1 });
    expect(await inspect(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(italian, 'utf8')]))).to.deep.include({ encoding: 'utf-8-bom', headers: ['Email', 'Nome', 'Cognome'] });
    const cp1252 = Buffer.from('Email;Nome;Cognome\r\nluca@verdi.test;Luca;Citt\xe0 \x80\r\n', 'latin1');
    expect(await inspect(cp1252)).to.deep.include({ encoding: 'windows-1252', delimiter: ';' });
    expect(await inspect(Buffer.from('"Email, work",Name\r\na@b.test,A\r\n'))).to.deep.include({ delimiter: ',', headers: ['Email, work', 'Name'] });

    const id = await uploaded(alice, cp1252, 'excel.csv');
    const page = await alice.get(`/contacts/imports/${id}`);
    expect(page.text).to.contain('1 row. Encoding: Windows-1252 (Western European). Separator: semicolon.');
    const preview = await alice.post(`/contacts/imports/${id}/preview`, await mappingOf(alice, id));
    expect(preview.text).to.contain('<td>Luca Città €</td>');
  });

  it('maps headers in English and Italian, and refuses a mapping without the email or with a column twice', () => {
    expect(autoMap(['E-mail', 'First Name', 'last_name', 'Phone', 'Customer', 'Main contact', 'Portal access']))
      .to.deep.equal({ email: 0, firstName: 1, lastName: 2, phone: 3, customer: 4, isMain: 5, portalAccess: 6 });
    expect(autoMap(['Cognome', 'Nome', 'Indirizzo e-mail', 'Telefono', 'Cliente', 'Contatto principale', 'Accesso al portale']))
      .to.deep.equal({ lastName: 0, firstName: 1, email: 2, phone: 3, customer: 4, isMain: 5, portalAccess: 6 });
    expect(autoMap(['Email', 'Sito', 'Utente principale', 'Note'])).to.deep.equal({ email: 0, customer: 1, isMain: 2 });
    expect(autoMap(['email', 'Site', 'Main user'])).to.deep.equal({ email: 0, customer: 1, isMain: 2 });
    expect(autoMap(['Notes', 'Società'])).to.deep.equal({ customer: 1 });

    const errors = (input: Record<string, unknown>) => {
      try {
        parseMapping(input, 3);
        return {};
      } catch (error) {
        expect(error).to.be.instanceOf(ValidationError);
        return (error as ValidationError).errors;
      }
    };
    expect(errors({ map_firstName: '1' })).to.deep.equal({ map_email: 'imports.errors.emailUnmapped' });
    expect(errors({ map_email: '0', map_firstName: '0' })).to.deep.equal({ map_firstName: 'imports.errors.columnTwice' });
    expect(errors({ map_email: '7' })).to.deep.equal({ map_email: 'imports.errors.unknownColumn' });
    expect(parseMapping({ map_email: '2', map_phone: '' }, 3)).to.deep.equal({ email: 2 });
  });

  it('re-shows the mapping step with 422 when the email column is not chosen, and lets it be fixed', async () => {
    const id = await uploaded(alice, csv([['Contact', 'Name'], ['ada@verdi.test', 'Ada']]));
    expect(await mappingOf(alice, id)).to.deep.include({ map_email: '', map_firstName: '' });
    const before = await counts();
    const res = await alice.post(`/contacts/imports/${id}/preview`, { map_email: '', map_firstName: '1' });
    expect(res.status).to.equal(422);
    expect(res.text).to.contain('Choose the column with the email addresses.').and.contain('<option value="1" selected>Name</option>');
    const fixed = await alice.post(`/contacts/imports/${id}/preview`, { map_email: '0', map_firstName: '1' });
    expect(fixed.status).to.equal(200);
    expect(fixed.text).to.contain('Importing would create 1,');
    expect(await counts()).to.deep.equal(before);
  });

  it('is not an unreadable-file error for a short row: a spreadsheet drops trailing empty cells', async () => {
    const read = await inspect(Buffer.from('Email,First name,Last name\r\nshort@verdi.test\r\n'));
    expect(read.rowCount).to.equal(1);
    await inspect(Buffer.from('')).then(() => expect.fail('an empty file was read'), (error) => expect(error).to.be.instanceOf(UnreadableFile));
  });
});
