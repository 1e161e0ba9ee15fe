// A supertest agent that speaks to one host (the root or a tenant's), keeps its
// cookies, and sends the page's CSRF token with every form it posts.
import supertest from 'supertest';
import { h } from './harness.js';
import { contactsData, PASSWORD, people, type ContactName, type PersonName } from './fixtures.js';

export function hostOf(slug?: string): string {
  return slug ? `${slug}.localhost:3000` : 'localhost:3000';
}

export class Browser {
  readonly agent: ReturnType<typeof supertest.agent>;
  csrfToken = '';

  /** `target`: a server's URL (a process of its own); by default the test run's app, in process. */
  constructor(public host: string, target?: string) {
    this.agent = supertest.agent(target ?? h().app);
  }

  /** Points this browser (and its cookies) at another host: the cookie jar is not per host here. */
  at(host: string): this {
    this.host = host;
    return this;
  }

  async get(path: string, headers: Record<string, string> = {}) {
    const res = await this.agent.get(path).set('Host', this.host).set(headers);
    this.remember(res.text);
    return res;
  }

  async post(path: string, form: Record<string, unknown> = {}, headers: Record<string, string> = {}) {
    if (!this.csrfToken) await this.get(path.startsWith('/portal') ? '/portal/login' : '/login');
    const res = await this.agent.post(path).set('Host', this.host).set(headers).type('form').send({ _csrf: this.csrfToken, ...form });
    this.remember(res.text);
    return res;
  }

  /** An htmx request: the token travels in the header, and the answer is a fragment. */
  async hx(method: 'get' | 'post', path: string, form: Record<string, unknown> = {}) {
    const req = this.agent[method](path).set('Host', this.host).set('HX-Request', 'true').set('X-CSRF-Token', this.csrfToken);
    const res = method === 'post' ? await req.type('form').send(form) : await req;
    this.remember(res.text);
    return res;
  }

  private remember(html: string | undefined): void {
    const match = html?.match(/name="_csrf" value="([^"]+)"/) ?? html?.match(/"X-CSRF-Token":"([^"]+)"/);
    if (match) this.csrfToken = match[1];
  }
}

export function browserFor(slug?: string, target?: string): Browser {
  return new Browser(hostOf(slug), target);
}

/** Signs a fixture technician in on their tenant's host. */
export async function signIn(who: PersonName, password = PASSWORD, target?: string): Promise<Browser> {
  const person = people[who];
  const browser = browserFor(person.tenant, target);
  await browser.get('/login');
  const res = await browser.post('/login', { email: person.email, password });
  if (res.status !== 303) throw new Error(`signIn(${who}) failed with ${res.status}`);
  await browser.get('/');
  return browser;
}

/** Signs a fixture contact in to their tenant's portal. */
export async function signInToPortal(who: ContactName, password = PASSWORD, target?: string): Promise<Browser> {
  const person = contactsData[who];
  const browser = browserFor(person.tenant, target);
  await browser.get('/portal/login');
  const res = await browser.post('/portal/login', { email: person.email, password });
  if (res.status !== 303) throw new Error(`signInToPortal(${who}) failed with ${res.status}`);
  await browser.get('/portal/account');
  return browser;
}
