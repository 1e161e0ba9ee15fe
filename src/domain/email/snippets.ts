// `{[Snippet Name]}` placeholders in email templates and quick replies. Every snippet
// has a name in each language (the catalogue's `templates.snippets`), and every name is
// accepted in every workspace, whatever its language: {[Portal Password]} and
// {[Password del Portale]} are one snippet. The product's (MSP) words are always taken;
// an IT department's own words are added to them ({[User First Name]}, {[Nome dell'Utente]},
// {[Site Name]}). The picker and the unknown-snippet message offer the workspace's language.
// Plain values are resolved when the email is queued, in the recipient's language; the two
// credential snippets become markers that only the send job mints (credentials.ts).
//
// A name is what saved templates are written with: changing one in the catalogue makes
// the templates that use it refuse to save (the snippet test holds every name unique).
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
import { editions, type Edition } from '../tenant/terms.js';
import type { Ticket } from '../ticket/ticket.js';
import { tenantUrl } from '../../lib/urls.js';
import { languages, type Language } from '../../i18n/languages.js';
import { speakerFor, type Message, type Speaker, type T } from '../../i18n/translate.js';

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
  /** Whose language the values speak, when the recipient is not the contact (a technician's notification). */
  language?: Language | null;
  /** {[Message Text]}: the message an email is about (a technician's reply, a requester's, a note). */
  message?: string | null;
  /**
   * The message is a technician's reply as prepared for its requester (reply-snippets.ts):
   * its own snippets already resolved, its credential markers the only ones it holds, kept
   * for the send job to mint. Any other message is a value like the rest (markers stripped).
   */
  messageIsPreparedReply?: boolean;
}

/** The picker's headings (catalogue keys). */
const GROUPS = {
  portal: 'templates.snippetGroups.portal',
  contact: 'templates.snippetGroups.contact',
  customer: 'templates.snippetGroups.customer',
  ticket: 'templates.snippetGroups.ticket',
  technician: 'templates.snippetGroups.technician',
  company: 'templates.snippetGroups.company',
} as const;

/** A ticket's status and priority as the recipient reads them. */
const STATUS: Record<string, string> = {
  open: 'templates.snippetValues.status.open', pending: 'templates.snippetValues.status.pending',
  resolved: 'templates.snippetValues.status.resolved', closed: 'templates.snippetValues.status.closed',
};
const PRIORITY: Record<string, string> = {
  low: 'templates.snippetValues.priority.low', medium: 'templates.snippetValues.priority.medium',
  high: 'templates.snippetValues.priority.high', critical: 'templates.snippetValues.priority.critical',
};

export interface Snippet {
  key: string;
  group: keyof typeof GROUPS;
  /** The catalogue key of its name. */
  name: string;
  /** Its value, in the words of `t` (the recipient's). */
  value?: (ctx: SnippetContext, t: T) => string;
  /** A credential: stays a marker until the send job mints it. */
  marker?: string;
  link?: boolean;
}

export const SNIPPETS: Snippet[] = [
  { key: 'portal.address', group: 'portal', name: 'templates.snippets.portalAddress', link: true, value: (c) => tenantUrl(c.tenant.slug, '/portal') },
  { key: 'portal.username', group: 'portal', name: 'templates.snippets.portalUsername', value: (c) => c.contact?.email ?? '' },
  { key: 'portal.password', group: 'portal', name: 'templates.snippets.portalPassword', marker: PORTAL_PASSWORD },
  { key: 'portal.passwordLink', group: 'portal', name: 'templates.snippets.portalPasswordLink', marker: PORTAL_PASSWORD_LINK, link: true },
  { key: 'contact.firstName', group: 'contact', name: 'templates.snippets.contactFirstName', value: (c) => c.contact?.firstName ?? '' },
  { key: 'contact.lastName', group: 'contact', name: 'templates.snippets.contactLastName', value: (c) => c.contact?.lastName ?? '' },
  { key: 'contact.fullName', group: 'contact', name: 'templates.snippets.contactFullName', value: (c) => (c.contact ? fullName(c.contact) : '') },
  { key: 'contact.email', group: 'contact', name: 'templates.snippets.contactEmail', value: (c) => c.contact?.email ?? '' },
  { key: 'customer.name', group: 'customer', name: 'templates.snippets.customerName', value: (c) => c.ticket?.customer?.name ?? c.contact?.customer?.name ?? '' },
  { key: 'ticket.number', group: 'ticket', name: 'templates.snippets.ticketNumber', value: (c) => (c.ticket ? String(c.ticket.number) : '') },
  { key: 'ticket.title', group: 'ticket', name: 'templates.snippets.ticketTitle', value: (c) => c.ticket?.title ?? '' },
  { key: 'ticket.status', group: 'ticket', name: 'templates.snippets.ticketStatus', value: (c, t) => (c.ticket ? t(STATUS[c.ticket.status] ?? c.ticket.status) : '') },
  { key: 'ticket.priority', group: 'ticket', name: 'templates.snippets.ticketPriority', value: (c, t) => (c.ticket ? t(PRIORITY[c.ticket.priority] ?? c.ticket.priority) : '') },
  { key: 'ticket.description', group: 'ticket', name: 'templates.snippets.ticketDescription', value: (c) => c.ticket?.description ?? '' },
  { key: 'ticket.portalLink', group: 'ticket', name: 'templates.snippets.ticketPortalLink', link: true, value: (c) => (c.ticket ? tenantUrl(c.tenant.slug, `/portal/tickets/${c.ticket.number}`) : '') },
  { key: 'message.text', group: 'ticket', name: 'notifications.snippets.messageText', value: (c) => c.message ?? '' },
  { key: 'ticket.link', group: 'ticket', name: 'notifications.snippets.ticketLink', link: true, value: (c) => (c.ticket ? tenantUrl(c.tenant.slug, `/tickets/${c.ticket.number}`) : '') },
  { key: 'technician.name', group: 'technician', name: 'templates.snippets.technicianName', value: (c) => c.technician?.name ?? '' },
  { key: 'technician.email', group: 'technician', name: 'templates.snippets.technicianEmail', value: (c) => c.technician?.email ?? '' },
  { key: 'company.name', group: 'company', name: 'templates.snippets.companyName', value: (c) => c.tenant.name },
];

const byKey = new Map(SNIPPETS.map((s) => [s.key, s]));

/** `{[ Name ]}`: any text without brackets or braces, at most 80 characters. */
const PATTERN = /\{\[\s*([^{}[\]\n]{1,80}?)\s*\]\}/g;

/** Case, spacing and the typographic apostrophe (Nome dell’Utente) do not matter. */
export const normalSnippetName = (name: string) => name.toLowerCase().replace(/[\u2018\u2019\u02bc`´]/g, "'").replace(/\s+/g, ' ').trim();

/** A name found in a text: which snippet, and the language it was written in. */
interface Named { snippet: Snippet; lang: Language }

/** The words a workspace writes snippets in: its language's, for its edition. */
type Workspace = Pick<Tenant, 'language' | 'edition'>;
const wordsOf = (tenant: Workspace): Speaker => speakerFor(tenant.language, tenant.edition);

/** Every name of `s` an `edition` workspace accepts: each language's, in the product's words and the edition's own. */
export function snippetNames(s: Snippet, edition: Edition): Array<{ name: string; lang: Language }> {
  return languages.flatMap((lang) => [...new Set(['msp' as Edition, edition])].map((e) => ({ name: speakerFor(lang, e).t(s.name), lang })));
}

const lookups = new Map<Edition, Map<string, Named>>();

function lookupFor(edition: Edition): Map<string, Named> {
  let map = lookups.get(edition);
  if (!map) {
    map = new Map();
    for (const s of SNIPPETS) for (const { name, lang } of snippetNames(s, edition)) map.set(normalSnippetName(name), { snippet: s, lang });
    lookups.set(edition, map);
  }
  return map;
}

const find = (name: string, edition: Edition) => lookupFor(edition).get(normalSnippetName(name));

/** Every edition's lookup, for the uniqueness test. */
export const snippetLookups = () => editions.map((e) => [e, lookupFor(e)] as const);

/** The snippet names to offer a workspace, grouped, in its language and edition's words. */
export function snippetMenu(tenant: Workspace): Array<{ group: string; names: string[] }> {
  const { t } = wordsOf(tenant);
  const groups: Array<{ group: string; names: string[] }> = [];
  for (const s of SNIPPETS) {
    const group = t(GROUPS[s.group]);
    let entry = groups.find((g) => g.group === group);
    if (!entry) groups.push(entry = { group, names: [] });
    entry.names.push(t(s.name));
  }
  return groups;
}

/** `{[Name]}` of the snippet `key`, in `speaker`'s language and edition. */
export function snippetPlaceholder(key: string, speaker: Pick<Speaker, 't'>): string {
  return `{[${speaker.t(byKey.get(key)!.name)}]}`;
}

/** The names in `text` that are not snippets, as written (empty when all are known). */
export function unknownSnippets(text: string, edition: Edition): string[] {
  const unknown = new Set<string>();
  for (const match of text.matchAll(PATTERN)) if (!find(match[1], edition)) unknown.add(match[1].trim());
  return [...unknown];
}

/** Does `text` name the snippet `key` (in any of the tenant's words)? */
export function namesSnippet(text: string, key: string, edition: Edition): boolean {
  return [...text.matchAll(PATTERN)].some((m) => find(m[1], edition)?.snippet.key === key);
}

export function usesCredentials(text: string, edition: Edition): boolean {
  return [...text.matchAll(PATTERN)].some((m) => find(m[1], edition)?.snippet.marker);
}

/** Does `text` name {[Portal Password]} — the snippet that replaces the recipient's password — in any of the tenant's words? */
export function usesPortalPassword(text: string, edition: Edition): boolean {
  return [...text.matchAll(PATTERN)].some((m) => find(m[1], edition)?.snippet.key === 'portal.password');
}

/**
 * `text` with every {[Portal Password]} written as {[Portal Password Link]} (a link to choose
 * one, which replaces nothing yet), in the language each was written in.
 */
export function portalPasswordAsLink(text: string, edition: Edition): string {
  return text.replace(PATTERN, (match, name: string) => {
    const named = find(name, edition);
    return named?.snippet.key === 'portal.password' ? snippetPlaceholder('portal.passwordLink', speakerFor(named.lang, edition)) : match;
  });
}

/** What a form says of unknown snippets: the known ones listed in the workspace's words. */
export function unknownSnippetsMessage(unknown: string[], tenant: Workspace): Message {
  const words = wordsOf(tenant);
  const known = SNIPPETS.map((s) => snippetPlaceholder(s.key, words)).join(', ');
  return { key: 'templates.errors.unknownSnippets', params: { count: unknown.length, unknown: unknown.map((u) => `{[${u}]}`).join(', '), known } };
}


/** A value never forms a snippet of its own (a ticket titled "{[Portal Password]}"), nor part of a marker. */
const inert = (value: string) => plain(value).replace(/\{\[/g, '{ [');

/** A text's static parts (unknown snippets among them, as written) in both renderings, and its snippets, in order. */
type Part = { plain: string; html: string } | { snippet: Snippet };

/**
 * `text` read once per edition: which snippets it names where, and its static text as
 * each rendering writes it. A notification renders the same few templates for every
 * email (subject, text and HTML for each recipient): matching and naming the snippets
 * again each time was most of their rendering's cost (bench/ingest).
 */
const compiled = new Map<string, Part[]>();

function partsOf(text: string, edition: Edition): Part[] {
  const key = `${edition}\n${text}`;
  let parts = compiled.get(key);
  if (parts) return parts;
  parts = [];
  const addStatic = (s: string) => { if (s) parts!.push({ plain: plain(s), html: escapeHtml(plain(s)).replace(/\r?\n/g, '<br>\n') }); };
  let last = 0;
  for (const match of text.matchAll(PATTERN)) {
    addStatic(text.slice(last, match.index));
    last = match.index + match[0].length;
    const snippet = find(match[1], edition)?.snippet;
    if (snippet) parts.push({ snippet });
    else addStatic(match[0]);
  }
  addStatic(text.slice(last));
  if (compiled.size > 500) compiled.clear();
  compiled.set(key, parts);
  return parts;
}

/**
 * Resolves the snippets of `text` for `ctx`. Credential snippets become their
 * canonical markers; unknown ones are left as written. With `html`, the static
 * text and every value are HTML-escaped and links become anchors.
 */
export function renderSnippets(text: string, ctx: SnippetContext, options: { html?: boolean } = {}): string {
  // Values speak the recipient's language (a status reads "Aperto" to an Italian contact).
  const { t } = speakerFor(ctx.language ?? ctx.contact?.language ?? ctx.tenant.language, ctx.tenant.edition);
  const html = options.html === true;
  let out = '';
  for (const part of partsOf(text, ctx.tenant.edition)) {
    if (!('snippet' in part)) {
      out += html ? part.html : part.plain;
      continue;
    }
    const { snippet } = part;
    if (snippet.marker) {
      out += html && snippet.link ? `<a href="${snippet.marker}">${snippet.marker}</a>` : snippet.marker;
    } else {
      const prepared = snippet.key === 'message.text' && ctx.messageIsPreparedReply === true;
      const value = prepared ? ctx.message ?? '' : inert(snippet.value!(ctx, t));
      if (!html) out += value;
      else if (snippet.link && value) out += `<a href="${escapeHtml(value)}">${escapeHtml(value)}</a>`;
      else out += escapeHtml(value).replace(/\r?\n/g, '<br>\n');
    }
  }
  return out;
}

/** An HTML email body from a plain-text template. */
export function renderHtmlDocument(text: string, ctx: SnippetContext): string {
  return `<!doctype html><html><body><div>${renderSnippets(text, ctx, { html: true })}</div></body></html>`;
}
