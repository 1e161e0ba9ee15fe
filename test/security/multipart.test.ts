// Multipart forms (those with attachments) sent with every way to fail, against
// Sportello running as its own process: each gets its answer, and the process
// goes on serving every tenant. (A handler called from multer's callback once
// dropped its promise: the first 404 ended the process.)
import { expect } from 'chai';
import { loadFixtures, signIn, signInToPortal, sql, type Browser } from '../support/index.js';
import { startServerProcess, type ServerProcess } from '../support/server-process.js';

const file = { name: 'note.txt', data: Buffer.from('a small file') };

function multipart(browser: Browser, path: string, fields: Record<string, string>, csrf = true) {
  let req = browser.agent.post(path).set('Host', browser.host);
  if (csrf) req = req.field('_csrf', browser.csrfToken);
  for (const [k, v] of Object.entries(fields)) req = req.field(k, v);
  return req.attach('attachments', file.data, { filename: file.name, contentType: 'text/plain' });
}

describe('Multipart forms that fail', function () {
  this.timeout(120_000);
  let server: ServerProcess;

  before(async () => { server = await startServerProcess(); });
  after(async () => { await server.stop(); });

  it('answer each failure and leave the process serving', async () => {
    await loadFixtures();
    const peach = await signInToPortal('peach', undefined, server.url);
    await peach.get('/portal/tickets/new');
    expect((await peach.post('/portal/tickets', { title: 'Printer', description: 'It jams.' })).status).to.equal(303);
    const luigi = await signInToPortal('luigi', undefined, server.url);
    const alice = await signIn('alice', undefined, server.url);
    const counts = async () => (await sql<{ n: number }>(`select (select count(*) from tickets) + (select count(*) from ticket_messages) + (select count(*) from attachments) as n`))[0].n;
    const before = await counts();

    const tooLong = 'x'.repeat(250 * 1024);
    const cases: Array<[string, Browser, string, Record<string, string>, number, boolean?]> = [
      ['technician reply, unknown number', alice, '/tickets/9999/replies', { body: 'Hello' }, 404],
      ['technician reply, NUL byte', alice, '/tickets/1001/replies', { body: 'Hel\u0000lo' }, 422],
      ['technician reply, too-long field', alice, '/tickets/1001/replies', { body: tooLong }, 422],
      ['technician reply, no CSRF token', alice, '/tickets/1001/replies', { body: 'Hello' }, 403, false],
      ['portal ticket, NUL byte', luigi, '/portal/tickets', { title: 'Nul\u0000', description: 'x' }, 422],
      ['portal ticket, too-long field', luigi, '/portal/tickets', { title: 'Long', description: tooLong }, 422],
      ['portal ticket, no CSRF token', luigi, '/portal/tickets', { title: 'No token', description: 'x' }, 403, false],
      ['portal reply, unknown number', luigi, '/portal/tickets/9999/replies', { body: 'Hello' }, 404],
      ["portal reply, another contact's ticket", luigi, '/portal/tickets/1001/replies', { body: 'Hello' }, 404],
      ['portal reply, NUL byte', peach, '/portal/tickets/1001/replies', { body: 'Nul\u0000' }, 422],
      ['portal reply, too-long field', peach, '/portal/tickets/1001/replies', { body: tooLong }, 422],
      ['portal reply, no CSRF token', peach, '/portal/tickets/1001/replies', { body: 'Hello' }, 403, false],
    ];
    for (const [name, browser, path, fields, status, csrf] of cases) {
      await browser.get(path.startsWith('/portal') ? '/portal/account' : '/');
      const res = await multipart(browser, path, fields, csrf ?? true).catch((error: Error) => {
        throw new Error(`${name}: no answer (${error.message}); the server said:\n${server.output().slice(-3000)}`);
      });
      expect(res.status, name).to.equal(status);
      expect(res.text, name).not.to.contain('Hel\u0000lo');
      const health = await fetch(`${server.url}/healthz`).catch(() => undefined);
      expect(health?.status, `${name}: /healthz after it`).to.equal(200);
      expect(server.alive(), `${name}: the process is alive`).to.equal(true);
    }
    expect(await counts()).to.equal(before);
    expect(server.output()).not.to.contain('"level":60');
  });
});
