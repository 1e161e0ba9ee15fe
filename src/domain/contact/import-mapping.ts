// Which column of an imported file fills which field of a contact. The header row is
// matched automatically, in English and Italian (and the export's own headers, so a
// round trip maps itself); the mapping step lets a person change any of it.
import { msg } from '../../i18n/translate.js';
import { ValidationError } from '../../lib/validation.js';

export const IMPORT_FIELDS = ['email', 'firstName', 'lastName', 'phone', 'customer', 'isMain', 'portalAccess'] as const;
export type ImportField = (typeof IMPORT_FIELDS)[number];

/** Field → the index of its column in the file; a field left out is not imported. */
export type Mapping = Partial<Record<ImportField, number>>;

/** Headers people write, compared without case, accents, spaces, dashes and underscores. */
const ALIASES: Record<ImportField, string[]> = {
  email: ['email', 'e-mail', 'mail', 'email address', 'indirizzo email', 'indirizzo e-mail', 'posta elettronica'],
  firstName: ['first name', 'firstname', 'given name', 'forename', 'nome'],
  lastName: ['last name', 'lastname', 'surname', 'family name', 'cognome'],
  phone: ['phone', 'telephone', 'phone number', 'mobile', 'telefono', 'numero di telefono', 'cellulare', 'tel'],
  customer: ['customer', 'company', 'organisation', 'organization', 'site', 'cliente', 'azienda', 'societa', 'sito', 'sede'],
  isMain: ['main contact', 'main user', 'primary contact', 'contatto principale', 'utente principale', 'principale'],
  portalAccess: ['portal access', 'access', 'portal', 'accesso al portale', 'accesso portale', 'accesso'],
};

function folded(header: string): string {
  return header.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/[\s_\-.]+/g, '');
}

const KNOWN = new Map<string, ImportField>(
  IMPORT_FIELDS.flatMap((field) => ALIASES[field].map((alias) => [folded(alias), field] as [string, ImportField])));

/** The mapping the headers suggest: each field to the first column whose header names it. */
export function autoMap(headers: string[]): Mapping {
  const mapping: Mapping = {};
  headers.forEach((header, index) => {
    const field = KNOWN.get(folded(header));
    if (field && mapping[field] === undefined) mapping[field] = index;
  });
  return mapping;
}

/**
 * The mapping step's answer: a column index (or '' for "not imported") per field. The
 * email must be mapped, and no column may fill two fields.
 */
export function parseMapping(input: Record<string, unknown>, columns: number): Mapping {
  const mapping: Mapping = {};
  const errors: Record<string, ReturnType<typeof msg> | string> = {};
  const used = new Map<number, ImportField>();
  for (const field of IMPORT_FIELDS) {
    const raw = input[`map_${field}`];
    if (raw === undefined || raw === '') continue;
    const index = Number(raw);
    if (!Number.isInteger(index) || index < 0 || index >= columns) {
      errors[`map_${field}`] = 'imports.errors.unknownColumn';
      continue;
    }
    if (used.has(index)) errors[`map_${field}`] = 'imports.errors.columnTwice';
    used.set(index, field);
    mapping[field] = index;
  }
  if (mapping.email === undefined && !errors.map_email) errors.map_email = 'imports.errors.emailUnmapped';
  if (Object.keys(errors).length > 0) throw new ValidationError(errors);
  return mapping;
}

/** A stored mapping, read back defensively (it is JSON in the imports row). */
export function storedMapping(value: unknown): Mapping {
  const mapping: Mapping = {};
  if (value && typeof value === 'object') {
    for (const field of IMPORT_FIELDS) {
      const index = (value as Record<string, unknown>)[field];
      if (Number.isInteger(index) && (index as number) >= 0) mapping[field] = index as number;
    }
  }
  return mapping;
}
