// A browser follows a redirect as soon as the headers arrive. express-session on its
// own saves a changed session while ending the response — after the headers — so
// the next page could read the session before the save: the flash after "Save" was
// missing about half the time in Chromium. The redirect must wait for the save.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect } from 'chai';
import { browserFor, h, loadFixtures, PASSWORD, sql } from '../support/index.js';

describe('A redirect after a session change', () => {
  let server: http.Server | undefined;
  afterEach(async () => {
    if (server) await new Promise((resolve) => server!.close(resolve));
    server = undefined;
  });

  it('is sent only once the changed session (its flash) is saved', async () => {
    await loadFixtures();
    const browser = browserFor('acme');
    await browser.get('/login');
    const signedIn = await browser.post('/login', { email: 'alice@acme.test', password: PASSWORD });
    const setCookies = signedIn.headers['set-cookie'] as unknown as string[];
    const cookie = setCookies.find((c) => c.startsWith('sportello.sid='))!.split(';')[0];
    const sid = decodeURIComponent(cookie.split('=')[1]).replace(/^s:/, '').replace(/\.[^.]*$/, '');
    await browser.get('/customers/new');
    expect(await sql('select sid from session where sid = $1', [sid])).to.have.length(1);

    server = http.createServer(h().app);
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;

    // Hold the session row: saving it has to wait until we let go.
    const lock = await h().owner.connect();
    let headersAt: number | undefined;
    try {
      await lock.query('begin');
      await lock.query('select 1 from session where sid = $1 for update', [sid]);
      const answered = new Promise<http.IncomingMessage>((resolve, reject) => {
        const req = http.request({
          port, method: 'POST', path: '/customers',
          headers: { Host: 'acme.localhost:3000', Cookie: cookie, 'Content-Type': 'application/x-www-form-urlencoded' },
        }, (res) => { headersAt = Date.now(); res.resume(); resolve(res); });
        req.on('error', reject);
        req.end(new URLSearchParams({ _csrf: browser.csrfToken, name: 'Verdi Logistica' }).toString());
      });
      await new Promise((resolve) => setTimeout(resolve, 400));
      expect(headersAt, 'the redirect went out before the session was saved').to.equal(undefined);
      await lock.query('commit');
      const res = await answered;
      expect(res.statusCode).to.equal(303);
      expect(res.headers.location).to.match(/^\/customers\/\d+$/);
    } finally {
      await lock.query('rollback').catch(() => {});
      lock.release();
    }
    const [row] = await sql<{ sess: { flash?: string } }>('select sess from session where sid = $1', [sid]);
    expect(row.sess.flash).to.equal('Verdi Logistica is saved.');
  });
});
