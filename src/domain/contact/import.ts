// Contacts > Import: a file uploaded, its columns mapped, previewed (nothing written),
// then imported by the import-contacts job (import-run.ts), which a person may cancel.
// An import is a record of its own (the imports table): the page shows its progress
// and, at the end, its report — one outcome per row (import_outcome_batches: a row a batch).
import { EntitySchema, type Opt } from '@mikro-orm/core';
import { lockForChange } from '../../db/locks.js';
import type { Em } from '../../db/orm.js';
import { tenantOwned } from '../../db/tenant-owned.js';
import type { Message } from '../../i18n/translate.js';
import { NotFoundError, ValidationError } from '../../lib/validation.js';
import type { Tenant } from '../tenant/tenant.js';
import type { Technician } from '../technician/technician.js';
import { eachRecord, inspect, textOf, UnreadableFile, type Delimiter, type Encoding } from './import-file.js';
import { autoMap, parseMapping, storedMapping, type Mapping } from './import-mapping.js';
import { decide, ImportLookups, type CustomerRef, type Decision, type ImportOptions, type Work } from './import-plan.js';
import { cleanRow, DuplicateFinder, type RowResult } from './import-rows.js';

export type ImportStatus = 'reading' | 'mapping' | 'queued' | 'running' | 'done' | 'cancelled' | 'failed';

export class ContactImport {
  id!: number;
  tenant!: Tenant;
  technicianId?: number | null = null;
  actorName?: string | null = null;
  fileName!: string;
  content?: Buffer | null = null;
  encoding!: Encoding;
  delimiter!: Delimiter;
  headers: Opt<string[]> = [];
  rowCount!: number;
  mapping: Opt<Mapping> = {};
  createCustomers: Opt<boolean> = false;
  existing: Opt<'skip' | 'update'> = 'skip';
  status: Opt<ImportStatus> = 'mapping';
  cancelRequested: Opt<boolean> = false;
  rowsDone: Opt<number> = 0;
  created: Opt<number> = 0;
  updated: Opt<number> = 0;
  skipped: Opt<number> = 0;
  failed: Opt<number> = 0;
  createdAt: Opt<Date> = new Date();
  startedAt?: Date | null = null;
  finishedAt?: Date | null = null;
  /** `azure_ad`: the users of a Microsoft Entra ID directory (integration/entra-sync.ts), read through `connectionId`. */
  source: Opt<'csv' | 'azure_ad'> = 'csv';
  connectionId?: number | null = null;
  /** An Entra import: a full read of the directory, the changes since the last sync (delta), or a full read because the delta link had expired (fallback). */
  syncMode?: 'full' | 'delta' | 'fallback' | null = null;
  /** The delta link the read ended with: the connection's once this import is done. */
  deltaLink?: string | null = null;
  /** Started by the daily sync (no preview, no technician). */
  scheduled: Opt<boolean> = false;

  /** Reading (a directory), queued or running: the page polls its progress. */
  get active(): Opt<boolean> {
    return this.status === 'reading' || this.status === 'queued' || this.status === 'running';
  }

  get percent(): Opt<number> {
    return this.status === 'done' ? 100 : Math.floor((this.rowsDone / Math.max(this.rowCount, 1)) * 100);
  }
}

export const ContactImportSchema = new EntitySchema<ContactImport>(tenantOwned({
  class: ContactImport,
  tableName: 'imports',
  properties: {
    id: { type: 'number', primary: true },
    technicianId: { type: 'number', nullable: true },
    actorName: { type: 'string', nullable: true },
    fileName: { type: 'string' },
    content: { type: 'blob', nullable: true, lazy: true },
    encoding: { type: 'string' },
    delimiter: { type: 'string' },
    headers: { type: 'json' },
    rowCount: { type: 'number' },
    mapping: { type: 'json' },
    createCustomers: { type: 'boolean' },
    existing: { type: 'string' },
    status: { type: 'string' },
    cancelRequested: { type: 'boolean' },
    rowsDone: { type: 'number' },
    created: { type: 'number' },
    updated: { type: 'number' },
    skipped: { type: 'number' },
    failed: { type: 'number' },
    createdAt: { type: 'Date' },
    startedAt: { type: 'Date', nullable: true },
    finishedAt: { type: 'Date', nullable: true },
    source: { type: 'string' },
    connectionId: { type: 'number', nullable: true },
    syncMode: { type: 'string', nullable: true },
    deltaLink: { type: 'text', nullable: true, lazy: true },
    scheduled: { type: 'boolean' },
  },
}));

const FILE_NAME_MAX = 255;

/** The import with this id in the current tenant, or NotFound. `forChange` locks it (see contactById). */
export async function importById(em: Em, id: number, options: { forChange?: boolean } = {}): Promise<ContactImport> {
  if (options.forChange && !(await lockForChange(em, ContactImport, { id }))) throw new NotFoundError();
  return em.findOneOrFail(ContactImport, { id });
}

/**
 * Keeps an uploaded file for import, its columns mapped from its headers. A file that
 * cannot be read (not CSV, empty, only a header, too many rows, broken quotes) is
 * refused with the reason (field `file`), and nothing is kept.
 */
export async function uploadImport(em: Em, tenant: Tenant, by: Technician, file: { name: string; data: Buffer } | undefined): Promise<ContactImport> {
  if (!file) throw new ValidationError({ file: 'imports.errors.noFile' });
  let read: Awaited<ReturnType<typeof inspect>>;
  try {
    read = await inspect(file.data);
  } catch (error) {
    if (error instanceof UnreadableFile) throw new ValidationError({ file: error.reason });
    throw error;
  }
  const name = [...(file.name.trim() || 'upload.csv')].slice(0, FILE_NAME_MAX).join('');
  const upload = em.create(ContactImport, {
    tenant, technicianId: by.id, actorName: by.name, fileName: name, content: file.data,
    encoding: read.encoding, delimiter: read.delimiter, headers: read.headers, rowCount: read.rowCount, mapping: autoMap(read.headers),
  });
  await em.flush();
  return upload;
}

/** The mapping step's choices, kept on the import (only while it is being mapped). */
export function chooseMapping(upload: ContactImport, input: Record<string, unknown>): void {
  if (upload.status !== 'mapping') throw new ValidationError({ import: 'imports.errors.alreadyStarted' });
  upload.existing = input.existing === 'update' ? 'update' : 'skip';
  // A directory's users: the columns are Sportello's own, and every user goes to the connection's customer.
  if (upload.source === 'azure_ad') return;
  upload.mapping = parseMapping(input, upload.headers.length);
  upload.createCustomers = input.createCustomers === 'on' || input.createCustomers === 'true';
}

export function optionsOf(upload: ContactImport, customer?: CustomerRef): ImportOptions {
  return { createCustomers: upload.createCustomers, existing: upload.existing, ...(customer ? { customer } : {}) };
}

export const PREVIEW_ROWS = 10;
/** The failing rows a preview lists on the page (the report lists every one). */
export const PREVIEW_FAILURES = 1000;

export interface Preview {
  sample: Decision[];
  failures: { line: number; email: string; reason: Message }[];
  counts: { create: number; update: number; skip: number; fail: number };
}

/** The dry run: what the import would do with every row, as the job decides it — and nothing written. */
export async function previewImport(work: Work, tenant: Tenant, upload: ContactImport, customer?: CustomerRef): Promise<Preview> {
  await work.em.populate(upload, ['content']);
  if (!upload.content) throw new ValidationError({ import: 'imports.errors.alreadyStarted' });
  const mapping = storedMapping(upload.mapping);
  const duplicates = new DuplicateFinder();
  const results: RowResult[] = [];
  let header = true;
  await eachRecord(textOf(upload.content, upload.encoding), upload.delimiter, (record) => {
    if (header) header = false;
    else results.push(duplicates.check(cleanRow(record, mapping)));
  });
  const lookups = new ImportLookups(tenant);
  const counts = { create: 0, update: 0, skip: 0, fail: 0 };
  const failures: Preview['failures'] = [];
  const sample: Decision[] = [];
  // Decided in slices, as the job does: the lookups of a slice are one query each.
  for (let at = 0; at < results.length; at += 5000) {
    for (const d of await decide(work, lookups, results.slice(at, at + 5000), optionsOf(upload, customer), false)) {
      counts[d.kind] += 1;
      if (d.kind === 'fail') {
        if (failures.length < PREVIEW_FAILURES) failures.push({ line: d.line, email: d.email, reason: d.reason });
      } else if (sample.length < PREVIEW_ROWS) sample.push(d);
    }
  }
  return { sample, failures, counts };
}

/** Import: from the mapping step to the job's queue (the caller queues the job). */
export function startImport(upload: ContactImport): void {
  if (upload.status !== 'mapping') throw new ValidationError({ import: 'imports.errors.alreadyStarted' });
  upload.status = 'queued';
}

/** Cancel: the job stops before its next batch; what it wrote stays. */
export function cancelImport(upload: ContactImport): void {
  if (!upload.active) throw new ValidationError({ import: 'imports.errors.notRunning' });
  upload.cancelRequested = true;
}

export interface OutcomeRow { line: number; email: string; outcome: 'created' | 'updated' | 'skipped' | 'failed'; reason: Message | null }

/** The report's rows, in file order, in pages of `limit` after line `afterLine`. */
export async function outcomesOf(work: Work, upload: ContactImport, afterLine: number, limit: number, only?: 'failed'): Promise<OutcomeRow[]> {
  // One row a batch, its outcomes side by side in arrays (migration 0042); a batch's `failed` counts its failures.
  return work.sql.query<OutcomeRow>(
    `select u.line, u.email, u.outcome, u.reason
       from import_outcome_batches b, unnest(b.lines, b.emails, b.outcomes, b.reasons) as u(line, email, outcome, reason)
      where b.tenant_id = $1 and b.import_id = $2 and b.last_line > $3 and u.line > $3
        and ($5::text is null or (b.failed > 0 and u.outcome = $5))
      order by u.line limit $4`,
    [work.tenantId, upload.id, afterLine, limit, only ?? null]);
}

/** The last imports, newest first, for the upload page. */
export async function recentImports(em: Em, limit = 10): Promise<ContactImport[]> {
  return em.find(ContactImport, {}, { orderBy: { createdAt: 'desc', id: 'desc' }, limit });
}

