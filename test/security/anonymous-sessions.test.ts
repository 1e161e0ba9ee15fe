// Anonymous visitors cost the database nothing: every anonymous GET used to store a
// session (holding only a CSRF token) that lived 12 hours, so anyone could fill the
// session table with a loop of GETs. Anonymous forms are now protected by a token
// derived from a random value in a cookie, bound to the host, and a session row is
// written only at sign-in.
import { execFile } from 'node:child_process';
import { expect } from 'chai';
import supertest from 'supertest';
import { rootRoutes, tenantRoutes } from '../../src/web/routes.js';
import { Browser, browserFor, drainJobs, h, hostOf, linkIn, loadFixtures, PASSWORD, signIn, signInToPortal, sql } from '../support/index.js';

async function sessionRows(): Promise<number> {
  const [row] = await sql<{ n: number }>('select count(*)::int as n from session');
  return row.n;
}

/** A route's path with each parameter filled in (an unknown token, record 1). */
function visitable(path: string): string {
  return path.replace(/:token/g, 'not-a-real-token').replace(/:[a-z]+/gi, '1');
}

/** The page's token, as the form carries it. */
function tokenOf(html: string): string {
  const match = html.match(/name="_csrf" value="([^"]+)"/) ?? html.match(/"X-CSRF-Token":"([^"]+)"/);
  if (!match?.[1]) throw new Error('the page carries no CSRF token');
  return match[1];
}

describe('Security: anonymous visitors store nothing', () => {
  beforeEach(async () => {
    await loadFixtures();
  });

  it('writes no session row for repeated anonymous GETs of every page in the route table', async () => {
    const visits = [
      ...rootRoutes.filter((r) => r.method === 'get').map((r) => ({ host: hostOf(), path: visitable(r.path) })),
      ...tenantRoutes.filter((r) => r.method === 'get').map((r) => ({ host: hostOf('acme'), path: visitable(r.path) })),
    ];
    const returning = new Browser(hostOf('acme'));
    for (let round = 0; round < 3; round += 1) {
      for (const { host, path } of visits) {
        // A visitor without cookies, and one who keeps the cookies it is given.
        const fresh = await supertest(h().app).get(path).set('Host', host);
        const again = await returning.at(host).get(path);
        expect(fresh.status, `GET ${host}${path}`).to.be.below(500);
        expect(again.status, `GET ${host}${path} (returning)`).to.be.below(500);
      }
    }
    expect(await sessionRows()).to.equal(0);
  });

  it('keeps anonymous forms working, with the token, and still writes nothing', async () => {
    const visitor = browserFor('acme');
    await visitor.get('/login');
    expect((await visitor.post('/login', { email: 'alice@acme.test', password: 'wrong password' })).status).to.equal(401);
    await visitor.get('/portal/login');
    expect((await visitor.post('/portal/login', { email: 'mario@rossi.test', password: 'wrong password' })).status).to.equal(401);
    await visitor.get('/portal/forgot-password');
    expect((await visitor.post('/portal/forgot-password', { email: 'nobody@rossi.test' })).status).to.equal(200);
    expect((await visitor.post('/password/not-a-real-token', { password: 'a long new passphrase', confirmation: 'a long new passphrase' })).status).to.equal(410);

    const root = browserFor();
    await root.get('/find');
    const found = await root.post('/find', { workspace: 'acme' });
    expect(found.status).to.equal(303);
    expect(found.headers.location).to.equal('http://acme.localhost:3000/login');
    await root.get('/signup');
    expect((await root.post('/signup', { companyName: '', slug: 'x' })).status).to.equal(422);

    expect(await sessionRows()).to.equal(0);
  });

  it('shows the "password is set" notice after a reset without storing a session for it', async () => {
    const visitor = browserFor('acme');
    await visitor.get('/portal/forgot-password');
    await visitor.post('/portal/forgot-password', { email: 'mario@rossi.test' });
    await drainJobs();
    const link = new URL(linkIn(h().mail.last('mario@rossi.test').text, /\/portal\/reset\//));
    await visitor.get(link.pathname);
    const set = await visitor.post(link.pathname, { password: 'a fresh portal passphrase', confirmation: 'a fresh portal passphrase' });
    expect(set.status).to.equal(303);
    const login = await visitor.get('/portal/login');
    expect(login.text).to.contain('Your password is set. Sign in with it now.');
    expect((await visitor.get('/portal/login')).text, 'shown once').not.to.contain('Your password is set.');
    expect(await sessionRows()).to.equal(0);
  });

  it('refuses a forged notice cookie', async () => {
    const res = await supertest(h().app).get('/login').set('Host', hostOf('acme'))
      .set('Cookie', `sportello.flash=${Buffer.from('Your account is suspended: call 555-0100').toString('base64url')}.forged`);
    expect(res.status).to.equal(200);
    expect(res.text).not.to.contain('suspended');
  });

  describe('an anonymous form is refused (403) and does nothing', () => {
    async function findAcme(send: (req: supertest.Test) => supertest.Test, agent?: Browser): Promise<number> {
      const req = (agent?.agent ?? supertest(h().app)).post('/find').set('Host', hostOf()).type('form');
      return (await send(req)).status;
    }

    it('without the token', async () => {
      const root = browserFor();
      await root.get('/find');
      expect(await findAcme((r) => r.send({ workspace: 'acme' }), root)).to.equal(403);
    });

    it('with a tampered token', async () => {
      const root = browserFor();
      const token = tokenOf((await root.get('/find')).text);
      const tampered = (token[0] === 'A' ? 'B' : 'A') + token.slice(1);
      expect(await findAcme((r) => r.send({ _csrf: tampered, workspace: 'acme' }), root)).to.equal(403);
      expect(await findAcme((r) => r.send({ _csrf: `${token}x`, workspace: 'acme' }), root)).to.equal(403);
      expect(await findAcme((r) => r.send({ _csrf: token, workspace: 'acme' }), root), 'the real token works').to.equal(303);
    });

    it('with a token issued on another host (another workspace, or the root host)', async () => {
      // One cookie jar for every host (as if the cookie reached them all): only the host binding refuses.
      const visitor = browserFor('globex');
      const globexToken = tokenOf((await visitor.get('/login')).text);
      const rootToken = tokenOf((await visitor.at(hostOf()).get('/find')).text);
      visitor.at(hostOf('acme'));
      for (const token of [globexToken, rootToken]) {
        const res = await visitor.agent.post('/login').set('Host', hostOf('acme')).type('form')
          .send({ _csrf: token, email: 'alice@acme.test', password: PASSWORD });
        expect(res.status).to.equal(403);
      }
      const own = tokenOf((await visitor.get('/login')).text);
      expect((await visitor.agent.post('/login').set('Host', hostOf('acme')).type('form')
        .send({ _csrf: own, email: 'alice@acme.test', password: PASSWORD })).status, 'its own token works').to.equal(303);
    });

    it("with another visitor's token, or with no cookie", async () => {
      const attacker = browserFor();
      const token = tokenOf((await attacker.get('/find')).text);
      const victim = browserFor();
      await victim.get('/');
      expect(await findAcme((r) => r.send({ _csrf: token, workspace: 'acme' }), victim)).to.equal(403);
      expect(await findAcme((r) => r.send({ _csrf: token, workspace: 'acme' }))).to.equal(403);
      expect(await findAcme((r) => r.set('X-CSRF-Token', token).send({ workspace: 'acme' }), attacker), 'the htmx header works').to.equal(303);
    });

    it('with the anonymous token once signed in (the session keeps its own token)', async () => {
      const alice = browserFor('acme');
      const anonymous = tokenOf((await alice.get('/login')).text);
      await alice.post('/login', { email: 'alice@acme.test', password: PASSWORD });
      const page = await alice.get('/customers/new');
      expect(tokenOf(page.text)).not.to.equal(anonymous);
      const forged = await alice.agent.post('/customers').set('Host', hostOf('acme')).type('form').send({ _csrf: anonymous, name: 'Verdi Logistica' });
      expect(forged.status).to.equal(403);
      expect(await sql("select id from customers where name = 'Verdi Logistica'")).to.have.length(0);
      expect((await alice.post('/customers', { name: 'Verdi Logistica' })).status).to.equal(303);
    });
  });

  it('stores one session at sign-in, with a fresh token', async () => {
    const alice = await signIn('alice');
    expect(await sessionRows()).to.equal(1);
    const [row] = await sql<{ sess: { csrf?: string } }>('select sess from session');
    expect(row.sess.csrf).to.equal(alice.csrfToken);
  });

  describe('a session that ends leaves no row behind', () => {
    const realNow = Date.now;
    afterEach(() => {
      Date.now = realNow;
    });

    it('after two idle hours', async () => {
      const alice = await signIn('alice');
      Date.now = () => realNow() + 2.5 * 3600_000;
      expect((await alice.get('/')).headers.location).to.match(/^\/login/);
      expect((await alice.get('/login')).status).to.equal(200);
      expect(await sessionRows()).to.equal(0);
    });

    it('after the password changes elsewhere (the portal session is signed out)', async () => {
      const mario = await signInToPortal('mario');
      await sql("update contacts set password_changed_at = now() where email = 'mario@rossi.test'");
      expect((await mario.get('/portal/account')).headers.location).to.match(/^\/portal\/login/);
      expect((await mario.get('/portal/login')).status).to.equal(200);
      expect(await sessionRows()).to.equal(0);
    });
  });
});

describe('Security: anonymous cookies under https', function () {
  this.timeout(30_000);

  it('are __Host- cookies: host-only, Secure, HttpOnly, Path=/', async () => {
    // The scheme is read once per process: ask a process started with APP_SCHEME=https.
    const script = `
      const { default: express } = await import('express');
      const { csrf } = await import('./src/web/middleware/csrf.ts');
      const { setFlash } = await import('./src/web/flash.ts');
      const app = express().get('/', csrf, (req, res) => { setFlash(req, res, 'Saved.'); res.end(); });
      const server = app.listen(0, '127.0.0.1', async () => {
        const res = await fetch('http://127.0.0.1:' + server.address().port + '/', { headers: { Host: 'acme.helpdesk.example.com' } });
        console.log(JSON.stringify(res.headers.getSetCookie()));
        server.close();
      });`;
    const output = await new Promise<string>((resolve, reject) => {
      execFile(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
        env: { ...process.env, NODE_ENV: 'test', APP_SCHEME: 'https', APP_DOMAIN: 'helpdesk.example.com' },
      }, (error, stdout, stderr) => (error ? reject(new Error(`${error.message}\n${stderr}`)) : resolve(stdout)));
    });
    const cookies = JSON.parse(output) as string[];
    expect(cookies.map((c) => c.split('=')[0])).to.deep.equal(['__Host-sportello.csrf', '__Host-sportello.flash']);
    for (const cookie of cookies) {
      expect(cookie).to.match(/; Path=\/;/).and.match(/; HttpOnly/).and.match(/; Secure/).and.match(/; SameSite=Lax/);
      expect(cookie).not.to.match(/Domain=/i);
    }
  });
});
