// Every page of the route table, in both languages and both editions: the page says its
// language (<html lang>), shows no catalogue key names, and no words of the other
// language's catalogue leak onto it (an Italian page with an English label left over).
import { expect } from 'chai';
import { signUp } from '../../src/domain/tenant/signup.js';
import type { Language } from '../../src/i18n/languages.js';
import { hashPassword } from '../../src/lib/passwords.js';
import { rootRoutes, tenantRoutes } from '../../src/web/routes.js';
import { browserFor, PASSWORD, sql, type Browser } from '../support/index.js';
import { problemsOn, telltales } from '../support/leaks.js';

/** Pages that need someone not signed in. */
const OPEN = [/^\/login/, /^\/password\//, /^\/forgot-password/, /^\/session\//, /^\/portal\/login/, /^\/portal\/forgot-password/, /^\/portal\/reset\//];

interface Workspace { slug: string; ticket: number; ids: Record<string, number> }

async function workspace(slug: string, edition: 'msp' | 'it', language: Language): Promise<Workspace> {
  const { tenant } = await signUp({ companyName: 'Officina Bruni', slug, edition, plan: 'enterprise', adminName: 'Anna Neri', adminEmail: `anna@${slug}.test`, password: PASSWORD, language });
  const id = tenant.id;
  const hash = await hashPassword(PASSWORD);
  const [customer] = await sql<{ id: number }>(`insert into customers (tenant_id, name) values ($1, 'Ferramenta Gialli') returning id`, [id]);
  const [contact] = await sql<{ id: number }>(`insert into contacts (tenant_id, customer_id, email, first_name, last_name, portal_access, is_main, password_hash)
    values ($1, $2, 'giulia@gialli.test', 'Giulia', 'Gialli', true, true, $3) returning id`, [id, customer.id, hash]);
  const [ticket] = await sql<{ id: number; number: number }>(`insert into tickets (tenant_id, number, title, customer_id, contact_id) values ($1, 1001, 'Stampante Xerox 42', $2, $3) returning id, number`, [id, customer.id, contact.id]);
  await sql('update tenants set next_ticket_number = 1002 where id = $1', [id]);
  const [message] = await sql<{ id: number }>(`insert into ticket_messages (tenant_id, ticket_id, author_kind, author_contact_id, body) values ($1, $2, 'contact', $3, 'Xerox 42 XYZ') returning id`, [id, ticket.id, contact.id]);
  await sql(`insert into ticket_events (tenant_id, ticket_id, actor_kind, field, to_value) values ($1, $2, 'system', 'status', 'open')`, [id, ticket.id]);
  const [attachment] = await sql<{ id: number }>(`insert into attachments (tenant_id, ticket_id, message_id, file_name, content_type, size, data) values ($1, $2, $3, 'xyz.txt', 'text/plain', 3, 'xyz') returning id`, [id, ticket.id, message.id]);
  const [mail] = await sql<{ id: number }>(`insert into outbound_emails (tenant_id, to_address, subject, text_body, kind, status) values ($1, 'giulia@gialli.test', 'Xerox 42', 'XYZ', 'ticket_reply', 'sent') returning id`, [id]);
  const [mailbox] = await sql<{ id: number }>(`insert into mailboxes (tenant_id, address, host, port, tls, username, password_sealed, password_key_version)
    values ($1, 'aiuto@bruni.test', 'imap.bruni.test', 993, 'tls', 'aiuto', 'x', 1) returning id`, [id]);
  const [inbound] = await sql<{ id: number }>(`insert into inbound_messages (tenant_id, mailbox_id, message_key, subject, outcome, raw) values ($1, $2, '<x@bruni.test>', 'Xerox 42', 'rejected_unknown_sender', 'XYZ') returning id`, [id, mailbox.id]);
  const [technician] = await sql<{ id: number }>('select id from technicians where tenant_id = $1', [id]);
  const [template] = await sql<{ id: number }>('select id from email_templates where tenant_id = $1 order by id limit 1', [id]);
  const [quickReply] = await sql<{ id: number }>('select id from quick_replies where tenant_id = $1 order by id limit 1', [id]);
  const [rule] = await sql<{ id: number }>(`insert into ticket_rules (tenant_id, position, name, trigger, active) values ($1, 100, 'Xerox 42', 'ticket_created', true) returning id`, [id]);
  const [condition] = await sql<{ id: number }>(`insert into ticket_rule_conditions (tenant_id, rule_id, property, operator, value) values ($1, $2, 'priority', 'is_one_of', '["high"]') returning id`, [id, rule.id]);
  const [ruleAction] = await sql<{ id: number }>(`insert into ticket_rule_actions (tenant_id, rule_id, kind, template_id) values ($1, $2, 'email_contact', $3) returning id`, [id, rule.id, template.id]);
  await sql(`insert into ticket_rule_runs (tenant_id, rule_id, ticket_id, event, outcome, actions) values ($1, $2, $3, 'ticket.created', 'partly_applied', $4)`,
    [id, rule.id, ticket.id, JSON.stringify([{ kind: 'email_contact', result: 'applied' }, { kind: 'set_status', result: 'skipped', reason: 'ruleEngine.reason.overridden', params: { rule: 'Xerox 42' } }])]);
  const [kbCategory] = await sql<{ id: number }>(`insert into kb_categories (tenant_id, name) values ($1, 'Stampanti Xerox') returning id`, [id]);
  const [kbArticle] = await sql<{ id: number }>(`insert into kb_articles (tenant_id, category_id, title, slug, body, body_html, body_text, status, language) values ($1, $2, 'Xerox 42', 'xerox-42', 'XYZ', '<p>XYZ</p>', 'XYZ', 'published', $3) returning id`, [id, kbCategory.id, language]);
  const [kbImage] = await sql<{ id: number }>(`insert into kb_images (tenant_id, article_id, file_name, content_type, size, data) values ($1, $2, 'xerox.png', 'image/png', 3, 'xyz') returning id`, [id, kbArticle.id]);
  const [upload] = await sql<{ id: number }>(`insert into imports (tenant_id, file_name, content, encoding, delimiter, headers, row_count, mapping)
    values ($1, 'gialli.csv', 'Email\r\ngiulia2@gialli.test\r\n', 'utf-8', ',', '["Email"]', 1, '{"email":0}') returning id`, [id]);
  const [entra] = await sql<{ id: number }>(`insert into entra_connections (tenant_id, customer_id, directory_id, client_id, secret_sealed, secret_key_version, last_test_problem)
    values ($1, $2, '11111111-2222-3333-4444-555555555555', 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee', 'x', 1, 'noPermission') returning id`, [id, customer.id]);
  return {
    slug, ticket: ticket.number,
    ids: { customers: customer.id, contacts: contact.id, technicians: technician.id, 'email-templates': template.id, 'quick-replies': quickReply.id,
      'mail-log': mail.id, mailboxes: mailbox.id, 'incoming-mail': inbound.id, attachments: attachment.id, rules: rule.id, conditions: condition.id, actions: ruleAction.id,
      categories: kbCategory.id, articles: kbArticle.id, images: kbImage.id, imports: upload.id, entra: entra.id },
  };
}

function pathFor(routePath: string, w: Workspace): string {
  return routePath
    .replace(':number', String(w.ticket))
    .replace(':token', 'x'.repeat(43))
    .replace(':conditionId', String(w.ids.conditions)).replace(':actionId', String(w.ids.actions))
    .replace(':slug', 'xerox-42')
    .replace(':provider', 'microsoft')
    .replace(/\/([\w-]+)\/:id/g, (_m, resource: string) => `/${resource}/${w.ids[resource] ?? 0}`);
}

async function pages(browserFor: (path: string) => Browser, paths: string[]): Promise<Array<{ path: string; status: number; html: string }>> {
  const out = [];
  for (const path of paths) {
    const res = await browserFor(path).get(path);
    if (!String(res.headers['content-type'] ?? '').startsWith('text/html')) continue;
    out.push({ path, status: res.status, html: res.text });
  }
  return out;
}

describe('Every page in both languages', function () {
  this.timeout(180_000);

  for (const edition of ['msp', 'it'] as const) {
    for (const lang of ['it', 'en'] as const) {
      it(`${edition === 'msp' ? 'an MSP' : 'an Internal IT'} workspace in ${lang === 'it' ? 'Italian' : 'English'}: the right <html lang>, no key names, no words of the other language`, async () => {
        const w = await workspace(`pagine-${edition}-${lang}`, edition, lang);
        const leaks = telltales(lang === 'it' ? 'en' : 'it');

        const technician = browserFor(w.slug);
        await technician.get('/login');
        expect((await technician.post('/login', { email: `anna@${w.slug}.test`, password: PASSWORD })).status).to.equal(303);
        const contact = browserFor(w.slug);
        await contact.get('/portal/login');
        expect((await contact.post('/portal/login', { email: 'giulia@gialli.test', password: PASSWORD })).status).to.equal(303);
        const anonymous = browserFor(w.slug);
        const who = (path: string) => (OPEN.some((re) => re.test(path)) ? anonymous : path.startsWith('/portal') ? contact : technician);

        const paths = tenantRoutes.filter((r) => r.method === 'get').map((r) => pathFor(r.path, w));
        const seen = await pages(who, [...paths, '/no-such-page', '/portal/no-such-page', `/tickets/99999`,
          // The ticket list's other views, sorted and searched (a bare /tickets is My open tickets, empty here).
          '/tickets?view=all', '/tickets?view=resolved', '/tickets?view=open&sort=priority&dir=asc', '/tickets?view=all&q=stampante']);
        expect(seen.filter((p) => p.status === 200).length, 'pages rendered').to.be.greaterThan(40);
        const problems = seen.flatMap((page) => problemsOn(page, lang, leaks));

        // The root host, asked in this language by the browser.
        const root = browserFor();
        for (const route of rootRoutes.filter((r) => r.method === 'get')) {
          const res = await root.get(route.path, { 'Accept-Language': lang === 'it' ? 'it-IT,it;q=0.9,en;q=0.5' : 'en-GB,en;q=0.9' });
          problems.push(...problemsOn({ path: `root ${route.path}`, status: res.status, html: res.text }, lang, leaks));
        }
        expect(problems).to.deep.equal([]);
      });
    }
  }
});
