// What a page shows a reader that is not in their language: words of the other language's
// catalogue, or a catalogue key's name. The every-page and every-form tests look with it.
import { catalogues } from '../../src/i18n/translate.js';
import type { Language } from '../../src/i18n/languages.js';

/** Words both languages write the same way, and names that are no one's to translate. */
const ALLOWED = ['Sportello', 'Italiano', 'English', 'IMAP', 'SMTP', 'URL', 'HTML', 'Microsoft 365', 'Gmail', 'OK', 'Email', 'email', 'Password', 'password', 'Ticket', 'ticket', 'Admin', 'Enterprise', 'Pro', 'Trial'];

function leaves(tree: unknown, prefix = '', out = new Map<string, string>()): Map<string, string> {
  for (const [k, v] of Object.entries(tree as Record<string, unknown>)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (typeof v === 'string') out.set(key, v);
    else leaves(v, key, out);
  }
  return out;
}

const decode = (s: string) => s.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&nbsp;/g, ' ').replace(/&amp;/g, '&');

/** What a reader sees: text nodes and the attributes read aloud or shown (placeholder, title, aria-label, alt). */
export function visibleText(html: string): string {
  const withoutCode = html.replace(/<script[\s\S]*?<\/script>/gi, ' ').replace(/<style[\s\S]*?<\/style>/gi, ' ').replace(/<textarea[\s\S]*?<\/textarea>/gi, ' ');
  const attributes = [...withoutCode.matchAll(/\s(?:placeholder|title|aria-label|alt)="([^"]*)"/gi)].map((m) => m[1]);
  const text = withoutCode.replace(/<[^>]+>/g, ' ');
  return decode([text, ...attributes].join(' ')).replace(/\s+/g, ' ');
}

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * The pieces of `lang`'s messages that should never show on a page in the other language:
 * literal runs of at least two words or seven letters, that the other catalogue never
 * writes itself (so "Email" or "Ticket", the same in both, never count).
 */
export function telltales(lang: Language): RegExp[] {
  const other: Language = lang === 'en' ? 'it' : 'en';
  const mine = leaves(catalogues[lang]);
  const theirs = [...leaves(catalogues[other]).values()].join('\n');
  const out = new Map<string, RegExp>();
  for (const [key, value] of mine) {
    if (leaves(catalogues[other]).get(key) === value) continue;
    for (const piece of value.split(/\{\{[^}]*\}\}|\{\[[^\]]*\]\}|\n/)) {
      const p = piece.trim().replace(/^[^\p{L}]+|[^\p{L}.!?]+$/gu, '');
      const words = p.split(/\s+/).filter(Boolean);
      if (!(words.length >= 2 || p.length >= 7) || !/\p{L}{3}/u.test(p)) continue;
      if (ALLOWED.includes(p) || theirs.includes(p)) continue;
      out.set(p, new RegExp(`(^|[^\\p{L}])${escapeRe(p)}($|[^\\p{L}])`, 'u'));
    }
  }
  return [...out.values()];
}

const areas = Object.keys(catalogues.en).join('|');
const KEY_NAME = new RegExp(`(^|\\s)(${areas})\\.[a-z]\\w*(\\.\\w+)*`);

export function problemsOn(page: { path: string; status: number; html: string }, lang: Language, leaks: RegExp[]): string[] {
  if (page.status >= 300 && page.status < 400) return [];
  const problems: string[] = [];
  const htmlLang = page.html.match(/<html[^>]*\slang="([^"]+)"/)?.[1];
  if (/<html[\s>]/i.test(page.html) && htmlLang !== lang) problems.push(`${page.path} (${page.status}): <html lang="${htmlLang}">`);
  const text = visibleText(page.html);
  const key = text.match(KEY_NAME);
  if (key) problems.push(`${page.path}: shows a key name "${key[0].trim()}"`);
  for (const leak of leaks) {
    const found = text.match(leak);
    if (found) problems.push(`${page.path}: shows "${found[0].trim()}" (${lang === 'it' ? 'English' : 'Italian'})`);
  }
  return problems;
}
