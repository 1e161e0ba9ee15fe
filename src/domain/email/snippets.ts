// `{[Snippet Name]}` placeholders in email templates and quick replies. Names come
// in the product's words and, for an IT department, in its own words too (derived
// from the terms table: {[User First Name]}, {[Site Name]}). Plain values are
// resolved when the email is queued; the two credential snippets become markers
// that only the send job mints (credentials.ts).
//
// A marker is a token, not text: it is wrapped in Unicode noncharacters (reserved
// for a program's internal use), and the renderer strips those from every value and
// from the template's own text. So no value — nor any join of values and text, such
// as a title ending in "{" before a description starting with "[Portal Password]}" —
// can ever spell a marker; only a credential snippet the template names becomes one.
import { fullName, type Contact } from '../contact/contact.js';
import { escapeHtml } from '../../lib/html.js';
import type { Technician } from '../technician/technician.js';
import type { Tenant } from '../tenant/tenant.js';
import { termsFor, type Edition, type Terms } from '../tenant/terms.js';
import type { Ticket } from '../ticket/ticket.js';
import { tenantUrl } from '../../lib/urls.js';

const TOKEN_OPEN = '\uFDD0';
const TOKEN_CLOSE = '\uFDD1';
const TOKEN_CHARS = /[\uFDD0-\uFDEF]/g;

/** A credential marker: a token no text can hold (see `plain`). */
export const markerToken = (name: string) => `${TOKEN_OPEN}${name}${TOKEN_CLOSE}`;

/** Text with the marker delimiters removed: what every value and template text becomes before it joins a body. */
export const plain = (text: string) => text.replace(TOKEN_CHARS, '');

export const PORTAL_PASSWORD = markerToken('portal-password');
export const PORTAL_PASSWORD_LINK = markerToken('portal-password-link');

export interface SnippetContext {
  tenant: Tenant;
  /** With its customer loaded. */
  contact?: Contact | null;
  ticket?: Ticket | null;
  technician?: Technician | null;
}

interface Snippet {
  key: string;
  group: string;
  name: (t: Terms) => string;
  value?: (ctx: SnippetContext) => string;
  /** A credential: stays a marker until the send job mints it. */
  marker?: string;
  link?: boolean;
}

const capital = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

export const SNIPPETS: Snippet[] = [
  { key: 'portal.address', group: 'Portal', name: () => 'Portal Address', link: true, value: (c) => tenantUrl(c.tenant.slug, '/portal') },
  { key: 'portal.username', group: 'Portal', name: () => 'Portal Username', value: (c) => c.contact?.email ?? '' },
  { key: 'portal.password', group: 'Portal', name: () => 'Portal Password', marker: PORTAL_PASSWORD },
  { key: 'portal.passwordLink', group: 'Portal', name: () => 'Portal Password Link', marker: PORTAL_PASSWORD_LINK, link: true },
  { key: 'contact.firstName', group: 'contact', name: (t) => `${t.contact} First Name`, value: (c) => c.contact?.firstName ?? '' },
  { key: 'contact.lastName', group: 'contact', name: (t) => `${t.contact} Last Name`, value: (c) => c.contact?.lastName ?? '' },
  { key: 'contact.fullName', group: 'contact', name: (t) => `${t.contact} Full Name`, value: (c) => (c.contact ? fullName(c.contact) : '') },
  { key: 'contact.email', group: 'contact', name: (t) => `${t.contact} Email`, value: (c) => c.contact?.email ?? '' },
  { key: 'customer.name', group: 'customer', name: (t) => `${t.customer} Name`, value: (c) => c.ticket?.customer?.name ?? c.contact?.customer?.name ?? '' },
  { key: 'ticket.number', group: 'Ticket', name: () => 'Ticket Number', value: (c) => (c.ticket ? String(c.ticket.number) : '') },
  { key: 'ticket.title', group: 'Ticket', name: () => 'Ticket Title', value: (c) => c.ticket?.title ?? '' },
  { key: 'ticket.status', group: 'Ticket', name: () => 'Ticket Status', value: (c) => (c.ticket ? capital(c.ticket.status) : '') },
  { key: 'ticket.priority', group: 'Ticket', name: () => 'Ticket Priority', value: (c) => (c.ticket ? capital(c.ticket.priority) : '') },
  { key: 'ticket.description', group: 'Ticket', name: () => 'Ticket Description', value: (c) => c.ticket?.description ?? '' },
  { key: 'ticket.portalLink', group: 'Ticket', name: () => 'Ticket Portal Link', link: true, value: (c) => (c.ticket ? tenantUrl(c.tenant.slug, `/portal/tickets/${c.ticket.number}`) : '') },
  { key: 'technician.name', group: 'Technician', name: () => 'Technician Name', value: (c) => c.technician?.name ?? '' },
  { key: 'technician.email', group: 'Technician', name: () => 'Technician Email', value: (c) => c.technician?.email ?? '' },
  { key: 'company.name', group: 'Company', name: () => 'Company Name', value: (c) => c.tenant.name },
];

const byKey = new Map(SNIPPETS.map((s) => [s.key, s]));

/** `{[ Name ]}`: any text without brackets or braces, at most 80 characters. */
const PATTERN = /\{\[\s*([^{}[\]\n]{1,80}?)\s*\]\}/g;

const normal = (name: string) => name.toLowerCase().replace(/\s+/g, ' ').trim();

/** The base (product) words are always accepted; an edition's own words are added to them. */
function lookupFor(edition: Edition): Map<string, Snippet> {
  const map = new Map<string, Snippet>();
  for (const terms of [termsFor('msp'), termsFor(edition)]) {
    for (const s of SNIPPETS) map.set(normal(s.name(terms)), s);
  }
  return map;
}

/** The snippet names to offer a tenant, grouped, in its own words. */
export function snippetMenu(edition: Edition): Array<{ group: string; names: string[] }> {
  const terms = termsFor(edition);
  const groups: Array<{ group: string; names: string[] }> = [];
  for (const s of SNIPPETS) {
    const group = s.group === 'contact' ? terms.contact : s.group === 'customer' ? terms.customer : s.group;
    let entry = groups.find((g) => g.group === group);
    if (!entry) groups.push(entry = { group, names: [] });
    entry.names.push(s.name(terms));
  }
  return groups;
}

export function snippetName(key: string, edition: Edition): string {
  return byKey.get(key)!.name(termsFor(edition));
}

export function snippetPlaceholder(key: string, edition: Edition): string {
  return `{[${snippetName(key, edition)}]}`;
}

/** The names in `text` that are not snippets, as written (empty when all are known). */
export function unknownSnippets(text: string, edition: Edition): string[] {
  const known = lookupFor(edition);
  const unknown = new Set<string>();
  for (const match of text.matchAll(PATTERN)) if (!known.has(normal(match[1]))) unknown.add(match[1].trim());
  return [...unknown];
}

export function usesCredentials(text: string, edition: Edition): boolean {
  const known = lookupFor(edition);
  return [...text.matchAll(PATTERN)].some((m) => known.get(normal(m[1]))?.marker);
}

/** Does `text` name {[Portal Password]} — the snippet that replaces the recipient's password — in any of the tenant's words? */
export function usesPortalPassword(text: string, edition: Edition): boolean {
  const known = lookupFor(edition);
  return [...text.matchAll(PATTERN)].some((m) => known.get(normal(m[1]))?.key === 'portal.password');
}

/** `text` with every {[Portal Password]} written as {[Portal Password Link]} (a link to choose one, which replaces nothing yet). */
export function portalPasswordAsLink(text: string, edition: Edition): string {
  const known = lookupFor(edition);
  const link = snippetPlaceholder('portal.passwordLink', edition);
  return text.replace(PATTERN, (match, name: string) => (known.get(normal(name))?.key === 'portal.password' ? link : match));
}

/** The sentence a form shows for unknown snippets. */
export function unknownSnippetsMessage(unknown: string[], edition: Edition): string {
  const known = SNIPPETS.map((s) => `{[${s.name(termsFor(edition))}]}`).join(', ');
  return `Unknown snippet${unknown.length > 1 ? 's' : ''}: ${unknown.map((u) => `{[${u}]}`).join(', ')}. Known snippets: ${known}.`;
}


/** A value never forms a snippet of its own (a ticket titled "{[Portal Password]}"), nor part of a marker. */
const inert = (value: string) => plain(value).replace(/\{\[/g, '{ [');

/**
 * Resolves the snippets of `text` for `ctx`. Credential snippets become their
 * canonical markers; unknown ones are left as written. With `html`, the static
 * text and every value are HTML-escaped and links become anchors.
 */
export function renderSnippets(text: string, ctx: SnippetContext, options: { html?: boolean } = {}): string {
  const known = lookupFor(ctx.tenant.edition);
  const html = options.html === true;
  let out = '';
  let last = 0;
  const staticText = (s: string) => (html ? escapeHtml(plain(s)).replace(/\r?\n/g, '<br>\n') : plain(s));
  for (const match of text.matchAll(PATTERN)) {
    out += staticText(text.slice(last, match.index));
    last = match.index + match[0].length;
    const snippet = known.get(normal(match[1]));
    if (!snippet) {
      out += staticText(match[0]);
    } else if (snippet.marker) {
      out += html && snippet.link ? `<a href="${snippet.marker}">${snippet.marker}</a>` : snippet.marker;
    } else {
      const value = inert(snippet.value!(ctx));
      if (!html) out += value;
      else if (snippet.link && value) out += `<a href="${escapeHtml(value)}">${escapeHtml(value)}</a>`;
      else out += escapeHtml(value).replace(/\r?\n/g, '<br>\n');
    }
  }
  out += staticText(text.slice(last));
  return out;
}

/** An HTML email body from a plain-text template. */
export function renderHtmlDocument(text: string, ctx: SnippetContext): string {
  return `<!doctype html><html><body><div>${renderSnippets(text, ctx, { html: true })}</div></body></html>`;
}
