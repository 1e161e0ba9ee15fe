// Microsoft 365 / Google support addresses (issue 17), end to end on loopback: the
// Connect button, the stand-in authorization server's consent and token endpoints
// (test/support/oauth-standin.ts, the one part of these tests that is not the real
// service), the root host's callback relay, the workspace's callback checking `state`
// against the admin's session, and polls of a real Dovecot that takes AUTHENTICATE
// XOAUTH2 through its oauth2 passdb (tokens checked at the stand-in's introspection).
import { expect } from 'chai';
import { loadConfig } from '../../src/config.js';
import { accessTokenFor } from '../../src/domain/mailbox/oauth-tokens.js';
import { pollMailbox } from '../../src/inbound/poll.js';
import { browserFor, drainJobs, everythingLogged, everythingStored, h, loadFixtures, signIn, sql, type Browser, type Fixtures } from '../support/index.js';
import { DOVECOT, Dovecot } from '../support/dovecot.js';
import { OAuthStandIn } from '../support/oauth-standin.js';
import { requireProgram } from '../support/require-program.js';

const REDIRECT = 'http://localhost:3000/oauth/mailbox/callback';
const ADDRESS = 'help@acme.test';
const message = (subject: string, from = 'mario@rossi.test') =>
  `From: Mario Rossi <${from}>\r\nTo: ${ADDRESS}\r\nSubject: ${subject}\r\nMessage-ID: <${Math.random().toString(36).slice(2)}@rossi.test>\r\nDate: Wed, 02 Dec 2026 10:00:00 +0000\r\n\r\nThe printer is broken again.\r\n`;

describe('Support addresses on Microsoft 365 and Google (OAuth, XOAUTH2)', function () {
  this.timeout(60_000);
  const standIn = new OAuthStandIn();
  let dovecot: Dovecot;
  let f: Fixtures;

  before(async function () {
    requireProgram(this, DOVECOT, 'Dovecot', 'apt-get install -y dovecot-imapd');
    await standIn.start();
    dovecot = new Dovecot({ oauth2: { introspectionUrl: standIn.introspectionUrl } });
    await dovecot.start();
  });
  after(async () => {
    await dovecot?.stop();
    await standIn.stop();
  });
  beforeEach(async () => {
    f = await loadFixtures();
    standIn.user = ADDRESS;
    standIn.accessTtl = 3600;
    standIn.rotateRefreshTokens = true;
    standIn.requests.length = 0;
    standIn.issued.length = 0;
    standIn.addClient({ clientId: 'acme-app', clientSecret: 'acme-app-secret', redirectUri: REDIRECT });
    standIn.addClient({ clientId: 'globex-app', clientSecret: 'globex-app-secret', redirectUri: REDIRECT });
  });

  const tokenRequests = (grant: string) => standIn.requests.filter((r) => r.path === '/token' && r.params.grant_type === grant);

  /** The workspace's own Microsoft app, pointed at the stand-in, and a Microsoft 365 mailbox on the Dovecot. */
  async function microsoftMailbox(admin: Browser, clientId: string, address = ADDRESS): Promise<number> {
    const saved = await admin.post('/admin/mailboxes/oauth-apps/microsoft', { clientId, clientSecret: `${clientId}-secret`, authorizeUrl: standIn.authorizeUrl, tokenUrl: standIn.tokenUrl });
    expect(saved.status, saved.text).to.equal(303);
    const created = await admin.post('/admin/mailboxes', {
      address, authMethod: 'microsoft', host: '127.0.0.1', port: String(dovecot.port), tls: 'none', username: address, password: '', folder: 'INBOX', processedFolder: '', pollMinutes: '1', enabled: 'on',
    });
    expect(created.status, created.text).to.equal(303);
    return Number(/\/admin\/mailboxes\/(\d+)$/.exec(created.headers.location)![1]);
  }

  /** Connect: to the consent screen (answered at once by the stand-in), back to the root host, on to the workspace. */
  async function consent(admin: Browser, mailboxId: number): Promise<{ authorize: URL; callback: string }> {
    const started = await admin.post(`/admin/mailboxes/${mailboxId}/oauth`);
    expect(started.status).to.equal(303);
    const authorize = new URL(started.headers.location);
    const answer = await fetch(authorize, { redirect: 'manual' });
    expect(answer.status).to.equal(302);
    const back = new URL(answer.headers.get('location')!);
    expect(`${back.origin}${back.pathname}`).to.equal(REDIRECT);
    const relayed = await browserFor().get(`${back.pathname}${back.search}`);
    expect(relayed.status).to.equal(303);
    const onward = new URL(relayed.headers.location);
    return { authorize, callback: `${onward.pathname}${onward.search}` };
  }

  async function connect(admin: Browser, mailboxId: number) {
    const { authorize, callback } = await consent(admin, mailboxId);
    const done = await admin.get(callback);
    expect(done.status).to.equal(303);
    expect(done.headers.location).to.equal(`/admin/mailboxes/${mailboxId}`);
    return { authorize, callback, page: await admin.get(done.headers.location) };
  }

  const mailboxRow = async (id: number) => (await sql<{ oauth_status: string; oauth_problem: string | null; oauth_refresh_sealed: string | null; oauth_access_sealed: string | null; last_error: string | null; oauth_notified_at: Date | null }>(
    'select oauth_status, oauth_problem, oauth_refresh_sealed, oauth_access_sealed, last_error, oauth_notified_at from mailboxes where id = $1', [id]))[0];

  it('connects with the authorization-code flow and PKCE, seals the tokens, and polls with XOAUTH2', async () => {
    const alice = await signIn('alice');
    const id = await microsoftMailbox(alice, 'acme-app');
    // Not connected yet: shown so, and not polled.
    expect((await alice.get(`/admin/mailboxes/${id}`)).text).to.contain('Not connected to Microsoft 365 yet').and.contain('Connect Microsoft 365');
    expect(await sql('select mailbox_id from mailbox_polls')).to.deep.equal([]);

    const { authorize, page } = await connect(alice, id);
    expect(Object.fromEntries(authorize.searchParams)).to.include({
      client_id: 'acme-app', response_type: 'code', redirect_uri: REDIRECT, code_challenge_method: 'S256', login_hint: ADDRESS,
      scope: 'https://outlook.office.com/IMAP.AccessAsUser.All offline_access',
    });
    expect(authorize.searchParams.get('state')).to.match(/^acme\.[A-Za-z0-9_-]{43}$/);
    expect(page.text).to.contain('is connected to Microsoft 365').and.contain('Connected to Microsoft 365');
    const [exchange] = tokenRequests('authorization_code');
    expect(exchange.params.code_verifier).to.match(/^[A-Za-z0-9_-]{43}$/);
    expect(exchange.params.client_secret).to.equal('acme-app-secret');

    const row = await mailboxRow(id);
    expect(row.oauth_status).to.equal('connected');
    expect(await sql('select mailbox_id from mailbox_polls')).to.deep.equal([{ mailbox_id: id }]);
    // Sealed at rest: neither token, nor the app's secret, is stored or logged as it is.
    const stored = await everythingStored();
    expect(standIn.issued).to.have.length(2);
    for (const secret of ['acme-app-secret', exchange.params.code_verifier, ...standIn.issued]) expect(stored).not.to.contain(secret);

    await dovecot.append(dovecot.addUser(ADDRESS), [message('Printer broken (OAuth)')]);
    const report = await pollMailbox(f.acme.id, id);
    expect(report.problem).to.equal(undefined);
    expect(report.results.map((r) => r.outcome)).to.deep.equal(['ticket_created']);
    expect(await sql("select title from tickets where title like 'Printer broken%'")).to.deep.equal([{ title: 'Printer broken (OAuth)' }]);
    expect(dovecot.logs()).to.match(/method=XOAUTH2/);
    expect(tokenRequests('refresh_token')).to.have.length(0);
    // Test connection signs in with the grant too.
    const tested = await alice.hx('post', `/admin/mailboxes/${id}/connection-test`, { address: ADDRESS, authMethod: 'microsoft', host: '127.0.0.1', port: String(dovecot.port), tls: 'none', username: ADDRESS, password: '', folder: 'INBOX' });
    expect(tested.text).to.contain('The connection works');
    for (const secret of ['acme-app-secret', ...standIn.issued]) expect(everythingLogged()).not.to.contain(secret);
  });

  it('refreshes the access token before it expires, keeping the rotated refresh token', async () => {
    const alice = await signIn('alice');
    const id = await microsoftMailbox(alice, 'acme-app');
    // Four minutes to live: inside the five-minute margin, so the next poll refreshes first.
    standIn.accessTtl = 240;
    await connect(alice, id);
    const before = await mailboxRow(id);
    standIn.accessTtl = 3600;
    await dovecot.append(dovecot.addUser(ADDRESS), [message('After a refresh')]);
    const report = await pollMailbox(f.acme.id, id);
    expect(report.problem).to.equal(undefined);
    expect(report.results.map((r) => r.outcome)).to.deep.equal(['ticket_created']);
    const [refresh] = tokenRequests('refresh_token');
    expect(refresh.params).to.include({ client_id: 'acme-app', scope: 'https://outlook.office.com/IMAP.AccessAsUser.All offline_access' });
    const after = await mailboxRow(id);
    expect(after.oauth_refresh_sealed).not.to.equal(before.oauth_refresh_sealed);
    // Fresh for an hour now: the next poll does not refresh again.
    await pollMailbox(f.acme.id, id);
    expect(tokenRequests('refresh_token')).to.have.length(1);
    // A token the server no longer takes (expired early at the provider): that poll fails, the next one refreshes.
    standIn.expireAccessTokens();
    expect((await pollMailbox(f.acme.id, id)).problem).to.equal('login_failed');
    expect((await pollMailbox(f.acme.id, id)).problem).to.equal(undefined);
    expect(tokenRequests('refresh_token')).to.have.length(2);
  });

  it('a refused refresh shows "Reconnect Microsoft 365" with the reason, stops only that mailbox, and emails the admins once', async () => {
    const alice = await signIn('alice');
    const id = await microsoftMailbox(alice, 'acme-app');
    standIn.accessTtl = 240;
    await connect(alice, id);
    // A second support address, on a password: it keeps being polled.
    const other = await alice.post('/admin/mailboxes', { address: 'billing@acme.test', authMethod: 'password', host: '127.0.0.1', port: String(dovecot.port), tls: 'none', username: 'billing@acme.test', password: 'imap-test-password', folder: 'INBOX', pollMinutes: '1', enabled: 'on' });
    expect(other.status).to.equal(303);
    const [{ id: otherId }] = await sql<{ id: number }>("select id from mailboxes where address = 'billing@acme.test'");

    standIn.revokeAll();
    // Two refreshes refused at once (a poll and Test connection): still one email below.
    const [report] = await Promise.all([pollMailbox(f.acme.id, id), accessTokenFor(f.acme.id, id)]);
    expect(report.problem).to.equal('oauth_reconnect');
    const row = await mailboxRow(id);
    expect(row).to.include({ oauth_status: 'reconnect', last_error: 'oauth_reconnect', oauth_access_sealed: null });
    expect(row.oauth_problem).to.contain('invalid_grant').and.contain('AADSTS50173');
    expect(await sql('select mailbox_id from mailbox_polls')).to.deep.equal([{ mailbox_id: otherId }]);
    expect((await pollMailbox(f.acme.id, otherId)).problem).to.equal(undefined);

    const list = await alice.get('/admin/email-settings');
    expect(list.text).to.contain('Reconnect Microsoft 365').and.contain('AADSTS50173');
    await drainJobs();
    const notices = h().mail.to('alice@acme.test').filter((m) => m.subject.includes('Reconnect Microsoft 365'));
    expect(notices).to.have.length(1);
    expect(notices[0].subject).to.contain(ADDRESS);
    expect(notices[0].text).to.contain('AADSTS50173').and.contain(`/admin/mailboxes/${id}`);
    // Asked again (a poll queued before the stop, Test connection): still one email.
    await pollMailbox(f.acme.id, id);
    await drainJobs();
    expect(h().mail.to('alice@acme.test').filter((m) => m.subject.includes('Reconnect'))).to.have.length(1);

    // Reconnect mends it: polled again, and told again should it break again.
    standIn.accessTtl = 3600;
    await connect(alice, id);
    expect(await mailboxRow(id)).to.include({ oauth_status: 'connected', oauth_problem: null, oauth_notified_at: null });
    expect((await sql<{ mailbox_id: number }>('select mailbox_id from mailbox_polls order by mailbox_id')).map((r) => r.mailbox_id)).to.deep.equal([otherId, id].sort((a, b) => a - b));
  });

  it('asks for Reconnect in its own words when the workspace removes the app the mailbox was connected through', async () => {
    const alice = await signIn('alice');
    const id = await microsoftMailbox(alice, 'acme-app');
    await connect(alice, id);
    expect((await alice.post('/admin/mailboxes/oauth-apps/microsoft/deletion')).status).to.equal(303);
    await sql('update mailboxes set oauth_access_expires_at = now()');
    expect((await pollMailbox(f.acme.id, id)).problem).to.equal('oauth_reconnect');
    expect(await mailboxRow(id)).to.include({ oauth_status: 'reconnect', oauth_problem: 'no_app' });
    const page = await alice.get(`/admin/mailboxes/${id}`);
    expect(page.text).to.contain('Reconnect Microsoft 365').and.contain('Its app registration was removed').and.not.contain('no_app');
    expect(tokenRequests('refresh_token')).to.have.length(0);
  });

  it('a provider out of reach is an error on the mailbox, not a Reconnect: it stays connected and polled', async () => {
    const alice = await signIn('alice');
    const id = await microsoftMailbox(alice, 'acme-app');
    await connect(alice, id);
    expect((await alice.post('/admin/mailboxes/oauth-apps/microsoft', { clientId: 'acme-app', clientSecret: '', authorizeUrl: standIn.authorizeUrl, tokenUrl: 'http://127.0.0.1:1/token' })).status).to.equal(303);
    await sql('update mailboxes set oauth_access_expires_at = now()');
    expect((await pollMailbox(f.acme.id, id)).problem).to.equal('oauth_unreachable');
    expect(await mailboxRow(id)).to.include({ oauth_status: 'connected', last_error: 'oauth_unreachable', oauth_notified_at: null });
    expect(await sql('select mailbox_id from mailbox_polls')).to.deep.equal([{ mailbox_id: id }]);
    expect((await alice.get('/admin/email-settings')).text).to.contain('could not be reached').and.not.contain('Reconnect Microsoft 365');
  });

  it('refuses a forged or replayed state: nothing is exchanged, nothing changes', async () => {
    const alice = await signIn('alice');
    const id = await microsoftMailbox(alice, 'acme-app');
    // A forged state of the right shape, while a genuine consent is under way.
    const { callback } = await consent(alice, id);
    const code = new URLSearchParams(callback.split('?')[1]).get('code')!;
    const forged = await alice.get(`/admin/mailboxes/oauth/callback?code=${code}&state=acme.${'A'.repeat(43)}`);
    expect(forged.status).to.equal(303);
    expect((await alice.get(forged.headers.location.split('#')[0])).text).to.contain('was not started from this session');
    expect(tokenRequests('authorization_code')).to.have.length(0);
    expect((await mailboxRow(id)).oauth_status).to.equal('pending');
    // The genuine answer after a refused one: the session's state was spent, start again.
    await alice.get(callback);
    expect(tokenRequests('authorization_code')).to.have.length(0);

    // Connected once; the same callback replayed is refused.
    const done = await connect(alice, id);
    expect(tokenRequests('authorization_code')).to.have.length(1);
    const replay = await alice.get(done.callback);
    expect((await alice.get(replay.headers.location.split('#')[0])).text).to.contain('was not started from this session');
    expect(tokenRequests('authorization_code')).to.have.length(1);
    // A state that names no workspace is refused at the root host.
    const nowhere = await browserFor().get('/oauth/mailbox/callback?code=x&state=nonsense');
    expect(nowhere.status).to.equal(400);
  });

  it("refuses a second workspace's callback: another workspace's state connects nothing there or here", async () => {
    const alice = await signIn('alice');
    const gina = await signIn('gina');
    const acmeMailbox = await microsoftMailbox(alice, 'acme-app');
    standIn.user = 'help@globex.test';
    const globexMailbox = await microsoftMailbox(gina, 'globex-app', 'help@globex.test');
    // Gina starts her own consent, then is handed Alice's answer (on her host, or relayed there with her prefix).
    await consent(gina, globexMailbox);
    standIn.user = ADDRESS;
    const { callback } = await consent(alice, acmeMailbox);
    const atGlobex = await gina.get(callback);
    expect((await gina.get(atGlobex.headers.location.split('#')[0])).text).to.contain('was not started from this session');
    const params = new URLSearchParams(callback.split('?')[1]);
    const relabelled = await browserFor().get(`/oauth/mailbox/callback?code=${params.get('code')}&state=${params.get('state')!.replace(/^acme\./, 'globex.')}`);
    expect(relabelled.headers.location).to.match(/^http:\/\/globex\.localhost:3000\//);
    const url = new URL(relabelled.headers.location);
    await gina.get(`${url.pathname}${url.search}`);
    expect(tokenRequests('authorization_code')).to.have.length(0);
    expect(await sql('select address, oauth_status from mailboxes order by address')).to.deep.equal([
      { address: ADDRESS, oauth_status: 'pending' }, { address: 'help@globex.test', oauth_status: 'pending' },
    ]);
    // Alice's own answer still works on her own host, for her mailbox only.
    const done = await alice.get(callback);
    expect(done.headers.location).to.equal(`/admin/mailboxes/${acmeMailbox}`);
    expect(await sql('select address, oauth_status from mailboxes order by address')).to.deep.equal([
      { address: ADDRESS, oauth_status: 'connected' }, { address: 'help@globex.test', oauth_status: 'pending' },
    ]);
  });

  it('connects a Google mailbox: offline access asked for, the refresh token kept when Google sends none anew', async () => {
    const alice = await signIn('alice');
    expect((await alice.post('/admin/mailboxes/oauth-apps/google', { clientId: 'acme-app', clientSecret: 'acme-app-secret', authorizeUrl: standIn.authorizeUrl, tokenUrl: standIn.tokenUrl })).status).to.equal(303);
    const created = await alice.post('/admin/mailboxes', { address: ADDRESS, authMethod: 'google', host: '', port: '', tls: 'tls', username: ADDRESS, password: '', folder: 'INBOX', pollMinutes: '1', enabled: 'on' });
    expect(created.status).to.equal(303);
    // An empty host is Google's own IMAP server; pointed at the Dovecot for the poll below.
    expect(await sql('select host, port, tls, auth_method, oauth_status from mailboxes')).to.deep.equal([{ host: 'imap.gmail.com', port: 993, tls: 'tls', auth_method: 'google', oauth_status: 'pending' }]);
    const id = Number(/(\d+)$/.exec(created.headers.location)![1]);
    await sql('update mailboxes set host = $1, port = $2, tls = $3', ['127.0.0.1', dovecot.port, 'none']);
    standIn.accessTtl = 240;
    standIn.rotateRefreshTokens = false;
    const { authorize } = await connect(alice, id);
    expect(Object.fromEntries(authorize.searchParams)).to.include({ scope: 'https://mail.google.com/', access_type: 'offline', prompt: 'consent', code_challenge_method: 'S256' });
    const before = await mailboxRow(id);
    await dovecot.append(dovecot.addUser(ADDRESS), [message('Gmail ticket')]);
    expect((await pollMailbox(f.acme.id, id)).results.map((r) => r.outcome)).to.deep.equal(['ticket_created']);
    const [refresh] = tokenRequests('refresh_token');
    expect(refresh.params).not.to.have.property('scope');
    // The same refresh token, sealed anew with the new access token.
    expect((await mailboxRow(id)).oauth_refresh_sealed).not.to.equal(null);
    expect(before.oauth_status).to.equal('connected');
    standIn.expireAccessTokens();
    await sql('update mailboxes set oauth_access_expires_at = now()');
    expect((await pollMailbox(f.acme.id, id)).problem).to.equal(undefined);
    expect(tokenRequests('refresh_token')).to.have.length(2);
  });

  it("keeps a workspace's own app to itself, its secret never shown, and refuses an endpoint that is not https", async () => {
    const alice = await signIn('alice');
    const gina = await signIn('gina');
    expect((await gina.post('/admin/mailboxes/oauth-apps/microsoft', { clientId: 'globex-app', clientSecret: 'globex-app-secret' })).status).to.equal(303);
    const page = await alice.get('/admin/mailboxes/oauth-apps/microsoft');
    expect(page.status).to.equal(200);
    expect(page.text).to.contain('http://localhost:3000/oauth/mailbox/callback').and.not.contain('globex-app');
    const refused = await alice.post('/admin/mailboxes/oauth-apps/microsoft', { clientId: 'acme-app', clientSecret: 'typed-secret', tokenUrl: 'ftp://login.example.test/token', directory: 'contoso.onmicrosoft.com' });
    expect(refused.status).to.equal(422);
    expect(refused.text).to.contain('value="acme-app"').and.contain('value="contoso.onmicrosoft.com"').and.not.contain('typed-secret');
    expect(await sql('select client_id from mailbox_oauth_apps order by client_id')).to.deep.equal([{ client_id: 'globex-app' }]);
    expect(await everythingStored()).not.to.contain('globex-app-secret');
    const own = await gina.get('/admin/mailboxes/oauth-apps/microsoft');
    expect(own.text).to.contain('value="globex-app"').and.not.contain('globex-app-secret');
  });

  it('reads the operator-level apps from the environment, with the providers\' public URLs by default', () => {
    const c = loadConfig({ NODE_ENV: 'test', OAUTH_MICROSOFT_CLIENT_ID: 'id', OAUTH_MICROSOFT_CLIENT_SECRET: 'secret', OAUTH_MICROSOFT_TENANT: 'contoso.onmicrosoft.com', OAUTH_GOOGLE_TOKEN_URL: 'https://oauth2.example.test/token' } as NodeJS.ProcessEnv);
    expect(c.oauth.microsoft).to.deep.equal({ clientId: 'id', clientSecret: 'secret', directory: 'contoso.onmicrosoft.com', authorizeUrl: null, tokenUrl: null });
    expect(c.oauth.google).to.equal(null);
    expect(() => loadConfig({ NODE_ENV: 'test', OAUTH_GOOGLE_CLIENT_ID: 'id' } as NodeJS.ProcessEnv)).to.throw(/OAUTH_GOOGLE_CLIENT_SECRET/);
  });
});
