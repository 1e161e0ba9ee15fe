// The two editions. Every edition-specific word the product shows comes from the terms
// table in the catalogues (src/i18n/messages/<language>/terms.ts), per edition × language;
// no other module asks which edition a tenant is on to choose words.
export type Edition = 'msp' | 'it';

export const editions: Edition[] = ['msp', 'it'];

export { termsFor, type Terms } from '../../i18n/translate.js';

export function isEdition(value: unknown): value is Edition {
  return value === 'msp' || value === 'it';
}
