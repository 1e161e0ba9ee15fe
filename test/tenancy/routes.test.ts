// Walks the router's own route table: every tenant route that takes a record id
// or a ticket number is requested, signed in on acme, with globex's values. Each
// answer must be the 404 page, and the database must not change.
import { expect } from 'chai';
import { tenantRoutes } from '../../src/web/routes.js';
import { loadFixtures, signIn, signInToPortal, sql, type Browser } from '../support/index.js';

const HIGH = 100_000;

/** Schedules the worker reads without a tenant: ids and times only, no tenant data, no RLS. */
const SCHEDULES = ['entra_sync_schedules', 'mailbox_polls', 'outbox_schedule', 'ticket_rule_tenants'];

/** Tables that belong to a tenant (they have tenant_id), each under row-level security. */
async function tenantTables(): Promise<string[]> {
  const rows = await sql<{ table_name: string; rls: boolean }>(
    `select c.table_name, t.relrowsecurity and t.relforcerowsecurity as rls from information_schema.columns c
       join pg_class t on t.relname = c.table_name and t.relnamespace = 'public'::regnamespace
      where c.table_schema = 'public' and c.column_name = 'tenant_id' order by c.table_name`);
  expect(rows.filter((r) => !r.rls).map((r) => r.table_name), 'tables with tenant_id but no forced row-level security').to.deep.equal(SCHEDULES);
  return rows.filter((r) => r.rls).map((r) => r.table_name);
}

/** Gives globex a record in every tenant table, with ids no acme record has (≥ HIGH). */
async function seedGlobexEverywhere(globexId: number): Promise<void> {
  for (const table of await tenantTables()) await sql(`select setval('${table}_id_seq', ${HIGH})`);
  await sql(`update tenants set next_ticket_number = 5001 where id = $1`, [globexId]);
  const [customer] = await sql<{ id: number }>(`insert into customers (tenant_id, name) values ($1, 'Globex Customer') returning id`, [globexId]);
  const [contact] = await sql<{ id: number }>(`insert into contacts (tenant_id, customer_id, email, first_name, portal_access) values ($1, $2, 'marge@springfield.test', 'Marge', true) returning id`, [globexId, customer.id]);
  await sql(`insert into customer_domains (tenant_id, customer_id, domain) values ($1, $2, 'springfield.test')`, [globexId, customer.id]);
  await sql(`insert into public_mail_domains (tenant_id, domain) values ($1, 'globex-secret-mail.test')`, [globexId]);
  const [ticket] = await sql<{ id: number }>(`insert into tickets (tenant_id, number, title, customer_id, contact_id) values ($1, 5001, 'Globex secret ticket', $2, $3) returning id`, [globexId, customer.id, contact.id]);
  const [message] = await sql<{ id: number }>(`insert into ticket_messages (tenant_id, ticket_id, author_kind, author_contact_id, body) values ($1, $2, 'contact', $3, 'Globex secret body') returning id`, [globexId, ticket.id, contact.id]);
  await sql(`insert into ticket_events (tenant_id, ticket_id, actor_kind, field, to_value) values ($1, $2, 'system', 'status', 'open')`, [globexId, ticket.id]);
  await sql(`insert into attachments (tenant_id, ticket_id, message_id, file_name, content_type, size, data) values ($1, $2, $3, 'secret.txt', 'text/plain', 6, 'secret')`, [globexId, ticket.id, message.id]);
  await sql(`insert into outbound_emails (tenant_id, to_address, subject, text_body, kind, status) values ($1, 'marge@springfield.test', 'Globex secret mail', 'secret', 'test', 'sent')`, [globexId]);
  await sql(`insert into audit_events (tenant_id, actor_kind, action, subject_type, subject_id) values ($1, 'system', 'test', 'contact', $2)`, [globexId, contact.id]);
  await sql(`insert into password_tokens (tenant_id, contact_id, purpose, token_hash, expires_at) values ($1, $2, 'reset', md5('x') || md5('y'), now() + interval '1 hour')`, [globexId, contact.id]);
  const [hidden] = await sql<{ id: number }>(`insert into technicians (tenant_id, email, name, role) values ($1, 'hidden@globex.test', 'Hidden Globex Tech', 'technician') returning id`, [globexId]);
  await sql(`insert into technician_second_factors (tenant_id, technician_id, secret_ciphertext, key_version, confirmed_at) values ($1, $2, 'sealed', 1, now())`, [globexId, hidden.id]);
  await sql(`insert into technician_recovery_codes (tenant_id, technician_id, code_hash) values ($1, $2, md5('a') || md5('b'))`, [globexId, hidden.id]);
  await sql(`insert into email_templates (tenant_id, name, subject, body) values ($1, 'Globex secret template', 'Globex secret subject', 'Globex secret body')`, [globexId]);
  await sql(`insert into quick_replies (tenant_id, name, body) values ($1, 'Globex secret reply', 'Globex secret body')`, [globexId]);
  const [mailbox] = await sql<{ id: number }>(`insert into mailboxes (tenant_id, address, host, port, tls, username, password_sealed, password_key_version)
    values ($1, 'secret@globex.test', 'imap.globex.test', 993, 'tls', 'Globex secret user', 'x', 1) returning id`, [globexId]);
  await sql(`insert into inbound_messages (tenant_id, mailbox_id, message_key, subject, outcome, raw) values ($1, $2, '<globex@globex.test>', 'Globex secret mail', 'rejected_unknown_sender', 'Globex secret body')`, [globexId, mailbox.id]);
  await sql(`insert into mailbox_oauth_apps (tenant_id, provider, client_id, client_secret_sealed, key_version, token_url) values ($1, 'microsoft', 'globex-secret-client', 'sealed', 1, 'https://globex-secret.test/token')`, [globexId]);
  const [template] = await sql<{ id: number }>(`select id from email_templates where tenant_id = $1 and name = 'Globex secret template'`, [globexId]);
  const [rule] = await sql<{ id: number }>(`insert into ticket_rules (tenant_id, position, name, trigger) values ($1, 1, 'Globex secret rule', 'ticket_created') returning id`, [globexId]);
  await sql(`insert into ticket_rule_conditions (tenant_id, rule_id, property, operator, value) values ($1, $2, 'title', 'equals', '"Globex secret"')`, [globexId, rule.id]);
  await sql(`insert into ticket_rule_actions (tenant_id, rule_id, kind, template_id, technician_id) values ($1, $2, 'email_contact', $3, $4)`, [globexId, rule.id, template.id, hidden.id]);
  await sql(`insert into ticket_rule_events (tenant_id, ticket_id, type) values ($1, $2, 'ticket.created')`, [globexId, ticket.id]);
  await sql(`insert into ticket_rule_runs (tenant_id, rule_id, ticket_id, event, outcome) values ($1, $2, $3, 'ticket.created', 'applied')`, [globexId, rule.id, ticket.id]);
  await sql(`insert into ticket_rule_sends (tenant_id, rule_id, recipient) values ($1, $2, 'marge@springfield.test')`, [globexId, rule.id]);
  await sql(`insert into ticket_rule_misses (tenant_id, ticket_id, event, rule_ids) values ($1, $2, 'ticket.created', array[$3::int])`, [globexId, ticket.id, rule.id]);
  await sql(`insert into notification_sends (tenant_id, kind, event_key, recipient) values ($1, 'ticket_received', 'ticket:' || $2, 'marge@springfield.test')`, [globexId, ticket.id]);
  await sql(`insert into technician_notification_choices (tenant_id, technician_id, kind) values ($1, $2, 'new_ticket')`, [globexId, hidden.id]);
  await sql(`insert into undeliverable_addresses (tenant_id, address, until) values ($1, 'marge@springfield.test', now() + interval '1 day')`, [globexId]);
  const [kbCategory] = await sql<{ id: number }>(`insert into kb_categories (tenant_id, name) values ($1, 'Globex secret category') returning id`, [globexId]);
  const [kbArticle] = await sql<{ id: number }>(`insert into kb_articles (tenant_id, category_id, title, slug, body_text, status, language) values ($1, $2, 'Globex secret article', 'globex-secret', 'Globex secret body', 'published', 'en') returning id`, [globexId, kbCategory.id]);
  await sql(`insert into kb_article_customers (tenant_id, article_id, customer_id) values ($1, $2, $3)`, [globexId, kbArticle.id, customer.id]);
  await sql(`insert into kb_article_slugs (tenant_id, article_id, slug) values ($1, $2, 'globex-old-secret')`, [globexId, kbArticle.id]);
  await sql(`insert into kb_images (tenant_id, article_id, file_name, content_type, size, data) values ($1, $2, 'secret.png', 'image/png', 6, 'secret')`, [globexId, kbArticle.id]);
  await sql(`insert into kb_votes (tenant_id, article_id, voter, helpful) values ($1, $2, 'browser:x', true)`, [globexId, kbArticle.id]);
  await sql(`insert into kb_suggestion_opens (tenant_id, article_id, contact_id) values ($1, $2, $3)`, [globexId, kbArticle.id, contact.id]);
  const [upload] = await sql<{ id: number }>(`insert into imports (tenant_id, file_name, content, encoding, delimiter, headers, row_count, status)
    values ($1, 'globex-secret.csv', 'Email\r\nmarge@springfield.test\r\n', 'utf-8', ',', '["Email"]', 1, 'running') returning id`, [globexId]);
  await sql(`insert into import_outcome_batches (tenant_id, import_id, first_line, last_line, lines, emails, outcomes, reasons, failed) values ($1, $2, 2, 2, '{2}', '{marge@springfield.test}', '{created}', '{NULL}', 0)`, [globexId, upload.id]);
  const [entra] = await sql<{ id: number }>(`insert into entra_connections (tenant_id, customer_id, directory_id, client_id, secret_sealed, secret_key_version, delta_link, daily_sync)
    values ($1, $2, '11111111-2222-3333-4444-555555555555', 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee', 'Globex secret sealed', 1, 'https://graph.test/v1.0/users/delta?$deltatoken=globex', true) returning id`, [globexId, customer.id]);
  await sql(`insert into entra_users (tenant_id, connection_id, user_id, email) values ($1, $2, '00000000-0000-0000-0000-000000000001', 'marge@springfield.test')`, [globexId, entra.id]);
  await sql(`insert into entra_sync_schedules (tenant_id, connection_id, next_sync_at) values ($1, $2, now() + interval '1 day')`, [globexId, entra.id]);
  // One settings row per tenant: move globex's to a probe id.
  await sql(`update email_settings set id = nextval('email_settings_id_seq') where tenant_id = $1`, [globexId]);
  // Its notification settings are made at signup too: one moves to a probe id.
  await sql(`update notification_settings set id = nextval('notification_settings_id_seq') where tenant_id = $1 and kind = 'new_ticket'`, [globexId]);
}

async function snapshot(): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const table of [...(await tenantTables()), 'tenants']) {
    const [row] = await sql<{ digest: string }>(`select md5(coalesce(string_agg(t::text, '|' order by t::text), '')) as digest from ${table} t`);
    out[table] = row.digest;
  }
  return out;
}

describe('Tenant isolation across the route table', function () {
  // Every id-taking route × every globex probe id: it grows with both (the knowledge base added 8 routes and 7 tables).
  this.timeout(400_000);

  it('answers 404 for every route given globex ids or ticket numbers, and changes nothing', async () => {
    const fx = await loadFixtures();
    await seedGlobexEverywhere(fx.globex.id);

    // Every tenant table has a globex record to probe with — a new table must be seeded above.
    for (const table of await tenantTables()) {
      const [row] = await sql<{ n: number }>(`select count(*)::int as n from ${table} where tenant_id = $1 and id > ${HIGH}`, [fx.globex.id]);
      expect(row.n, `globex has no probe record in ${table}`).to.be.greaterThan(0);
    }
    const ids: number[] = [];
    for (const table of await tenantTables()) {
      for (const r of await sql<{ id: number }>(`select id from ${table} where tenant_id = $1 and id > ${HIGH}`, [fx.globex.id])) ids.push(r.id);
    }
    const numbers = (await sql<{ number: number }>('select number from tickets where tenant_id = $1', [fx.globex.id])).map((r) => r.number);
    expect(numbers).to.deep.equal([5001]);

    const technician = await signIn('alice');
    const contact = await signInToPortal('mario');
    const before = await snapshot();

    const probed: string[] = [];
    for (const route of tenantRoutes) {
      const params = route.path.match(/:(\w+)/g)?.map((p) => p.slice(1)) ?? [];
      const probeable = params.filter((p) => p === 'number' || /id$/i.test(p));
      if (probeable.length === 0) continue;
      const browser: Browser = route.path.startsWith('/portal') ? contact : technician;
      const page = route.path.startsWith('/portal') ? '/portal/account' : '/';
      const values = (name: string) => (name === 'number' ? numbers : ids);
      // One value per probe: each id-like parameter takes each globex value in turn.
      const candidates = probeable.flatMap((p) => values(p).map((v) => ({ [p]: v } as Record<string, number>)));
      for (const candidate of candidates) {
        let path = route.path;
        for (const p of params) path = path.replace(`:${p}`, String(candidate[p] ?? values(p)[0]));
        await browser.get(page); // a fresh CSRF token, as a user would have
        const res = route.method === 'get' ? await browser.get(path) : await browser.post(path, {});
        expect(res.status, `${route.method.toUpperCase()} ${path} answered ${res.status}`).to.equal(404);
        expect(res.text).not.to.match(/Globex secret|globex-secret|marge@springfield|Hidden Globex/);
        probed.push(`${route.method} ${route.path}`);
      }
    }
    expect(probed.length).to.be.greaterThan(0);
    expect(await snapshot()).to.deep.equal(before);
  });
});
