// What the every-page test does not walk, in an Italian workspace: forms refused (422),
// htmx fragments, flash messages, error pages, sign-in failures — each answer checked
// for English words and catalogue key names, as the every-page test checks the pages.
import { expect } from 'chai';
import { inTenant } from '../../src/db/unit-of-work.js';
import { createDefaultEmailTemplates } from '../../src/domain/email/defaults.js';
import { createDefaultRules } from '../../src/domain/rule/defaults.js';
import { Tenant } from '../../src/domain/tenant/tenant.js';
import { termsFor } from '../../src/i18n/translate.js';
import { browserFor, drainJobs, h, linkIn, loadFixtures, signIn, signInToPortal, speakItalian, sql, type Fixtures } from '../support/index.js';
import { problemsOn, telltales } from '../support/leaks.js';

const english = telltales('en');
const italianWords = telltales('it');

/** Problems on an answer that should be English (a reader whose own language is English, in an Italian workspace). */
function inEnglish(what: string, res: { status: number; text: string }): string[] {
  return problemsOn({ path: what, status: res.status, html: res.text ?? '' }, 'en', italianWords);
}

/** The workspace as if it had been made in Italian: its language, and the defaults a signup makes in it (kept as they were when the language changes later). */
async function italianFromTheStart(slug: string): Promise<void> {
  await speakItalian(slug);
  const [{ id }] = await sql<{ id: number }>('select id from tenants where slug = $1', [slug]);
  for (const table of ['ticket_rules', 'email_settings', 'email_templates', 'quick_replies']) await sql(`delete from ${table} where tenant_id = $1`, [id]);
  await inTenant(id, async (em) => {
    const tenant = await em.findOneOrFail(Tenant, { id });
    await sql('update customers set name = $2 where tenant_id = $1 and is_default', [id, termsFor(tenant.edition, 'it').defaultCustomer]);
    await createDefaultEmailTemplates(em, tenant);
    await createDefaultRules(em, tenant);
  });
}

/** Problems on an answer (a page or a fragment) that should be Italian. */
function italian(what: string, res: { status: number; text: string }): string[] {
  return problemsOn({ path: what, status: res.status, html: res.text ?? '' }, 'it', english);
}

describe('Every form and fragment in Italian', function () {
  this.timeout(60_000);
  let fx: Fixtures;
  beforeEach(async () => {
    fx = await loadFixtures();
    await italianFromTheStart('acme');
    await italianFromTheStart('globex');
  });

  it('technician forms refused (422), fragments and flash messages', async () => {
    const alice = await signIn('alice');
    const problems: string[] = [];
    const post = async (path: string, form: Record<string, unknown>, then?: string) => {
      const res = await alice.post(path, form);
      problems.push(...italian(`POST ${path} (${res.status})`, res));
      if (res.status === 303) {
        const next = await alice.get(then ?? String(res.headers.location));
        problems.push(...italian(`after POST ${path}: ${then ?? res.headers.location}`, next));
      }
      return res;
    };
    const hx = async (method: 'get' | 'post', path: string, form: Record<string, unknown> = {}) => {
      const res = await alice.hx(method, path, form);
      problems.push(...italian(`hx ${method} ${path} (${res.status})`, res));
      return res;
    };
    await post('/customers', { name: '' });
    await post('/customers', { name: 'Verdi Spa' });
    await post('/contacts', { email: 'not an email', firstName: '', customer: '' });
    await post('/contacts', { email: 'nuovo@verdi.test', firstName: 'Nuovo', lastName: 'Verdi', customer: String(fx.customers['Rossi Impianti'].id) });
    await post('/tickets', { title: '', contact: '' });
    await post('/tickets', { title: 'Stampante', contact: String(fx.contacts.mario.id), description: 'Non stampa' });
    const [ticket] = await sql<{ number: number }>('select number from tickets t join tenants n on n.id = t.tenant_id where n.slug = $1 order by t.id desc limit 1', ['acme']);
    await hx('get', '/tickets/new/contacts?q=mar');
    await hx('get', '/tickets/new/contacts?q=zzz');
    await hx('get', '/customers/options?customerQ=ros&blank=any');
    await hx('get', '/customers/options?customerQ=zzz&blank=all');
    await hx('get', '/customers/options?customerQ=ros&blank=choose');
    await hx('post', `/tickets/${ticket.number}/status`, { status: 'nonsense' });
    await hx('post', `/tickets/${ticket.number}/status`, { status: 'pending' });
    await hx('post', `/tickets/${ticket.number}/priority`, { priority: 'nonsense' });
    await hx('post', `/tickets/${ticket.number}/type`, { type: 'nonsense' });
    await hx('post', `/tickets/${ticket.number}/assignment`, { assignee: '999999' });
    await post(`/tickets/${ticket.number}/replies`, { body: '' });
    await post(`/tickets/${ticket.number}/replies`, { body: 'Fatto {[Nonesiste]}' });
    await post(`/tickets/${ticket.number}/replies`, { body: 'Fatto.' });
    const [qr] = await sql<{ id: number }>('select q.id from quick_replies q join tenants n on n.id = q.tenant_id where n.slug = $1 order by q.id limit 1', ['acme']);
    if (qr) await hx('get', `/tickets/${ticket.number}/quick-reply?id=${qr.id}`);
    await hx('get', `/tickets/${ticket.number}/quick-reply?id=999999`);
    // The ticket list's bulk edits: refused, done (its flash), done in place with htmx; the list searched and sorted.
    const [row] = await sql<{ id: number }>('select t.id from tickets t join tenants n on n.id = t.tenant_id where n.slug = $1 order by t.id desc limit 1', ['acme']);
    await post('/tickets/bulk-edits', { list: 'view=all', status: '' });
    await post('/tickets/bulk-edits', { list: 'view=all', ticket: String(row.id), status: 'nonsense' });
    await post('/tickets/bulk-edits', { list: 'view=all', ticket: String(row.id), priority: 'high' });
    await hx('post', '/tickets/bulk-edits', { list: 'view=all&sort=priority&dir=asc', scope: 'all', status: 'open' });
    await hx('post', '/tickets/bulk-edits', { list: 'view=all', assignee: '' });
    await hx('get', '/tickets?view=all&q=stampante&sort=status&dir=desc');
    await post('/admin/workspace', { name: '', language: 'xx', timeZone: 'Mars/Olympus' });
    await post('/admin/quick-replies', { name: '', body: '' });
    await post('/admin/quick-replies', { name: 'Saluti', body: 'Ciao {[Nonesiste]}' });
    await post('/admin/email-templates', { name: '', subject: '', body: '' });
    await post('/admin/email-templates', { name: 'Benvenuto', subject: 'Ciao', body: 'Ciao {[Nonesiste]}' });
    await hx('post', '/admin/email-templates/preview', { subject: 'Ciao {[Nonesiste]}', body: 'Ciao {[Nonesiste]}' });
    await hx('post', '/admin/email-templates/preview', { subject: 'Ciao', body: 'Ciao' });
    await hx('get', '/admin/rules/new');
    await hx('post', '/admin/rules', { name: '', trigger: 'sempre' });
    await post('/admin/rules', { name: '', trigger: 'ticket_unanswered', triggerHours: 'x' });
    await post('/admin/rules', { name: 'Credenziali', trigger: 'ticket_created', ignoreFlow: 'yes', active: 'no' });
    const [rule] = await sql<{ id: number }>("select id from ticket_rules where name = 'Credenziali'");
    await hx('post', `/admin/rules/${rule.id}/conditions`, { property: 'status', operator: 'contains', value: 'x' });
    await hx('post', `/admin/rules/${rule.id}/conditions`, { property: 'hours_since_created', operator: 'greater_than', value: 'un giorno' });
    await hx('post', `/admin/rules/${rule.id}/conditions`, { property: 'title', operator: 'equals', value: '[Credenziali del Portale]' });
    await hx('get', `/admin/rules/${rule.id}/conditions/new?property=priority&operator=is_one_of`);
    await hx('post', `/admin/rules/${rule.id}/actions`, { kind: 'email_contact', template: '' });
    await hx('post', `/admin/rules/${rule.id}/actions`, { kind: 'add_note', value: 'Ciao {[Nonesiste]}' });
    await hx('post', `/admin/rules/${rule.id}/actions`, { kind: 'set_priority', value: 'high' });
    await hx('get', `/admin/rules/${rule.id}/actions/new?kind=assign_technician`);
    await hx('post', `/admin/rules/${rule.id}/test`, { ticket: '99999' });
    await hx('post', `/admin/rules/${rule.id}/test`, { ticket: String(ticket.number) });
    await post(`/admin/rules/${rule.id}`, { name: '', trigger: 'ticket_unanswered', triggerHours: '0' });
    await post(`/admin/rules/${rule.id}/position`, { position: '1' });
    await hx('post', `/admin/rules/${rule.id}/activation`, { active: 'yes' });
    await post(`/admin/rules/${rule.id}/activation`, { active: 'no' });
    await post('/admin/mailboxes', { address: 'no', host: '', port: 'abc', username: '', password: '' });
    await hx('post', '/admin/mailboxes/connection-test', { address: 'aiuto@acme.test', host: '127.0.0.1', port: '1', tls: 'none', username: 'x', password: 'y', folder: 'INBOX' });
    await hx('post', '/admin/mailboxes/connection-test', { host: '', port: '' });
    await post('/admin/mailboxes/oauth-apps/microsoft', { clientId: '', clientSecret: '', directory: 'non valido!', tokenUrl: 'ftp://x' });
    await post('/admin/mailboxes', { address: 'aiuto365@acme.test', authMethod: 'microsoft', host: '', username: 'aiuto365@acme.test', password: '' });
    await hx('post', '/admin/mailboxes/connection-test', { address: 'aiuto365@acme.test', authMethod: 'microsoft', host: 'outlook.office365.com', port: '993', tls: 'tls', username: 'x', folder: 'INBOX' });
    const forgedCallback = await alice.get(`/admin/mailboxes/oauth/callback?code=x&state=acme.${'A'.repeat(43)}`);
    problems.push(...italian('after a forged OAuth callback', await alice.get(String(forgedCallback.headers.location).split('#')[0])));
    await post('/admin/email-settings', { autoCreateContacts: 'maybe' });
    await post('/admin/plan', { plan: 'platinum' });
    await post('/admin/security', { requireSecondFactor: 'on' });
    await post('/admin/technicians', { name: '', email: 'x', role: 'boss' });
    await post('/profile/language', { language: 'xx' });
    await post('/profile/two-factor', { code: '000000' });
    await post('/profile/name', { name: '' });
    await post('/profile/name', { name: 'Alice Amministratrice' });
    await post('/profile/language', { language: '', timeZone: 'Mars/Olympus' });
    await post('/profile/language', { language: '', timeZone: 'Europe/Rome' });
    await post('/profile/password', { current: 'sbagliata', password: 'abc', confirmation: 'abd' });
    await post('/profile/password', { current: 'correct horse battery staple', password: 'una nuova passphrase lunga', confirmation: 'diversa' });
    await post('/profile/email', { email: 'non è un indirizzo', current: 'sbagliata' });
    await post('/profile/email', { email: 'bob@acme.test', current: 'correct horse battery staple' });
    await post('/profile/email', { email: 'alice.nuova@acme.test', current: 'correct horse battery staple' });
    await drainJobs();
    const confirmation = new URL(linkIn(h().mail.last('alice.nuova@acme.test').text, /\/profile\/email\//)).pathname;
    problems.push(...italian('email change: confirmation email', { status: 200, text: h().mail.last('alice.nuova@acme.test').text }));
    problems.push(...italian('email change: notice email', { status: 200, text: h().mail.last('alice@acme.test').text }));
    problems.push(...italian('email change: link page', await alice.get(confirmation)));
    await post(confirmation, {}, '/profile');
    problems.push(...italian('email change: link used again', await alice.post(confirmation, {})));
    await post('/profile/sessions/others/deletion', {});
    // The knowledge base (issue 15).
    await post('/kb/categories', { name: '', position: 'x' });
    await post('/kb/categories', { name: 'Stampanti', position: '1' });
    const [kbCategory] = await sql<{ id: number }>("select id from kb_categories where name = 'Stampanti'");
    await post('/kb/articles', { title: '', category: '', visibility: 'customers', status: 'draft', language: 'it' });
    await post('/kb/articles', { title: 'Cerca', category: String(kbCategory.id), visibility: 'everyone', status: 'draft', language: 'it' });
    await post('/kb/articles', { title: 'La stampante', body: 'Riavvia la **stampante**.', category: String(kbCategory.id), visibility: 'everyone', status: 'published', language: 'it' });
    await hx('post', '/kb/preview', { body: '' });
    await hx('get', '/kb/links?q=stamp');
    await hx('get', '/kb/links?q=zzz');
    const [kbArticle] = await sql<{ id: number }>("select id from kb_articles where slug = 'la-stampante'");
    await post(`/kb/articles/${kbArticle.id}`, { title: 'La stampante', category: String(kbCategory.id), visibility: 'customers', status: 'published', language: 'it' });
    await post(`/kb/categories/${kbCategory.id}`, { name: '' });
    // Categories in order, deleted (its articles moved, or refused without a choice); an image refused while shown.
    await post('/kb/categories', { name: 'Rete', position: '2' });
    const [kbOther] = await sql<{ id: number }>("select id from kb_categories where name = 'Rete'");
    await post(`/kb/categories/${kbOther.id}/position`, { direction: 'up' });
    await hx('post', `/kb/categories/${kbOther.id}/position`, { position: '2' });
    await post(`/kb/categories/${kbCategory.id}/deletion`, { moveTo: '' });
    await post(`/kb/categories/${kbCategory.id}/deletion`, { moveTo: String(kbOther.id) });
    const [kbImage] = await sql<{ id: number }>(`insert into kb_images (tenant_id, article_id, file_name, content_type, size, data)
      select tenant_id, id, 'rete.png', 'image/png', 3, 'xyz' from kb_articles where id = $1 returning id`, [kbArticle.id]);
    await sql('update kb_articles set body = $1 where id = $2', [`![rete](/portal/kb/images/${kbImage.id})`, kbArticle.id]);
    await post(`/kb/images/${kbImage.id}/deletion`, {});
    await sql("update kb_articles set body = '' where id = $1", [kbArticle.id]);
    await post(`/kb/images/${kbImage.id}/deletion`, {});
    expect(problems).to.deep.equal([]);
  });

  it('portal forms refused, uploads too large or too many, and flash messages', async () => {
    const mario = await signInToPortal('mario');
    const problems: string[] = [];
    const check = async (what: string, res: { status: number; text: string; headers: Record<string, string> }) => {
      problems.push(...italian(`${what} (${res.status})`, res));
      if (res.status === 303) problems.push(...italian(`after ${what}`, await mario.get(String(res.headers.location))));
    };
    const multipart = (path: string) => mario.agent.post(path).set('Host', mario.host).field('_csrf', mario.csrfToken);
    await check('portal new ticket blank', await multipart('/portal/tickets').field('title', '').field('description', ''));
    await check('portal new ticket, file too large', await multipart('/portal/tickets').field('title', 'Stampante').field('description', 'Non stampa')
      .attach('attachments', Buffer.alloc(11 * 1024 * 1024, 1), 'grande.bin'));
    let many = multipart('/portal/tickets').field('title', 'Stampante').field('description', 'Non stampa');
    for (let i = 0; i < 12; i++) many = many.attach('attachments', Buffer.from('x'), `f${i}.txt`);
    await check('portal new ticket, too many files', await many);
    await check('portal new ticket', await multipart('/portal/tickets').field('title', 'Stampante').field('description', 'Non stampa'));
    const [ticket] = await sql<{ number: number }>('select number from tickets order by id desc limit 1');
    await check('portal reply blank', await multipart(`/portal/tickets/${ticket.number}/replies`).field('body', ''));
    await check('portal reply', await multipart(`/portal/tickets/${ticket.number}/replies`).field('body', 'Grazie'));
    await check('portal password weak', await mario.post('/portal/account/password', { currentPassword: 'wrong', password: 'abc', passwordConfirmation: 'abd' }));
    await check('portal password weak 2', await mario.post('/portal/account/password', { currentPassword: 'correct horse battery staple', password: 'password123', passwordConfirmation: 'password123' }));
    await check('portal language forged', await mario.post('/portal/account/language', { language: 'xx' }));
    await check('portal 404', await mario.get('/portal/tickets/999999'));
    await check('portal kb home', await mario.get('/portal/kb'));
    await check('portal kb search', await mario.get('/portal/kb/search?q=stampante'));
    await check('portal kb 404', await mario.get('/portal/kb/nessun-articolo'));
    await check('portal kb suggestions', await mario.hx('get', '/portal/kb/suggestions?title=stampante') as never);
    await check('portal csrf', await mario.agent.post('/portal/account/language').set('Host', mario.host).type('form').send({ language: 'it' }) as never);
    expect(problems).to.deep.equal([]);
  });

  it('error pages, sign-in failures and the root host', async () => {
    const problems: string[] = [];
    const bob = await signIn('bob');
    problems.push(...italian('403 admin page for bob', await bob.get('/admin/workspace')));
    problems.push(...italian('404', await bob.get('/no-such-page')));
    problems.push(...italian('csrf refusal', await bob.agent.post('/customers').set('Host', bob.host).type('form').send({ name: 'x' }) as never));
    const bigBody = await bob.agent.post('/customers').set('Host', bob.host).type('form').send({ _csrf: bob.csrfToken, name: 'x'.repeat(2_000_000) });
    problems.push(...italian('413', bigBody as never));
    const anonymous = browserFor('acme');
    await anonymous.get('/login');
    problems.push(...italian('sign-in refused', await anonymous.post('/login', { email: 'alice@acme.test', password: 'wrong' })));
    for (let i = 0; i < 6; i++) await anonymous.post('/login', { email: 'bob@acme.test', password: 'wrong' });
    problems.push(...italian('sign-in too many', await anonymous.post('/login', { email: 'bob@acme.test', password: 'wrong' })));
    problems.push(...italian('unlock bad token', await anonymous.get('/login/unlock/' + 'x'.repeat(43))));
    problems.push(...italian('unlock bad token post', await anonymous.post('/login/unlock/' + 'x'.repeat(43))));
    problems.push(...italian('two-factor without first step', await anonymous.post('/login/two-factor', { code: '123456' })));
    problems.push(...italian('set password bad token', await anonymous.post('/password/' + 'x'.repeat(43), { password: 'abc', passwordConfirmation: 'abc' })));
    const portal = browserFor('acme');
    await portal.get('/portal/login');
    problems.push(...italian('portal sign-in refused', await portal.post('/portal/login', { email: 'mario@rossi.test', password: 'wrong' })));
    problems.push(...italian('portal forgot', await portal.post('/portal/forgot-password', { email: 'not-an-email' })));
    problems.push(...italian('portal forgot ok', await portal.post('/portal/forgot-password', { email: 'mario@rossi.test' })));
    problems.push(...italian('portal reset bad', await portal.post('/portal/reset/' + 'x'.repeat(43), { password: 'abc', passwordConfirmation: 'abc' })));
    problems.push(...italian('technician forgot empty', await anonymous.post('/forgot-password', { email: '' })));
    problems.push(...italian('technician forgot ok', await anonymous.post('/forgot-password', { email: 'alice@acme.test' })));
    for (let i = 0; i < 3; i++) await anonymous.post('/forgot-password', { email: 'alice@acme.test' });
    problems.push(...italian('technician forgot too many', await anonymous.post('/forgot-password', { email: 'alice@acme.test' })));
    await drainJobs();
    problems.push(...italian('technician reset email', { status: 200, text: h().mail.last('alice@acme.test').text }));
    problems.push(...italian('technician reset page', await anonymous.get(new URL(linkIn(h().mail.last('alice@acme.test').text, /\/password\//)).pathname)));
    problems.push(...italian('email change bad token', await anonymous.post('/profile/email/' + 'x'.repeat(43), {})));

    const root = browserFor();
    const it = { 'Accept-Language': 'it-IT,it;q=0.9' };
    await root.get('/signup', it);
    problems.push(...italian('signup refused', await root.post('/signup', { companyName: '', slug: 'A B', edition: 'zz', plan: 'zz', adminName: '', adminEmail: 'x', password: 'abc', language: 'xx' }, it)));
    problems.push(...italian('signup taken', await root.post('/signup', { companyName: 'Acme', slug: 'acme', edition: 'msp', plan: 'pro', adminName: 'A', adminEmail: 'a@a.test', password: 'password', language: 'it' }, it)));
    problems.push(...italian('find refused', await root.post('/find', { slug: '' }, it)));
    problems.push(...italian('find unknown', await root.post('/find', { slug: 'nessuno' }, it)));
    problems.push(...italian('root 404', await root.get('/nowhere', it)));
    const unknown = await root.get('/?lang=xx', it);
    expect(unknown.status).to.equal(200);
    problems.push(...italian('root ?lang=xx', unknown));
    expect(problems).to.deep.equal([]);
  });

  it('answers before a guard runs (refused form, unknown page, refused upload) in a signed-in reader’s own language', async () => {
    await sql("update technicians set language = 'en' where email = 'alice@acme.test'");
    await sql("update contacts set language = 'en' where email = 'mario@rossi.test'");
    const alice = await signIn('alice');
    const problems: string[] = [];
    const refused = await alice.agent.post('/customers').set('Host', alice.host).type('form').send({ name: 'x' });
    expect(refused.status).to.equal(403);
    expect(refused.text).to.contain('This form has expired');
    problems.push(...inEnglish('csrf refusal', refused as never));
    const missing = await alice.get('/no-such-page');
    expect(missing.status).to.equal(404);
    expect(missing.text).to.contain('<html lang="en"');
    problems.push(...inEnglish('404', missing));

    const mario = await signInToPortal('mario');
    const upload = await mario.agent.post('/portal/tickets').set('Host', mario.host).set('X-CSRF-Token', 'wrong').field('title', 'x').attach('attachments', Buffer.from('x'), 'x.txt');
    expect(upload.status).to.equal(403);
    problems.push(...inEnglish('multipart csrf refusal', upload as never));
    problems.push(...inEnglish('portal 404', await mario.get('/portal/no-such-page')));
    expect(problems).to.deep.equal([]);

    // Someone not signed in reads the workspace's language.
    const anonymous = browserFor('acme');
    const theirs = await anonymous.agent.post('/login').set('Host', anonymous.host).type('form').send({ email: 'x@y.test', password: 'x' });
    expect(theirs.text).to.contain('Questo modulo è scaduto');
  });

  it('a link emailed in a reader’s own language opens a page in that language (reset, invitation)', async () => {
    await sql("update contacts set language = 'en' where email = 'mario@rossi.test'");
    const portal = browserFor('acme');
    await portal.get('/portal/forgot-password');
    await portal.post('/portal/forgot-password', { email: 'mario@rossi.test' });
    await drainJobs();
    const reset = new URL(linkIn(h().mail.last('mario@rossi.test').text, /\/portal\/reset\//));
    const page = await portal.get(reset.pathname);
    expect(page.text).to.contain('<html lang="en"');
    const problems = inEnglish('reset page', page);
    const refused = await portal.post(reset.pathname, { password: 'short', confirmation: 'other' });
    expect(refused.status).to.equal(422);
    problems.push(...inEnglish('reset refused', refused));

    const alice = await signIn('alice');
    await alice.post('/admin/technicians', { name: 'Carla Tecnica', email: 'carla@acme.test', role: 'technician' });
    await sql("update technicians set language = 'en' where email = 'carla@acme.test'");
    await drainJobs();
    const invitation = new URL(linkIn(h().mail.last('carla@acme.test').text, /\/password\//));
    const carla = browserFor('acme');
    const set = await carla.get(invitation.pathname);
    expect(set.text).to.contain('<html lang="en"');
    problems.push(...inEnglish('invitation page', set));
    const weak = await carla.post(invitation.pathname, { password: 'short', confirmation: 'other' });
    expect(weak.status).to.equal(422);
    problems.push(...inEnglish('invitation refused', weak));
    expect(problems).to.deep.equal([]);
  });
});
