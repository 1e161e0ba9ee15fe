// The import upload sent every way a multipart body can go wrong, against Sportello as
// its own process: each gets its answer, nothing is written, and the process goes on.
import { connect } from 'node:net';
import { expect } from 'chai';
import { CookieAccessInfo } from 'cookiejar';
import { loadFixtures, signIn, sql, type Browser } from '../support/index.js';
import { startServerProcess, type ServerProcess } from '../support/server-process.js';

/**
 * Sends raw bytes, keeping the connection open as a slow client would, and returns the
 * status line's code — 0 when no answer came within 3 s (the body was cut short and the
 * server is still waiting for it; the socket is then closed).
 */
function raw(url: string, text: string): Promise<number> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect(Number(port), hostname, () => socket.write(text));
    let answer = '';
    const done = () => {
      clearTimeout(timer);
      socket.destroy();
      resolve(Number(answer.match(/^HTTP\/1\.1 (\d+)/)?.[1] ?? 0));
    };
    const timer = setTimeout(done, 3000);
    socket.on('data', (d) => {
      answer += d.toString('latin1');
      if (/\r\n\r\n/.test(answer)) done();
    });
    socket.on('error', done);
    socket.on('close', done);
  });
}

describe('Import uploads that fail', function () {
  this.timeout(120_000);
  let server: ServerProcess;

  before(async () => { server = await startServerProcess(); });
  after(async () => { await server.stop(); });

  it('answer each broken body and leave the process serving', async () => {
    await loadFixtures();
    const alice: Browser = await signIn('alice', undefined, server.url);
    await alice.get('/contacts/imports/new');
    const { hostname } = new URL(server.url);
    const jar = (alice.agent as unknown as { jar: { getCookies(o: unknown): { toValueString(): string }[] } }).jar;
    const cookie = jar.getCookies(new CookieAccessInfo(hostname, '/', false, false)).map((c) => c.toValueString()).join('; ');
    expect(cookie).to.contain('=');
    const head = (length: number, boundary = 'b0und') => `POST /contacts/imports HTTP/1.1\r\nHost: ${alice.host}\r\nCookie: ${cookie}\r\n`
      + `Content-Type: multipart/form-data; boundary=${boundary}\r\nContent-Length: ${length}\r\nConnection: close\r\n\r\n`;
    const token = `--b0und\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\n${alice.csrfToken}\r\n`;
    const filePart = `--b0und\r\nContent-Disposition: form-data; name="file"; filename="c.csv"\r\nContent-Type: text/csv\r\n\r\nEmail\r\na@b.test\r\n`;

    const cases: Array<[string, () => Promise<number>, number[]]> = [
      ['cut short (the file part never ends)', () => raw(server.url, head(10_000) + token + filePart), [0, 400]],
      ['no closing boundary', () => raw(server.url, head((token + filePart).length) + token + filePart), [400]],
      ['a boundary that never appears', () => { const body = token + filePart + '--b0und--\r\n'; return raw(server.url, head(body.length, 'other') + body); }, [400, 403, 422]],
      ['garbage for a body', () => { const body = '\u0000\u0001garbage\r\n\r\n--x'; return raw(server.url, head(body.length) + body); }, [400, 403]],
      ['no CSRF token', async () => (await alice.agent.post('/contacts/imports').set('Host', alice.host).attach('file', Buffer.from('Email\r\na@b.test\r\n'), 'c.csv')).status, [403]],
      ['the file in another field', async () => (await alice.agent.post('/contacts/imports').set('Host', alice.host).field('_csrf', alice.csrfToken).attach('other', Buffer.from('Email\r\na@b.test\r\n'), 'c.csv')).status, [422]],
      ['six files', async () => {
        let req = alice.agent.post('/contacts/imports').set('Host', alice.host).field('_csrf', alice.csrfToken);
        for (let i = 0; i < 6; i++) req = req.attach('file', Buffer.from(`Email\r\np${i}@b.test\r\n`), `c${i}.csv`);
        return (await req).status;
      }, [422]],
    ];
    for (const [name, send, statuses] of cases) {
      const status = await send().catch((error: Error) => { throw new Error(`${name}: ${error.message}\n${server.output().slice(-3000)}`); });
      expect(statuses, `${name}: answered ${status}`).to.include(status);
      const health = await fetch(`${server.url}/healthz`).catch(() => undefined);
      expect(health?.status, `${name}: /healthz after it`).to.equal(200);
      expect(server.alive(), `${name}: the process is alive`).to.equal(true);
    }
    expect((await sql('select count(*)::int as n from imports'))[0]).to.deep.equal({ n: 0 });
    expect(server.output()).not.to.contain('"level":60');
  });
});
