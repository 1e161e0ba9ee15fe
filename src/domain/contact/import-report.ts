// The report of an import as CSV: one line per row of the file with what became of it
// (created, updated, skipped, failed) and why, in the reader's language, cells
// neutralised like the export's. A cancelled or failed import ends with a line saying
// from which line on nothing was imported.
import { say, type T } from '../../i18n/translate.js';
import { CSV_BOM, csvLine } from './export-csv.js';
import { outcomesOf, type ContactImport } from './import.js';
import type { Work } from './import-plan.js';

const OUTCOME = {
  created: 'imports.outcome.created', updated: 'imports.outcome.updated', skipped: 'imports.outcome.skipped', failed: 'imports.outcome.failed',
} as const;

const PAGE = 5000;

export async function reportCsv(work: Work, upload: ContactImport, t: T): Promise<string> {
  const parts = [CSV_BOM, csvLine([t('imports.report.line'), t('imports.headers.email'), t('imports.report.outcome'), t('imports.report.reason')])];
  let after = 0;
  for (;;) {
    const rows = await outcomesOf(work, upload, after, PAGE);
    for (const r of rows) parts.push(csvLine([r.line, r.email, t(OUTCOME[r.outcome]), r.reason ? say(t, r.reason) : '']));
    if (rows.length < PAGE) break;
    after = rows[rows.length - 1].line;
  }
  if (upload.status === 'cancelled' || upload.status === 'failed') {
    const key = upload.status === 'cancelled' ? 'imports.report.cancelledAt' : 'imports.report.failedAt';
    parts.push(csvLine(['', '', t(key, { done: upload.rowsDone, total: upload.rowCount }), t('imports.report.rest', { count: upload.rowCount - upload.rowsDone })]));
  }
  // A directory's sync that found its delta link expired says it read every user again.
  if (upload.syncMode === 'fallback') parts.push(csvLine(['', '', '', t('entra.read.fallback')]));
  return parts.join('');
}
