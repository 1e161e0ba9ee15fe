// A NUL character cannot be stored in PostgreSQL text: a form field, query string or
// address holding one used to reach the database and end as a 500 with the SQL in
// the log. It is refused where input is parsed, with a 422, on every route.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { hasNul } from '../../src/web/middleware/nul.js';
import { rootRoutes, tenantRoutes, type Route } from '../../src/web/routes.js';
import { makeTicket } from '../support/records.js';
import { browserFor, h, loadFixtures, signIn, signInToPortal, sql, type Browser, type Fixtures } from '../support/index.js';

const NUL = 'a\u0000b';

/** Every field name a view's form sends (inputs, and the field partials' names), so a new field is covered too. */
function formFieldNames(): string[] {
  const names = new Set<string>(['q', 'page', 'next', 'token', 'status', 'customer', 'contact', 'quickReply']);
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const file = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(file);
      else if (file.endsWith('.ejs')) {
        const source = readFileSync(file, 'utf8');
        for (const m of source.matchAll(/name="([A-Za-z][\w]*)"/g)) names.add(m[1]);
        for (const m of source.matchAll(/name: '([A-Za-z][\w]*)'/g)) names.add(m[1]);
      }
    }
  };
  walk(path.resolve('views'));
  for (const meta of ['viewport', 'htmx-config']) names.delete(meta);
  return [...names].sort();
}

describe('Security: NUL characters in input', function () {
  // Every route × every form field name: it grows with both (the OAuth mailboxes added 6 routes and 6 fields; 179 s on a loaded 2-core machine).
  this.timeout(360_000);
  let fx: Fixtures;
  beforeEach(async () => {
    fx = await loadFixtures();
  });

  it('hasNul finds a NUL in a string, an array or a nested object, and nowhere else', () => {
    expect(hasNul('plain')).to.equal(false);
    expect(hasNul(NUL)).to.equal(true);
    expect(hasNul({ a: ['x', { b: NUL }] })).to.equal(true);
    expect(hasNul({ [NUL]: 'x' })).to.equal(true);
    expect(hasNul({ a: ['x', 1, null, undefined, true] })).to.equal(false);
  });

  it('refuses a NUL in a search, a sign-in email and a ticket title with a 422 that says why, and logs no SQL', async () => {
    const alice = await signIn('alice');
    const search = await alice.get('/customers?q=a%00b');
    expect(search.status).to.equal(422);
    expect(search.text).to.contain('NUL');
    const login = await browserFor('acme').post('/login', { email: `alice${NUL}@acme.test`, password: 'x' });
    expect(login.status).to.equal(422);
    const title = await alice.post('/tickets', { contact: fx.contacts.mario.id, title: NUL, priority: 'medium', type: 'question' });
    expect(title.status).to.equal(422);
    expect(await sql('select id from tickets')).to.have.length(0);
    expect(h().logs.join('')).not.to.match(/request failed|insert into|select /i);
  });

  it('answers every route of the route table with a NUL in each field, the query or the address with 422, never 500', async () => {
    await makeTicket(fx.acme, fx.customers['Rossi Impianti'].id, fx.contacts.mario.id, 1001);
    const [template] = await sql<{ id: number }>('select id from email_templates where tenant_id = $1 limit 1', [fx.acme.id]);
    const [quickReply] = await sql<{ id: number }>('select id from quick_replies where tenant_id = $1 limit 1', [fx.acme.id]);
    const idFor = (p: string) => p.startsWith('/customers') ? fx.customers['Rossi Impianti'].id
      : p.startsWith('/contacts') ? fx.contacts.mario.id
        : p.startsWith('/admin/email-templates') ? template.id
          : p.startsWith('/admin/quick-replies') ? quickReply.id : 1;
    const fill = (p: string, nulIn?: string) => p.replace(/:(\w+)/g, (_m, name: string) => (name === nulIn ? 'a%00b'
      : name === 'number' ? '1001' : name === 'token' ? 'some-token' : String(idFor(p))));

    const alice = await signIn('alice');
    const mario = await signInToPortal('mario');
    const anonymous = { root: browserFor(), tenant: browserFor('acme') };
    const fields = formFieldNames();
    expect(fields).to.include.members(['title', 'email', 'password', 'name', 'body', 'firstName', 'companyName']);
    const auditBefore = await sql('select id from audit_events order by id');

    const answers: string[] = [];
    const check = async (browser: Browser, route: Route, send: () => Promise<{ status: number }>, what: string) => {
      const res = await send();
      if (res.status !== 422) answers.push(`${route.method.toUpperCase()} ${route.path} with ${what}: ${res.status}`);
    };
    const all: Array<[Route, 'root' | 'tenant']> = [...rootRoutes.map((r) => [r, 'root'] as [Route, 'root']), ...tenantRoutes.map((r) => [r, 'tenant'] as [Route, 'tenant'])];
    for (const [route, host] of all) {
      const browser = host === 'root' ? anonymous.root : route.path.startsWith('/portal') ? mario : host === 'tenant' && /^\/(login|password|session|portal\/(login|forgot|reset))/.test(route.path) ? anonymous.tenant : alice;
      const url = fill(route.path);
      const query = fields.map((f) => `${f}=a%00b`).join('&');
      if (route.method === 'get') {
        await check(browser, route, () => browser.get(`${url}?${query}`), 'every query parameter');
        for (const f of fields) await check(browser, route, () => browser.get(`${url}?${f}=a%00b`), `?${f}`);
      } else {
        for (const f of fields) await check(browser, route, () => browser.post(url, { [f]: NUL }), `field ${f}`);
        await check(browser, route, () => browser.post(`${url}?q=a%00b`, {}), 'the query');
      }
      for (const param of route.path.match(/:(\w+)/g)?.map((p) => p.slice(1)) ?? []) {
        const withNul = fill(route.path, param);
        await check(browser, route, () => (route.method === 'get' ? browser.get(withNul) : browser.post(withNul, {})), `:${param}`);
      }
    }
    expect(answers, answers.join('\n')).to.deep.equal([]);
    expect(h().logs.join('')).not.to.contain('request failed');
    expect(await sql('select id from audit_events order by id')).to.deep.equal(auditBefore);
    // Still signed in and working.
    expect((await alice.get('/customers')).status).to.equal(200);
  });
});
