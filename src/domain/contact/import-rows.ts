// One row of an imported file as a contact would be saved, or why it cannot be: the
// same checks a contact typed in by hand gets (contacts.ts cleanInput), on the row's
// own. Pure: what needs the database (existing contacts, customers) is decided by the
// caller, for a whole batch at once.
import { msg, type Message } from '../../i18n/translate.js';
import { EMAIL, EMAIL_MAX, normaliseEmail } from '../../lib/validation.js';
import { NAME_MAX } from '../customer/customers.js';
import { LIMITS } from './contacts.js';
import type { FileRecord } from './import-file.js';
import type { Mapping } from './import-mapping.js';

/** A row ready to save. An optional field is undefined when its column is not mapped or its cell is empty. */
export interface CleanRow {
  line: number;
  email: string;
  firstName?: string;
  lastName?: string;
  phone?: string;
  customer?: string;
  isMain?: boolean;
  portalAccess?: boolean;
}

export type RowResult = { ok: true; row: CleanRow } | { ok: false; line: number; email: string; reason: Message };

/** The phone numbers a contact may have: the rule of the contact form (contacts.ts). */
const PHONE = /^[0-9+()./\s-]*(?:(?:ext|x)\.?\s*[0-9]+)?$/i;

const YES = new Set(['yes', 'y', 'true', '1', 'x', 'si', 'sì', 's', 'on', 'vero']);
const NO = new Set(['no', 'n', 'false', '0', 'off', 'falso']);

/**
 * A cell as the person meant it: trimmed, and without the apostrophe our export puts
 * before a leading = + - @ (formula neutralising, export-csv.ts), so a round trip
 * gives back "+39 02 …" rather than "'+39 02 …".
 */
export function cellValue(cells: string[], index: number | undefined): string {
  if (index === undefined) return '';
  const value = (cells[index] ?? '').trim();
  return /^'[=+\-@\t\r]/.test(value) ? value.slice(1) : value;
}

function tooLong(label: string, max: number): Message {
  return msg('validation.tooLong', { label: { key: label }, max });
}

/** A yes/no cell: undefined when empty, null when it is neither. */
function flag(value: string): boolean | undefined | null {
  if (value === '') return undefined;
  const v = value.toLowerCase();
  return YES.has(v) ? true : NO.has(v) ? false : null;
}

export function cleanRow(record: FileRecord, mapping: Mapping): RowResult {
  const { cells, line } = record;
  const email = normaliseEmail(cellValue(cells, mapping.email));
  const fail = (reason: Message): RowResult => ({ ok: false, line, email, reason });
  if (!email) return fail('imports.reasons.emailMissing');
  if (email.length > EMAIL_MAX || !EMAIL.test(email)) return fail('imports.reasons.emailInvalid');
  const firstName = cellValue(cells, mapping.firstName);
  const lastName = cellValue(cells, mapping.lastName);
  const phone = cellValue(cells, mapping.phone);
  const customer = cellValue(cells, mapping.customer);
  if (firstName.length > LIMITS.firstName) return fail(tooLong('contacts.form.firstName', LIMITS.firstName));
  if (lastName.length > LIMITS.lastName) return fail(tooLong('contacts.form.lastName', LIMITS.lastName));
  if (phone.length > LIMITS.phone) return fail(tooLong('contacts.form.phone', LIMITS.phone));
  if (phone && !PHONE.test(phone)) return fail('contacts.errors.phoneInvalid');
  if (customer.length > NAME_MAX) return fail(msg('validation.tooLong', { label: { key: 'imports.fields.customer' }, max: NAME_MAX }));
  const isMain = flag(cellValue(cells, mapping.isMain));
  const portalAccess = flag(cellValue(cells, mapping.portalAccess));
  if (isMain === null) return fail({ key: 'imports.reasons.notYesNo', params: { label: { key: 'imports.fields.isMain' } } });
  if (portalAccess === null) return fail({ key: 'imports.reasons.notYesNo', params: { label: { key: 'imports.fields.portalAccess' } } });
  return {
    ok: true,
    row: {
      line, email,
      ...(firstName ? { firstName } : {}), ...(lastName ? { lastName } : {}), ...(phone ? { phone } : {}),
      ...(customer ? { customer } : {}),
      ...(isMain !== undefined ? { isMain } : {}), ...(portalAccess !== undefined ? { portalAccess } : {}),
    },
  };
}

/** Marks every row after the first with the same email (in the whole file) as a duplicate. */
export class DuplicateFinder {
  readonly #seen = new Map<string, number>();

  check(result: RowResult): RowResult {
    if (!result.ok) return result;
    const first = this.#seen.get(result.row.email);
    if (first !== undefined) return { ok: false, line: result.row.line, email: result.row.email, reason: msg('imports.reasons.duplicate', { line: first }) };
    this.#seen.set(result.row.email, result.row.line);
    return result;
  }
}
