// Driving Contacts > Import as a technician does: upload a file, map, preview, import, drain the job.
import { expect } from 'chai';
import { drainJobs, sql, type Browser } from '../support/index.js';

export type Csv = string | Buffer;

/** Uploads `data` as the file of the import form; the answer as it comes. */
export async function upload(browser: Browser, data: Csv, fileName = 'contacts.csv') {
  await browser.get('/contacts/imports/new');
  return browser.agent.post('/contacts/imports').set('Host', browser.host)
    .field('_csrf', browser.csrfToken)
    .attach('file', Buffer.isBuffer(data) ? data : Buffer.from(data), { filename: fileName, contentType: 'text/csv' });
}

/** Uploads and follows to the mapping step; the import's id. */
export async function uploaded(browser: Browser, data: Csv, fileName?: string): Promise<number> {
  const res = await upload(browser, data, fileName);
  expect(res.status, res.text.slice(0, 2000)).to.equal(303);
  const id = Number(res.headers.location.match(/^\/contacts\/imports\/(\d+)$/)![1]);
  const page = await browser.get(`/contacts/imports/${id}`);
  expect(page.status).to.equal(200);
  return id;
}

/** The mapping form as the page fills it (the automatic mapping), changed by `changes`. */
export async function mappingOf(browser: Browser, id: number): Promise<Record<string, string>> {
  const page = await browser.get(`/contacts/imports/${id}`);
  const values: Record<string, string> = {};
  for (const select of page.text.matchAll(/<select id="f-(map_\w+)" name="map_\w+"[^>]*>([\s\S]*?)<\/select>/g)) {
    values[select[1]] = select[2].match(/<option value="([^"]*)" selected>/)?.[1] ?? '';
  }
  return values;
}

export async function preview(browser: Browser, id: number, form: Record<string, string> = {}) {
  const mapping = await mappingOf(browser, id);
  return browser.post(`/contacts/imports/${id}/preview`, { ...mapping, ...form });
}

/** Preview, then Import, then the job to its end. */
export async function importFile(browser: Browser, data: Csv, form: Record<string, string> = {}, fileName?: string): Promise<number> {
  const id = await uploaded(browser, data, fileName);
  const shown = await preview(browser, id, form);
  expect(shown.status, shown.text.slice(0, 3000)).to.equal(200);
  const started = await browser.post(`/contacts/imports/${id}/start`);
  expect(started.status).to.equal(303);
  await drainJobs();
  return id;
}

export async function importRow(id: number) {
  const [row] = await sql<{ status: string; rows_done: number; row_count: number; created: number; updated: number; skipped: number; failed: number; content: Buffer | null }>(
    'select status, rows_done, row_count, created, updated, skipped, failed, content from imports where id = $1', [id]);
  return row;
}

/** How many rows each table holds (to prove nothing was written). */
export async function counts(): Promise<Record<string, number>> {
  const [row] = await sql<Record<string, number>>(`select (select count(*)::int from contacts) as contacts, (select count(*)::int from customers) as customers,
    (select count(*)::int from audit_events where action like 'contact%') as audit, (select count(*)::int from import_outcome_batches) as outcomes`);
  return row;
}

/** A CSV text from rows of cells (quoted as RFC 4180 wants), CRLF line ends. */
export function csv(rows: (string | number)[][], delimiter = ','): string {
  return rows.map((r) => r.map((c) => {
    const s = String(c);
    return /[",;\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  }).join(delimiter)).join('\r\n') + '\r\n';
}
