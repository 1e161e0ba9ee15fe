// One `t()` for the whole product: views, controllers, domain validation messages and
// email building all translate through a translator made here for one language and one
// edition. Catalogues are the files under messages/<language>/ (one per area); i18next
// does the lookup, plurals (Intl.PluralRules: `key_one`, `key_other`) and interpolation.
//
// Every translator passes two things to every message:
// - `terms`: the edition words in its language, so a message says `{{terms.customerLower}}`
//   and reads "customer" or "site" (the terms table lives in messages/<language>/terms.ts);
// - the edition as i18next's `context`: where a sentence must change with the edition
//   beyond one word (Italian agrees in gender: "il cliente" / "la sede"), the catalogue
//   holds a `key_it` variant beside `key`, and an Internal IT workspace reads it.
// Values are not escaped here: views escape on output (`<%= %>`), text mail is not HTML.
import i18next from 'i18next';
import en from './messages/en/index.js';
import it from './messages/it/index.js';
import { DEFAULT_LANGUAGE, languageOr, languages, locales, type Language } from './languages.js';
import type { Edition } from '../domain/tenant/terms.js';

export type Catalogue = typeof en;
export type Terms = Catalogue['terms']['msp'];

export const catalogues: Record<Language, Catalogue> = { en, it: it as Catalogue };

const i18n = i18next.createInstance();
void i18n.init({
  resources: Object.fromEntries(languages.map((l) => [l, { translation: catalogues[l] }])),
  lng: DEFAULT_LANGUAGE,
  // A key missing from one catalogue reads in English rather than as its name; the
  // catalogue test keeps both complete.
  fallbackLng: DEFAULT_LANGUAGE,
  supportedLngs: [...languages],
  initAsync: false,
  nsSeparator: false,
  returnNull: false,
  returnEmptyString: false,
  interpolation: { escapeValue: false },
  showSupportNotice: false,
} as Parameters<typeof i18n.init>[0]);

/** Parameters of a message; a value that is itself a Message is translated first. */
export type Params = Record<string, unknown> & { count?: number };

/** A message not yet in words: the domain raises these, the door translates them for its reader. */
export type Message = string | { key: string; params?: Params };

export type T = (key: string, params?: Params) => string;

/** A reader's language and edition: what every door and mailer needs to speak to them. */
export interface Speaker {
  lang: Language;
  edition: Edition;
  t: T;
  terms: Terms;
}

const speakers = new Map<string, Speaker>();

/** The translator for `lang` and `edition` (an unknown language code means the default). */
export function speakerFor(language: unknown, edition: Edition = 'msp'): Speaker {
  const lang = languageOr(language);
  const cacheKey = `${lang}|${edition}`;
  let speaker = speakers.get(cacheKey);
  if (!speaker) {
    const fixed = i18n.getFixedT(lang);
    const terms = catalogues[lang].terms[edition];
    // i18next takes 10–40 µs a call (bench/pages: a page makes dozens). So it only resolves
    // which text a key means — language, fallback, edition variant, plural form — once per
    // key and plural category, and the text is filled in here. Only keys found are kept,
    // so a plain sentence passed through `say` (user data) goes to i18next each time.
    const plural = new Intl.PluralRules(locales[lang]);
    const texts = new Map<string, string>();
    const t: T = (key, params) => {
      const count = params?.count;
      const form = typeof count !== 'number' ? '' : count === 0 ? 'zero' : plural.select(count);
      const cacheKey = `${key}|${form}`;
      let text = texts.get(cacheKey);
      if (text === undefined) {
        const found = fixed(key, { context: edition, count, skipInterpolation: true }) as string;
        if (typeof found !== 'string' || found === key) return fixed(key, { terms, context: edition, ...resolved(t, params) }) as string;
        texts.set(cacheKey, (text = found));
      }
      return text.includes('{{') ? fill(text, resolved(t, params), terms) : text;
    };
    speaker = { lang, edition, t, terms };
    speakers.set(cacheKey, speaker);
  }
  return speaker;
}

export function termsFor(edition: Edition, language: unknown = DEFAULT_LANGUAGE): Terms {
  return speakerFor(language, edition).terms;
}

const PLACEHOLDER = /\{\{\s*([\w.]+)\s*\}\}/g;

/** `{{name}}` and `{{terms.customer}}` filled from the parameters and the terms; a missing one is left empty, as i18next does. */
function fill(text: string, params: Params | undefined, terms: Terms): string {
  return text.replace(PLACEHOLDER, (_match, path: string) => {
    let value: unknown = path.startsWith('terms.') ? terms : params;
    for (const part of path.startsWith('terms.') ? path.slice(6).split('.') : path.split('.')) value = (value as Record<string, unknown> | undefined)?.[part];
    return value === undefined || value === null ? '' : String(value);
  });
}

function resolved(t: T, params: Params | undefined): Params | undefined {
  if (!params) return params;
  let out: Params | undefined;
  for (const [name, value] of Object.entries(params)) {
    if (isMessageObject(value)) (out ??= { ...params })[name] = say(t, value);
  }
  return out ?? params;
}

function isMessageObject(value: unknown): value is { key: string; params?: Params } {
  return typeof value === 'object' && value !== null && typeof (value as { key?: unknown }).key === 'string' && Object.keys(value).every((k) => k === 'key' || k === 'params');
}

/** A message for later translation: msg(key, { email }). */
export function msg(key: string, params?: Params): Message {
  return params ? { key, params } : key;
}

/** `message` in the reader's words. */
export function say(t: T, message: Message): string {
  return typeof message === 'string' ? t(message) : t(message.key, message.params);
}
