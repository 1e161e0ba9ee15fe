// The languages Sportello speaks. A stored or submitted code that is not one of them
// (a forged form, an old row, `?lang=xx`) means the default: never an error page.
export const languages = ['it', 'en'] as const;
export type Language = (typeof languages)[number];

export const DEFAULT_LANGUAGE: Language = 'en';

/** Each language by its own name, as a language switch shows it (not translated: a reader looks for their own). */
export const languageNames: Record<Language, string> = { it: 'Italiano', en: 'English' };

/** Intl locale per language: British English for day-month dates and a 24-hour clock. */
export const locales: Record<Language, string> = { it: 'it-IT', en: 'en-GB' };

/** A new workspace's time zone when signup names none: where its language is mostly spoken. */
export const usualTimeZone: Record<Language, string> = { it: 'Europe/Rome', en: 'UTC' };

export function isLanguage(value: unknown): value is Language {
  return value === 'it' || value === 'en';
}

/** `value` if it is a language Sportello speaks, else `fallback`. */
export function languageOr(value: unknown, fallback: Language = DEFAULT_LANGUAGE): Language {
  return isLanguage(value) ? value : fallback;
}
