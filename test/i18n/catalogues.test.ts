// The two catalogues stay complete and in step with the code: every key the code or a
// view names exists, every key exists in both languages, no key is left unused, and a
// translator cannot drop or break a placeholder.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { catalogues } from '../../src/i18n/translate.js';
import { languages } from '../../src/i18n/languages.js';
import { SNIPPETS } from '../../src/domain/email/snippets.js';

const root = path.resolve(import.meta.dirname, '../..');
const PLURAL = /_(zero|one|two|few|many|other)$/;
const CONTEXT = /_(it|msp)$/;
/** Areas whose keys are reached as objects (`terms.customer`), not by name. */
const REACHED_AS_OBJECTS = ['terms'];
/** Literals that are not message keys though they look like one: snippet keys ('portal.address'). */
const NOT_KEYS = new Set(SNIPPETS.map((s) => s.key));

function leaves(tree: unknown, prefix = '', out = new Map<string, string>()): Map<string, string> {
  for (const [k, v] of Object.entries(tree as Record<string, unknown>)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (typeof v === 'string') out.set(key, v);
    else if (v && typeof v === 'object') leaves(v, key, out);
    else throw new Error(`${key}: a catalogue value must be a string or a group, not ${typeof v}`);
  }
  return out;
}

export function baseKey(key: string): string {
  return key.replace(PLURAL, '').replace(CONTEXT, '');
}

function placeholders(value: string): string[] {
  return [...value.matchAll(/\{\{\s*([^}]*?)\s*\}\}/g)].map((m) => m[1]);
}

function files(dir: string, ext: RegExp, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) files(full, ext, out);
    else if (ext.test(name)) out.push(full);
  }
  return out;
}

const byLanguage = Object.fromEntries(languages.map((l) => [l, leaves(catalogues[l])])) as Record<string, Map<string, string>>;
const areas = new Set(Object.keys(catalogues.en));
const sources = [
  ...files(path.join(root, 'src'), /\.ts$/).filter((f) => !f.includes(`${path.sep}i18n${path.sep}messages${path.sep}`)),
  ...files(path.join(root, 'views'), /\.ejs$/),
].map((file) => ({ file: path.relative(root, file), text: readFileSync(file, 'utf8') }));

/** Every literal in code or views that looks like a key of one of the catalogue's areas. */
function literalKeys(): Map<string, string> {
  const found = new Map<string, string>();
  for (const { file, text } of sources) {
    for (const m of text.matchAll(/(['"`])([a-z][A-Za-z0-9]*(?:\.[A-Za-z0-9_]+)+)\1/g)) {
      const key = m[2];
      if (areas.has(key.split('.')[0]) && !NOT_KEYS.has(key) && !found.has(key)) found.set(key, file);
    }
  }
  return found;
}

describe('Message catalogues', () => {
  const baseKeysOf = (lang: string) => new Set([...byLanguage[lang].keys()].map(baseKey));

  it('have the same keys in Italian and English (an edition variant `_it`/`_msp` may exist in one only)', () => {
    const en = byLanguage.en;
    const it = byLanguage.it;
    const onlyIn = (a: Map<string, string>, b: Map<string, string>) => [...a.keys()].filter((k) => !b.has(k) && !CONTEXT.test(k.replace(PLURAL, '')) && !(k.endsWith('_many') && b.has(k.replace(/_many$/, '_other'))));
    expect(onlyIn(en, it), 'keys only in English').to.deep.equal([]);
    expect(onlyIn(it, en).filter((k) => !k.endsWith('_many')), 'keys only in Italian').to.deep.equal([]);
    expect([...baseKeysOf('it')].filter((k) => !baseKeysOf('en').has(k)), 'Italian variants of keys English lacks').to.deep.equal([]);
  });

  it('keep every placeholder a message has in the other language, and spell them well', () => {
    const problems: string[] = [];
    for (const lang of languages) {
      for (const [key, value] of byLanguage[lang]) {
        const opens = value.split('{{').length - 1;
        const closes = value.split('}}').length - 1;
        if (opens !== closes) problems.push(`${lang} ${key}: unbalanced braces in "${value}"`);
        for (const p of placeholders(value)) if (!/^[A-Za-z_][\w.]*$/.test(p)) problems.push(`${lang} ${key}: odd placeholder {{${p}}}`);
        if (/(^|[^{])\{[A-Za-z_][\w.]*\}(?!\})/.test(value.replace(/\{\[[^\]]*\]\}/g, ''))) problems.push(`${lang} ${key}: single-brace placeholder in "${value}"`);
      }
    }
    // Per key (its plural and edition forms together): the same placeholders in both languages; `count` may go unsaid.
    const union = (lang: string, base: string) => new Set([...byLanguage[lang]].filter(([k]) => baseKey(k) === base).flatMap(([, v]) => placeholders(v)).filter((p) => p !== 'count'));
    for (const base of baseKeysOf('en')) {
      const en = [...union('en', base)].sort();
      const it = [...union('it', base)].sort();
      if (en.join() !== it.join()) problems.push(`${base}: English has {{${en.join('}}, {{')}}}, Italian has {{${it.join('}}, {{')}}}`);
    }
    expect(problems).to.deep.equal([]);
  });

  it('hold every key the code and the views name', () => {
    const known = baseKeysOf('en');
    const isGroup = (key: string) => [...known].some((k) => k.startsWith(`${key}.`));
    const missing = [...literalKeys()].filter(([key]) => !known.has(baseKey(key)) && !isGroup(key)).map(([key, file]) => `${key} (${file})`);
    expect(missing).to.deep.equal([]);
  });

  it('hold no key that nothing uses', () => {
    const used = new Set([...literalKeys().keys()].map(baseKey));
    const unused = [...baseKeysOf('en')].filter((k) => !REACHED_AS_OBJECTS.includes(k.split('.')[0]) && !used.has(k));
    expect(unused).to.deep.equal([]);
  });

  it('are reached only by literal keys (a key built from pieces hides from this test)', () => {
    const built: string[] = [];
    for (const { file, text } of sources) {
      for (const m of text.matchAll(/\bt\(\s*`[^`]*\$\{/g)) built.push(`${file}: ${m[0]}`);
      for (const m of text.matchAll(/\bt\(\s*['"][a-z][\w.]*\.['"]\s*\+/g)) built.push(`${file}: ${m[0]}`);
    }
    expect(built).to.deep.equal([]);
  });
});
