// CSV as this product writes it (Contacts > Export, the import template and report):
// RFC 4180 (comma, CRLF, a field quoted when it holds a comma, a quote or a line
// break), UTF-8 with a BOM so that Excel reads accents right. A cell that a
// spreadsheet would run as a formula — starting with = + - @ (or a tab or carriage
// return before one) — gets an apostrophe in front (OWASP "CSV injection"): Excel and
// LibreOffice then show it as text. The import takes that apostrophe off again
// (import-rows.ts cellValue), so a round trip gives back "+39 02 …".
import type { Sql } from '../../db/sql.js';
import type { T } from '../../i18n/translate.js';

export const CSV_BOM = '\ufeff';

export function csvCell(value: unknown): string {
  let text = value === null || value === undefined ? '' : String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvLine(cells: unknown[]): string {
  return `${cells.map(csvCell).join(',')}\r\n`;
}

/** The contact columns of the export and the template, in the reader's language (the import maps them back). */
export function contactHeaders(t: T): string[] {
  return [
    t('imports.headers.email'), t('imports.headers.firstName'), t('imports.headers.lastName'), t('imports.headers.phone'),
    t('imports.headers.customer'), t('imports.headers.isMain'), t('imports.headers.portalAccess'),
  ];
}

/** The template: the headers and one example row. */
export function templateCsv(t: T): string {
  return CSV_BOM + csvLine(contactHeaders(t)) + csvLine([
    t('imports.template.email'), t('imports.template.firstName'), t('imports.template.lastName'), t('imports.template.phone'),
    t('imports.template.customer'), t('imports.yes'), t('imports.yes'),
  ]);
}

const PAGE = 5000;

/** Every contact of the workspace as CSV, by email; read a page at a time (a list is SQL, STYLE 13). */
export async function exportContacts(sql: Sql, t: T): Promise<string> {
  const parts = [CSV_BOM, csvLine(contactHeaders(t))];
  const yes = t('imports.yes');
  const no = t('imports.no');
  let after = '';
  for (;;) {
    const rows = await sql.query<{ email: string; first_name: string; last_name: string; phone: string; customer: string; is_main: boolean; portal_access: boolean }>(
      `select c.email, c.first_name, c.last_name, c.phone, cu.name as customer, c.is_main, c.portal_access
         from contacts c join customers cu on cu.id = c.customer_id and cu.tenant_id = c.tenant_id
        where c.tenant_id = $1 and c.email > $2 order by c.email limit $3`, [sql.tenantId, after, PAGE]);
    for (const r of rows) parts.push(csvLine([r.email, r.first_name, r.last_name, r.phone, r.customer, r.is_main ? yes : no, r.portal_access ? yes : no]));
    if (rows.length < PAGE) break;
    after = rows[rows.length - 1].email;
  }
  return parts.join('');
}
