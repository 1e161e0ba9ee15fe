// Admin > Integrations > Microsoft Entra ID through the web and the jobs, on real PostgreSQL,
// against the loopback stand-in for Entra ID and Microsoft Graph (test/support/graph-stand-in.ts).
import { expect } from 'chai';
import { config } from '../../src/config.js';
import { drainJobs, everythingLogged, everythingStored, h, loadFixtures, signIn, sql, type Browser, type Fixtures } from '../support/index.js';
import { startGraphStandIn, type GraphStandIn, type StandInUser } from '../support/graph-stand-in.js';

const DIRECTORY = '11111111-2222-3333-4444-555555555555';
const APP = 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee';
const SECRET = 'Xy8Q~s3cr3t-value-only-shown-once.abcdEFGH';
const GROUP = '99999999-8888-7777-6666-555555555555';

function user(n: number, extra: Partial<StandInUser> = {}): StandInUser {
  return {
    id: `00000000-0000-0000-0000-${String(n).padStart(12, '0')}`, userPrincipalName: `user${n}@rossi.onmicrosoft.com`, mail: `user${n}@rossi.test`,
    givenName: `Given${n}`, surname: `Surname${n}`, businessPhones: [`+39 02 ${n}`], accountEnabled: true, displayName: `User ${n}`, jobTitle: 'Engineer', ...extra,
  };
}

describe('Microsoft Entra ID: connecting a directory and syncing its users', () => {
  let fx: Fixtures;
  let graph: GraphStandIn;
  let saved: { entraLoginUrl: string; graphUrl: string };

  before(async () => {
    graph = await startGraphStandIn();
    saved = { entraLoginUrl: config().entraLoginUrl, graphUrl: config().graphUrl };
    Object.assign(config(), { entraLoginUrl: graph.url, graphUrl: graph.url });
  });
  after(async () => {
    Object.assign(config(), saved);
    await graph.close();
  });
  beforeEach(async () => {
    fx = await loadFixtures();
    graph.directories.clear();
    graph.requests.length = 0;
    graph.throttle(0);
    graph.directories.set(DIRECTORY, { apps: { [APP]: { secret: SECRET, permission: true } }, users: [1, 2, 3, 4, 5].map((n) => user(n)), pageSize: 2, groups: { [GROUP]: [user(2).id!, user(4).id!] } });
  });

  async function connect(browser: Browser, form: Record<string, string> = {}): Promise<number> {
    await browser.get('/admin/integrations/entra/new');
    const res = await browser.post('/admin/integrations/entra', {
      customerId: String(fx.customers['Rossi Impianti'].id), directoryId: DIRECTORY, clientId: APP, secret: SECRET, onlyEnabled: 'on', ...form,
    });
    expect(res.status, res.text.slice(0, 2000)).to.equal(303);
    return Number(res.headers.location.match(/^\/admin\/integrations\/entra\/(\d+)$/)![1]);
  }

  /** Sync now: the directory is read, and the import waits for its preview. */
  async function readNow(browser: Browser, id: number): Promise<number> {
    await browser.get(`/admin/integrations/entra/${id}`);
    const res = await browser.post(`/admin/integrations/entra/${id}/sync`);
    expect(res.status, res.text.slice(0, 2000)).to.equal(303);
    const importId = Number(res.headers.location.match(/^\/contacts\/imports\/(\d+)$/)![1]);
    await drainJobs();
    return importId;
  }

  async function preview(browser: Browser, importId: number, existing: 'skip' | 'update' = 'update'): Promise<string> {
    await browser.get(`/contacts/imports/${importId}`);
    const res = await browser.post(`/contacts/imports/${importId}/preview`, { existing });
    expect(res.status, res.text.slice(0, 2000)).to.equal(200);
    return res.text.replace(/\s+/g, ' ');
  }

  /** Sync now, previewed and imported (when the read found anything to import). */
  async function syncNow(browser: Browser, id: number, existing: 'skip' | 'update' = 'update'): Promise<number> {
    const importId = await readNow(browser, id);
    const [run] = await sql<{ status: string }>('select status from imports where id = $1', [importId]);
    if (run.status !== 'mapping') return importId;
    await preview(browser, importId, existing);
    const started = await browser.post(`/contacts/imports/${importId}/start`);
    expect(started.status, started.text.slice(0, 2000)).to.equal(303);
    await drainJobs();
    return importId;
  }

  async function testReport(browser: Browser, id: number): Promise<string> {
    await browser.get(`/admin/integrations/entra/${id}`);
    const res = await browser.hx('post', `/admin/integrations/entra/${id}/connection-test`);
    expect(res.status).to.equal(200);
    return res.text.replace(/\s+/g, ' ');
  }

  it('connects a customer’s directory with the secret sealed, never shown again, and an empty edit keeps it', async () => {
    const alice = await signIn('alice');
    const id = await connect(alice);
    const page = await alice.get(`/admin/integrations/entra/${id}`);
    expect(page.text).to.contain('Microsoft Entra ID: Rossi Impianti').and.contain(DIRECTORY).and.contain(APP);
    expect(page.text, 'the secret is not sent back').not.to.contain(SECRET);
    const [row] = await sql<{ secret_sealed: string }>('select secret_sealed from entra_connections where id = $1', [id]);
    expect(row.secret_sealed).not.to.contain(SECRET);
    const saved = await alice.post(`/admin/integrations/entra/${id}`, { directoryId: DIRECTORY, clientId: APP, secret: '', groupId: '', onlyEnabled: 'on' });
    expect(saved.status).to.equal(303);
    expect(await testReport(alice, id)).to.contain('The connection works');
    // Another directory with the old secret: refused, the form keeps what was typed.
    const moved = await alice.post(`/admin/integrations/entra/${id}`, { directoryId: 'contoso.onmicrosoft.com', clientId: APP, secret: '' });
    expect(moved.status).to.equal(422);
    expect(moved.text).to.contain('You changed the directory or the application: enter its client secret too.').and.contain('value="contoso.onmicrosoft.com"');
    const index = await alice.get('/admin/integrations');
    expect(index.text).to.contain('Rossi Impianti').and.contain('Works');
    expect(await everythingStored()).not.to.contain(SECRET);
    expect(everythingLogged()).not.to.contain(SECRET);
    expect(JSON.stringify(graph.requests)).not.to.contain(SECRET);
  });

  it('says what is wrong with a connection in words a person can act on', async () => {
    const alice = await signIn('alice');
    const id = await connect(alice);
    const change = (form: Record<string, string>) => alice.post(`/admin/integrations/entra/${id}`, { directoryId: DIRECTORY, clientId: APP, onlyEnabled: 'on', ...form });

    expect((await change({ secret: 'wrong' })).status).to.equal(303);
    let text = await testReport(alice, id);
    expect(text).to.contain('Failed:</strong> Sign in to the directory').and.contain('The client secret is wrong. Paste the secret’s Value (not its Secret ID)')
      .and.contain('Not tried:</strong> Read the directory’s users');

    graph.directories.get(DIRECTORY)!.apps[APP].expired = true;
    expect((await change({ secret: SECRET })).status).to.equal(303);
    expect(await testReport(alice, id)).to.contain('The client secret has expired.');
    graph.directories.get(DIRECTORY)!.apps[APP].expired = false;

    graph.directories.get(DIRECTORY)!.apps[APP].permission = false;
    text = await testReport(alice, id);
    expect(text).to.contain('OK:</strong> Sign in to the directory').and.contain('The application has no permission to read users. Add the Microsoft Graph application permission User.Read.All and grant admin consent.');
    graph.directories.get(DIRECTORY)!.apps[APP].permission = true;

    expect((await change({ directoryId: '22222222-2222-3333-4444-555555555555', secret: SECRET })).status).to.equal(303);
    expect(await testReport(alice, id)).to.contain('Microsoft does not know this directory (tenant) ID.');
    expect((await change({ clientId: 'bbbbbbbb-bbbb-cccc-dddd-eeeeeeeeeeee', secret: SECRET })).status).to.equal(303);
    expect(await testReport(alice, id)).to.contain('This application (client) ID is not registered in this directory.');
    expect((await change({ secret: SECRET, groupId: '12121212-1212-1212-1212-121212121212' })).status).to.equal(303);
    expect(await testReport(alice, id)).to.contain('OK:</strong> Read the directory’s users').and.contain('There is no group with this Object ID');

    // A wrong secret: Sync now imports nothing and the page says why.
    expect((await change({ secret: 'wrong again' })).status).to.equal(303);
    const before = await sql<{ n: number }>('select count(*)::int as n from contacts');
    const importId = await syncNow(alice, id);
    expect((await sql<{ n: number }>('select count(*)::int as n from contacts'))[0].n).to.equal(before[0].n);
    const [run] = await sql<{ status: string }>('select status from imports where id = $1', [importId]);
    expect(run.status).to.equal('failed');
    expect((await alice.get(`/admin/integrations/entra/${id}`)).text).to.contain('The last sync could not read the directory: The client secret is wrong.');
    // An expired secret, and a directory without the permission: the same, each in its words.
    expect((await change({ secret: SECRET })).status).to.equal(303);
    graph.directories.get(DIRECTORY)!.apps[APP].expired = true;
    await syncNow(alice, id);
    expect((await alice.get(`/admin/integrations/entra/${id}`)).text).to.contain('The last sync could not read the directory: The client secret has expired.');
    graph.directories.get(DIRECTORY)!.apps[APP].expired = false;
    graph.directories.get(DIRECTORY)!.apps[APP].permission = false;
    await syncNow(alice, id);
    expect((await alice.get(`/admin/integrations/entra/${id}`)).text).to.contain('The last sync could not read the directory: The application has no permission to read users.');
    expect((await sql<{ n: number }>('select count(*)::int as n from contacts'))[0].n, 'nothing imported').to.equal(before[0].n);

    const bad = await alice.post('/admin/integrations/entra', { customerId: String(fx.customers['Bianchi Srl'].id), directoryId: 'not a guid', clientId: 'nope', secret: '' });
    expect(bad.status).to.equal(422);
    expect(bad.text).to.contain('The directory ID is a GUID').and.contain('The application ID is a GUID').and.contain('Client secret is required');
  });

  it('imports users across pages as contacts of the customer, azure_ad, no welcome email, progress to 100 % and a report', async () => {
    const alice = await signIn('alice');
    await alice.get('/admin/email-settings');
    const [welcome] = await sql<{ id: number }>(`select id from email_templates where tenant_id = $1 and name = 'New contact welcome'`, [fx.acme.id]);
    const [reset] = await sql<{ id: number }>(`select id from email_templates where tenant_id = $1 and name = 'Password reset'`, [fx.acme.id]);
    expect((await alice.post('/admin/email-settings', { sendWelcomeEmail: 'on', welcomeTemplate: String(welcome.id), resetTemplate: String(reset.id) })).status).to.equal(303);
    const id = await connect(alice);
    h().mail.messages.length = 0;
    const importId = await syncNow(alice, id);
    await drainJobs({ includeFuture: true });
    expect(h().mail.messages, 'no welcome email').to.have.length(0);

    const usersPages = graph.requests.filter((r) => r.url.startsWith('/v1.0/users?')).map((r) => ({ ...r, url: decodeURIComponent(r.url) }));
    expect(usersPages, 'three pages of two by @odata.nextLink').to.have.length(3);
    expect(usersPages[0].url).to.contain('$select=id,mail,userPrincipalName,givenName,surname,businessPhones,mobilePhone,accountEnabled').and.contain('$top=999');
    expect(usersPages[1].url).to.contain('$skiptoken=');

    const contacts = await sql<{ email: string; first_name: string; last_name: string; phone: string; source: string; portal_access: boolean; customer: string }>(
      `select c.email, c.first_name, c.last_name, c.phone, c.source, c.portal_access, cu.name as customer from contacts c join customers cu on cu.id = c.customer_id
        where c.email like 'user%@rossi.test' order by c.email`);
    expect(contacts).to.have.length(5);
    expect(contacts[0]).to.deep.equal({ email: 'user1@rossi.test', first_name: 'Given1', last_name: 'Surname1', phone: '+39 02 1', source: 'azure_ad', portal_access: true, customer: 'Rossi Impianti' });

    const progress = await alice.hx('get', `/contacts/imports/${importId}`);
    expect(progress.text).to.contain('5 of 5 rows (100 %)').and.contain('5 created, 0 updated, 0 skipped, 0 failed').and.contain(`href="/contacts/imports/${importId}/report"`);
    const report = await alice.get(`/contacts/imports/${importId}/report`);
    expect(report.text).to.contain('user3@rossi.test,Created');
    const [event] = await sql<{ details: Record<string, unknown> }>(`select details from audit_events where tenant_id = $1 and action = 'import.finished'`, [fx.acme.id]);
    expect(event.details).to.include({ status: 'done', created: 5 });
  });

  it('waits out a 429 as Retry-After says, and imports only a group’s members when asked', async () => {
    const alice = await signIn('alice');
    const id = await connect(alice, { groupId: GROUP });
    graph.throttle(1, 1);
    const started = Date.now();
    await syncNow(alice, id);
    expect(Date.now() - started, 'waited the second Retry-After said').to.be.at.least(1000);
    const reads = graph.requests.filter((r) => r.url.startsWith('/v1.0/'));
    expect(reads[0].url, 'the throttled request, then the same request again').to.equal(reads[1].url);
    expect(reads.filter((r) => r.url.startsWith(`/v1.0/groups/${GROUP}/members/microsoft.graph.user`)), 'one page of the group').to.have.length(1);
    const emails = (await sql<{ email: string }>(`select email from contacts where email like 'user%@rossi.test' order by email`)).map((r) => r.email);
    expect(emails).to.deep.equal(['user2@rossi.test', 'user4@rossi.test']);
  });

  it('a re-sync updates rather than duplicates, takes portal access from disabled users, and leaves other customers’ contacts alone', async () => {
    const alice = await signIn('alice');
    const dir = graph.directories.get(DIRECTORY)!;
    dir.users.push(user(6, { accountEnabled: false }), user(7, { mail: null, userPrincipalName: 'seven@rossi.test' }), user(8, { mail: 'peach@bianchi.test' }));
    const id = await connect(alice);
    const first = await syncNow(alice, id);
    expect((await alice.get(`/contacts/imports/${first}/report`)).text).to.contain('This address is already a contact of Bianchi Srl: it stays there.');
    let rows = await sql<{ email: string; portal_access: boolean; first_name: string }>(`select email, portal_access, first_name from contacts where email like 'user%@rossi.test' or email = 'seven@rossi.test' order by email`);
    expect(rows.map((r) => r.email), 'the disabled user is not added; the sign-in name stands in for a missing mail').to.deep.equal(
      ['seven@rossi.test', 'user1@rossi.test', 'user2@rossi.test', 'user3@rossi.test', 'user4@rossi.test', 'user5@rossi.test']);
    const [peach] = await sql<{ customer: string; first_name: string }>(`select cu.name as customer, c.first_name from contacts c join customers cu on cu.id = c.customer_id where email = 'peach@bianchi.test'`);
    expect(peach).to.deep.equal({ customer: 'Bianchi Srl', first_name: 'Peach' });

    dir.users[0].surname = 'Renamed';
    dir.users[1].accountEnabled = false;
    const importId = await syncNow(alice, id);
    rows = await sql(`select email, portal_access, first_name from contacts where email like 'user%@rossi.test' order by email`);
    expect(rows).to.have.length(5);
    expect(rows.find((r) => r.email === 'user2@rossi.test')!.portal_access, 'disabled in the directory').to.equal(false);
    const [one] = await sql<{ last_name: string; n: number }>(`select last_name, (select count(*)::int from contacts where email = 'user1@rossi.test') as n from contacts where email = 'user1@rossi.test'`);
    expect(one).to.deep.equal({ last_name: 'Renamed', n: 1 });
    const [run] = await sql<{ created: number; updated: number; skipped: number }>('select created, updated, skipped from imports where id = $1', [importId]);
    expect(run, 'the delta query brings only the two users that changed').to.deep.equal({ created: 0, updated: 2, skipped: 0 });
  });

  it('previews a sync with nothing written until Import, the failing users with their reason, and the option to skip existing contacts', async () => {
    const alice = await signIn('alice');
    graph.directories.get(DIRECTORY)!.users.push(user(9, { mail: null, userPrincipalName: 'nine#EXT#@rossi.onmicrosoft.com' }));
    const id = await connect(alice);
    const contactsBefore = (await sql<{ n: number }>('select count(*)::int as n from contacts'))[0].n;
    const importId = await readNow(alice, id);
    const page = (await alice.get(`/contacts/imports/${importId}`)).text.replace(/\s+/g, ' ');
    expect(page).to.contain('Read from the directory: 6 users to import.').and.contain('Every user of the directory was read (a full sync).')
      .and.contain('Every user goes to Rossi Impianti.').and.not.contain('map_email');
    const text = await preview(alice, importId);
    expect(text).to.contain('user1@rossi.test').and.contain('Given1 Surname1').and.contain('Rossi Impianti');
    expect(text, 'the guest without an address fails, with its line and reason').to.match(/<td>7<\/td><td><\/td><td>No email address\.<\/td>/);
    expect((await sql<{ n: number }>('select count(*)::int as n from contacts'))[0].n, 'a preview writes nothing').to.equal(contactsBefore);
    expect((await sql<{ n: number }>('select count(*)::int as n from entra_connections where delta_link is not null'))[0].n, 'nor moves the delta link on').to.equal(0);
    expect((await alice.get(`/admin/integrations/entra/${id}`)).text, 'the connection leads back to it').to.contain('waits for its preview and Import.').and.contain(`<a href="/contacts/imports/${importId}">Open it</a>`);
    expect((await alice.post(`/contacts/imports/${importId}/start`)).status).to.equal(303);
    await drainJobs();
    expect((await sql<{ n: number }>('select count(*)::int as n from contacts'))[0].n).to.equal(contactsBefore + 5);
    expect((await sql<{ n: number }>('select count(*)::int as n from entra_connections where delta_link is not null'))[0].n).to.equal(1);

    // Skip existing contacts: a changed user is left as it is, a disabled one still loses portal access.
    const dir = graph.directories.get(DIRECTORY)!;
    dir.users[0].surname = 'Renamed';
    dir.users[1].accountEnabled = false;
    const second = await syncNow(alice, id, 'skip');
    const rows = await sql<{ email: string; last_name: string; portal_access: boolean }>(`select email, last_name, portal_access from contacts where email in ('user1@rossi.test', 'user2@rossi.test') order by email`);
    expect(rows).to.deep.equal([{ email: 'user1@rossi.test', last_name: 'Surname1', portal_access: true }, { email: 'user2@rossi.test', last_name: 'Surname2', portal_access: false }]);
    const [run] = await sql<{ updated: number; skipped: number }>('select updated, skipped from imports where id = $1', [second]);
    expect(run).to.deep.equal({ updated: 1, skipped: 1 });
  });

  it('a delta sync adds new users, updates changed ones, and takes portal access from users disabled or deleted, never deleting a contact', async () => {
    const alice = await signIn('alice');
    const dir = graph.directories.get(DIRECTORY)!;
    const id = await connect(alice);
    await syncNow(alice, id);
    const [{ delta_link: link }] = await sql<{ delta_link: string }>('select delta_link from entra_connections where id = $1', [id]);
    expect(link).to.match(/\/v1\.0\/users\/delta\?\$deltatoken=/);

    dir.users.push(user(6));
    dir.users[0].givenName = 'Changed';
    dir.users[1].accountEnabled = false;
    const deleted = dir.users.splice(2, 1)[0];
    const purged = dir.users.splice(2, 1)[0];
    dir.purged = [purged.id!];
    graph.requests.length = 0;
    const importId = await syncNow(alice, id);

    const deltaReads = graph.requests.filter((r) => r.url.startsWith('/v1.0/'));
    expect(deltaReads.every((r) => r.url.startsWith('/v1.0/users/delta')), 'only the delta query').to.equal(true);
    expect(decodeURIComponent(deltaReads[0].url)).to.equal(link.slice(graph.url.length));
    expect(deltaReads.length, 'its pages by @odata.nextLink').to.be.at.least(2);
    const contacts = await sql<{ email: string; first_name: string; portal_access: boolean }>(`select email, first_name, portal_access from contacts where email like 'user%@rossi.test' order by email`);
    expect(contacts).to.deep.equal([
      { email: 'user1@rossi.test', first_name: 'Changed', portal_access: true },
      { email: 'user2@rossi.test', first_name: 'Given2', portal_access: false },
      { email: 'user3@rossi.test', first_name: 'Given3', portal_access: false },
      { email: 'user4@rossi.test', first_name: 'Given4', portal_access: false },
      { email: 'user5@rossi.test', first_name: 'Given5', portal_access: true },
      { email: 'user6@rossi.test', first_name: 'Given6', portal_access: true },
    ]);
    expect(deleted.mail).to.equal('user3@rossi.test');
    const [run] = await sql<{ created: number; updated: number; skipped: number; sync_mode: string }>('select created, updated, skipped, sync_mode from imports where id = $1', [importId]);
    expect(run).to.deep.equal({ created: 1, updated: 4, skipped: 0, sync_mode: 'delta' });
    expect((await alice.get(`/contacts/imports/${importId}`)).text).to.contain('Only what changed in the directory since the last sync was read.');
    const [{ delta_link: next }] = await sql<{ delta_link: string }>('select delta_link from entra_connections where id = $1', [id]);
    expect(next, 'the next round starts from the new delta link').to.not.equal(link);

    // Nothing changed since: the sync is done at once, nothing to preview.
    const quiet = await readNow(alice, id);
    const [still] = await sql<{ status: string; row_count: number }>('select status, row_count from imports where id = $1', [quiet]);
    expect(still).to.deep.equal({ status: 'done', row_count: 0 });
  });

  for (const how of ['expired', 'reset'] as const) {
    it(`falls back to a full sync when the delta link is no longer valid (${how === 'expired' ? '400 syncStateNotFound' : '410 Gone'}), and says so`, async () => {
      const alice = await signIn('alice');
      const dir = graph.directories.get(DIRECTORY)!;
      const id = await connect(alice);
      await syncNow(alice, id);
      graph.expireDeltaTokens(how);
      dir.users.splice(0, 1);
      dir.users[0].surname = 'Later';
      graph.requests.length = 0;
      const importId = await syncNow(alice, id);
      const reads = graph.requests.filter((r) => r.url.startsWith('/v1.0/')).map((r) => decodeURIComponent(r.url));
      expect(reads[0]).to.contain('$deltatoken=').and.not.contain('latest');
      expect(reads.some((r) => r.startsWith('/v1.0/users?')), 'then every user').to.equal(true);
      const [run] = await sql<{ sync_mode: string; status: string }>('select sync_mode, status from imports where id = $1', [importId]);
      expect(run).to.deep.equal({ sync_mode: 'fallback', status: 'done' });
      expect((await alice.get(`/contacts/imports/${importId}`)).text).to.contain('its change link had expired');
      expect((await alice.get(`/contacts/imports/${importId}/report`)).text.trimEnd().split('\r\n').at(-1), 'the report says so too')
        .to.equal(',,,"The directory no longer knew where the last sync had stopped (its change link had expired), so every user was read again: a full sync."');
      const rows = await sql<{ email: string; last_name: string; portal_access: boolean }>(`select email, last_name, portal_access from contacts where email in ('user1@rossi.test', 'user2@rossi.test') order by email`);
      expect(rows, 'a user gone while the link was dead still loses access').to.deep.equal([
        { email: 'user1@rossi.test', last_name: 'Surname1', portal_access: false }, { email: 'user2@rossi.test', last_name: 'Later', portal_access: true }]);
      const [conn] = await sql<{ delta_link: string | null; last_sync_problem: string | null }>('select delta_link, last_sync_problem from entra_connections where id = $1', [id]);
      expect(conn.delta_link).to.be.a('string');
      expect(conn.last_sync_problem).to.equal(null);
    });
  }

  it('a user gone while a full read\'s preview was left unimported still loses access at the next sync', async () => {
    const alice = await signIn('alice');
    const dir = graph.directories.get(DIRECTORY)!;
    const id = await connect(alice);
    await syncNow(alice, id);
    graph.expireDeltaTokens('expired');
    dir.users.splice(0, 1);
    // Read again in full (the link is dead) and left at its preview; the next Sync now overtakes it.
    const abandoned = await readNow(alice, id);
    const [left] = await sql<{ status: string }>('select status from imports where id = $1', [abandoned]);
    expect(left.status).to.equal('mapping');
    await syncNow(alice, id);
    const [gone] = await sql<{ portal_access: boolean }>(`select portal_access from contacts where email = 'user1@rossi.test'`);
    expect(gone.portal_access, 'the departed user was still known by the second read').to.equal(false);
  });

  it('changes a connection\'s scope only between syncs: refused while one reads, its waiting preview overtaken otherwise', async () => {
    const alice = await signIn('alice');
    const id = await connect(alice);
    await syncNow(alice, id);
    graph.directories.get(DIRECTORY)!.users.push(user(6));
    const waiting = await readNow(alice, id);
    const [running] = await sql<{ id: number }>(`insert into imports (tenant_id, file_name, encoding, delimiter, headers, row_count, mapping, existing, status, source, connection_id)
      select tenant_id, file_name, encoding, delimiter, headers, 0, mapping, existing, 'reading', source, connection_id from imports where id = $1 returning id`, [waiting]);
    const edit = { directoryId: DIRECTORY, clientId: APP, secret: '', groupId: '' }; // only enabled accounts: off
    const refused = await alice.post(`/admin/integrations/entra/${id}`, edit);
    expect(refused.status).to.equal(422);
    expect(refused.text).to.contain('A sync of this directory is already running.');
    const [kept] = await sql<{ only_enabled: boolean; delta_link: string | null }>('select only_enabled, delta_link from entra_connections where id = $1', [id]);
    expect(kept.only_enabled).to.equal(true);
    expect(kept.delta_link).to.be.a('string');
    await sql(`update imports set status = 'cancelled' where id = $1`, [running.id]);
    expect((await alice.post(`/admin/integrations/entra/${id}`, edit)).status).to.equal(303);
    const [preview] = await sql<{ status: string }>('select status from imports where id = $1', [waiting]);
    expect(preview.status, 'the preview read under the old scope').to.equal('cancelled');
    const [moved] = await sql<{ only_enabled: boolean; delta_link: string | null }>('select only_enabled, delta_link from entra_connections where id = $1', [id]);
    expect(moved).to.deep.equal({ only_enabled: false, delta_link: null });
  });

  it('a delta sync limited to a group adds a user who joined it and takes portal access from one who left it', async () => {
    const alice = await signIn('alice');
    const dir = graph.directories.get(DIRECTORY)!;
    const id = await connect(alice, { groupId: GROUP });
    await syncNow(alice, id);
    dir.groups![GROUP] = [user(2).id!, user(3).id!, user(5).id!];
    dir.users[2].surname = 'Joined';
    dir.users[0].surname = 'Outside';
    await syncNow(alice, id);
    const rows = await sql<{ email: string; last_name: string; portal_access: boolean }>(`select email, last_name, portal_access from contacts where email like 'user%@rossi.test' order by email`);
    expect(rows).to.deep.equal([
      { email: 'user2@rossi.test', last_name: 'Surname2', portal_access: true },
      { email: 'user3@rossi.test', last_name: 'Joined', portal_access: true },
      { email: 'user4@rossi.test', last_name: 'Surname4', portal_access: false },
      { email: 'user5@rossi.test', last_name: 'Surname5', portal_access: true },
    ]);
  });

  it('syncs every day when asked, without a preview, and the connection’s page shows the last run and its result', async () => {
    const alice = await signIn('alice');
    const id = await connect(alice, { dailySync: 'on' });
    const [planned] = await sql<{ due: boolean; later: boolean }>(
      `select next_sync_at <= now() as due, next_sync_at > now() + interval '23 hours' as later from entra_sync_schedules where connection_id = $1`, [id]);
    expect(planned, 'a day from when it was turned on').to.deep.equal({ due: false, later: true });
    let page = (await alice.get(`/admin/integrations/entra/${id}`)).text;
    expect(page).to.contain('Next daily sync:').and.contain('The daily sync has not run yet.');

    const runDue = async () => {
      await h().owner.query(`update entra_sync_schedules set next_sync_at = now() - interval '1 minute'`);
      await h().owner.query(`insert into agenda_jobs (name, data, next_run_at, type) values ('entra-daily-syncs', '{}', now(), 'normal')`);
      await drainJobs();
    };
    await runDue();
    expect((await sql<{ n: number }>(`select count(*)::int as n from contacts where email like 'user%@rossi.test'`))[0].n, 'imported without a preview').to.equal(5);
    const [moved] = await sql<{ later: boolean }>(`select next_sync_at > now() + interval '23 hours' as later from entra_sync_schedules where connection_id = $1`, [id]);
    expect(moved.later, 'the next run a day on').to.equal(true);

    graph.directories.get(DIRECTORY)!.users[4].accountEnabled = false;
    await runDue();
    const [five] = await sql<{ portal_access: boolean }>(`select portal_access from contacts where email = 'user5@rossi.test'`);
    expect(five.portal_access).to.equal(false);
    const runs = await sql<{ id: number; scheduled: boolean; sync_mode: string; technician_id: number | null; updated: number }>(
      'select id, scheduled, sync_mode, technician_id, updated from imports order by id');
    expect(runs.map((r) => [r.scheduled, r.sync_mode, r.technician_id, r.updated])).to.deep.equal([[true, 'full', null, 0], [true, 'delta', null, 1]]);
    page = (await alice.get(`/admin/integrations/entra/${id}`)).text.replace(/\s+/g, ' ');
    expect(page).to.contain('Last daily sync:').and.contain('0 created, 1 updated, 0 skipped, 0 failed').and.contain(`href="/contacts/imports/${runs[1].id}"`);

    // Turned off: no schedule, and a due job finds nothing to run.
    expect((await alice.post(`/admin/integrations/entra/${id}`, { directoryId: DIRECTORY, clientId: APP, onlyEnabled: 'on' })).status).to.equal(303);
    expect(await sql('select * from entra_sync_schedules')).to.deep.equal([]);
    expect((await alice.get(`/admin/integrations/entra/${id}`)).text).to.contain('The daily sync is off.');
  });

  it('a sync cancelled while the directory is read imports nothing and keeps the delta link; a changed address takes access from the old one', async () => {
    const alice = await signIn('alice');
    const id = await connect(alice);
    await syncNow(alice, id);
    const [{ delta_link: link }] = await sql<{ delta_link: string }>('select delta_link from entra_connections where id = $1', [id]);
    const dir = graph.directories.get(DIRECTORY)!;
    dir.users.push(user(6));
    await alice.get(`/admin/integrations/entra/${id}`);
    const res = await alice.post(`/admin/integrations/entra/${id}/sync`);
    const importId = Number(res.headers.location.match(/(\d+)$/)![1]);
    const progress = (await alice.get(`/contacts/imports/${importId}`)).text;
    expect(progress).to.contain('Reading the directory').and.contain('hx-trigger="every 1s"');
    expect((await alice.post(`/contacts/imports/${importId}/cancellation`)).status).to.equal(303);
    await drainJobs();
    const [run] = await sql<{ status: string }>('select status from imports where id = $1', [importId]);
    expect(run.status).to.equal('cancelled');
    expect((await sql<{ n: number }>(`select count(*)::int as n from contacts where email = 'user6@rossi.test'`))[0].n).to.equal(0);
    expect((await sql<{ delta_link: string }>('select delta_link from entra_connections where id = $1', [id]))[0].delta_link).to.equal(link);

    // The next sync reads those changes again, and a user whose address changed no longer signs in with the old one.
    dir.users[0].mail = 'renamed1@rossi.test';
    await syncNow(alice, id);
    const rows = await sql<{ email: string; portal_access: boolean }>(`select email, portal_access from contacts where email in ('user1@rossi.test', 'renamed1@rossi.test', 'user6@rossi.test') order by email`);
    expect(rows).to.deep.equal([{ email: 'renamed1@rossi.test', portal_access: true }, { email: 'user1@rossi.test', portal_access: false }, { email: 'user6@rossi.test', portal_access: true }]);
    const [event] = await sql<{ details: Record<string, unknown> }>(`select details from audit_events where action = 'import.finished' order by id desc limit 1`);
    expect(event.details).to.include({ syncMode: 'delta', created: 2, updated: 1 });
  });

  it('keeps another workspace’s connection out of reach: a forged id answers 404', async () => {
    const alice = await signIn('alice');
    const id = await connect(alice);
    const gina = await signIn('gina');
    await gina.get('/admin/integrations');
    for (const path of [`/admin/integrations/entra/${id}`]) expect((await gina.get(path)).status).to.equal(404);
    for (const path of [`/admin/integrations/entra/${id}`, `/admin/integrations/entra/${id}/connection-test`, `/admin/integrations/entra/${id}/sync`, `/admin/integrations/entra/${id}/deletion`]) {
      expect((await gina.post(path, { directoryId: DIRECTORY, clientId: APP, secret: 'x' })).status, path).to.equal(404);
    }
    const [row] = await sql<{ n: number }>('select count(*)::int as n from entra_connections where id = $1', [id]);
    expect(row.n).to.equal(1);
    expect((await sql<{ n: number }>('select count(*)::int as n from imports')).at(0)!.n).to.equal(0);
    // A technician who is not an admin does not reach the page either.
    const bob = await signIn('bob');
    expect((await bob.get('/admin/integrations')).status).to.equal(403);
  });
});
