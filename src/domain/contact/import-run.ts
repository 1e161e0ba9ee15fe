// Running an import (the import-contacts job calls runImport): the stored file is read
// again, row by row, and saved in batches of BATCH rows, each batch one unit of work of
// its own (committed: the progress bar moves, a crash loses at most one batch and the
// job carries on from rows_done). A batch is written with one statement for its new
// contacts and their audit events, one for its updates, in a savepoint; if that fails (a
// row the checks let through but the database refuses, an address taken meanwhile), each
// half is written again in a savepoint of its own, halving down to the refused rows, so
// the failing row is reported and the others are kept. While a batch is written, the
// next is read and checked. Cancelling is checked before each batch: what was written
// stays. Contacts get source `csv` and no welcome email.
import { type Actor, currentActor } from '../../current.js';
import { inTenantWork, type TenantWork } from '../../db/unit-of-work.js';
import type { Message } from '../../i18n/translate.js';
import { log } from '../../lib/logger.js';
import { audit } from '../audit/audit-event.js';
import { Tenant } from '../tenant/tenant.js';
import { eachRecord, textOf, type Delimiter, type Encoding } from './import-file.js';
import { storedMapping } from './import-mapping.js';
import { decide, ImportLookups, type Decision, type ImportOptions } from './import-plan.js';
import { cleanRow, DuplicateFinder, type RowResult } from './import-rows.js';

export const BATCH = 1000;

/**
 * Rows read between two turns of the event loop. The parser hands rows over in
 * microtasks, which never let a socket's answer in: without a turn, the batch being
 * written waited for the whole next batch to be read before its next statement was
 * even sent, so reading and writing took turns instead of overlapping.
 */
const YIELD_EVERY = 100;
const yieldToIo = () => new Promise<void>((resolve) => setImmediate(resolve));

interface Claimed {
  content: Buffer; encoding: Encoding; delimiter: Delimiter; mapping: unknown; rows_done: number; row_count: number;
  create_customers: boolean; existing: 'skip' | 'update'; technician_id: number | null; actor_name: string | null; file_name: string;
  /** `azure_ad`: a directory's users (integration/entra-sync.ts), all placed with the customer of their connection. */
  source: ContactSource; customer_id: number | null; customer_name: string | null;
  /** Started by a connection's daily sync: the system acts. */
  scheduled: boolean;
}

type ContactSource = 'csv' | 'azure_ad';

type Outcome = { line: number; email: string; outcome: 'created' | 'updated' | 'skipped' | 'failed'; reason?: Message };

/** Ends the reading early: cancelled, or overtaken by another run of the same import (see importBatch). */
class Stop extends Error {
  constructor(readonly why: 'cancelled' | 'overtaken') {
    super(why);
  }
}

/** Runs (or, after a crash, resumes) the import `importId` of `tenantId`; a no-op unless it is queued or running. */
export async function runImport(tenantId: number, importId: number): Promise<void> {
  const claimed = await inTenantWork(tenantId, async ({ sql }) => {
    const row = await sql.one<Claimed & { status: string }>(
      `select i.status, i.content, i.encoding, i.delimiter, i.mapping, i.rows_done, i.row_count, i.create_customers, i.existing, i.technician_id, i.actor_name, i.file_name,
              i.source, i.scheduled, cu.id as customer_id, cu.name as customer_name
         from imports i
         left join entra_connections ec on ec.tenant_id = i.tenant_id and ec.id = i.connection_id
         left join customers cu on cu.tenant_id = ec.tenant_id and cu.id = ec.customer_id
        where i.tenant_id = $1 and i.id = $2 for update of i`, [tenantId, importId]);
    if (!row || (row.status !== 'queued' && row.status !== 'running') || !row.content) return undefined;
    // A directory's import whose connection is gone has no customer to place its users with.
    if (row.source === 'azure_ad' && !row.customer_id) return undefined;
    await sql.query(`update imports set status = 'running', started_at = coalesce(started_at, now()) where tenant_id = $1 and id = $2`, [tenantId, importId]);
    return row;
  });
  if (!claimed) return;
  // The audit log and the contacts' history name the technician who started it.
  const actor: Actor = claimed.technician_id
    ? { kind: 'technician', id: claimed.technician_id, name: claimed.actor_name ?? undefined }
    : { kind: 'system', name: claimed.scheduled ? 'entra-daily-sync' : 'import-contacts' };
  try {
    const end = await importRows(tenantId, importId, claimed, actor);
    if (end !== 'overtaken') await finish(tenantId, importId, end, actor);
  } catch (error) {
    log.error({ err: error, importId }, 'a contact import failed; what it wrote stays');
    await finish(tenantId, importId, 'failed', actor);
  }
}

async function importRows(tenantId: number, importId: number, claimed: Claimed, actor: Actor): Promise<'done' | 'cancelled' | 'overtaken'> {
  const mapping = storedMapping(claimed.mapping);
  const options: ImportOptions = {
    createCustomers: claimed.create_customers, existing: claimed.existing,
    ...(claimed.customer_id ? { customer: { id: claimed.customer_id, name: claimed.customer_name ?? '' } } : {}),
  };
  const duplicates = new DuplicateFinder();
  let lookups: ImportLookups | undefined;
  let index = -1; // the header is record 0
  let batch: RowResult[] = [];
  // The batch being written while the next one is read and checked (Node.js reads, PostgreSQL
  // writes, at the same time): one at a time, in order, so batch n+1 starts after n committed.
  let writing: Promise<void> = Promise.resolve();
  const flush = async () => {
    const rows = batch;
    batch = [];
    const after = index - rows.length;
    await writing; // throws Stop (or the error) of the batch before: nothing after it is written
    writing = (async () => {
      const end = await inTenantWork(tenantId, async (work) => {
        lookups ??= new ImportLookups(await work.em.findOneOrFail(Tenant, { id: tenantId }));
        return importBatch(work, importId, after, rows, lookups, options, claimed.source);
      }, actor);
      if (end !== 'saved') throw new Stop(end);
    })();
    writing.catch(() => undefined); // awaited by the next flush or at the end; this only keeps it from counting as unhandled meanwhile
  };
  try {
    try {
      await eachRecord(textOf(claimed.content, claimed.encoding), claimed.delimiter, async (record) => {
        index += 1;
        if (index === 0) return;
        // Every row counts for duplicates, those a crashed run already saved too.
        const result = duplicates.check(cleanRow(record, mapping));
        if (index <= claimed.rows_done) return;
        batch.push(result);
        if (batch.length >= BATCH) await flush();
        else if (batch.length % YIELD_EVERY === 0) await yieldToIo();
      });
      if (batch.length > 0) await flush();
    } finally {
      // The batch in flight ends (committed or rolled back) before the import's end is written.
      await writing.catch(() => undefined);
    }
    await writing;
    return 'done';
  } catch (error) {
    if (error instanceof Stop) return error.why;
    throw error;
  }
}

/**
 * One batch, the rows after the first `after`. Nothing is written when the import was
 * cancelled before it, or when rows_done is not `after`: another run of the same import
 * (Agenda runs a job again when its lock lapses) has done these rows, and carries on.
 */
async function importBatch(work: TenantWork, importId: number, after: number, rows: RowResult[], lookups: ImportLookups, options: ImportOptions, source: ContactSource): Promise<'saved' | 'cancelled' | 'overtaken'> {
  const state = await work.sql.one<{ cancel_requested: boolean; rows_done: number }>(
    `select cancel_requested, rows_done from imports where tenant_id = $1 and id = $2 for update`, [work.tenantId, importId]);
  if (!state || state.rows_done !== after) return 'overtaken';
  if (state.cancel_requested) return 'cancelled';
  const decisions = await decide(work, lookups, rows, options, true);
  const writes = decisions.filter((d) => d.kind === 'create' || d.kind === 'update');
  const outcomes: Outcome[] = [];
  const failedWrites = new Map<Decision, Message>();
  // The batch in a savepoint; when the database refuses it, each half in one of its own, and
  // so on down to the rows it refuses: only those are lost, found in about 2·log₂(BATCH)
  // savepoints a refused row rather than one savepoint per row of the batch.
  const attempt = async (part: Decision[]): Promise<void> => {
    if (part.length === 0) return;
    try {
      await inSavepoint(work, () => write(work, importId, part, source));
    } catch (error) {
      if (part.length === 1) {
        const taken = (error as { code?: string }).code === '23505';
        failedWrites.set(part[0], taken ? 'imports.reasons.emailTaken' : 'imports.reasons.notSaved');
        return;
      }
      const half = Math.ceil(part.length / 2);
      await attempt(part.slice(0, half));
      await attempt(part.slice(half));
    }
  };
  await attempt(writes);
  for (const d of decisions) {
    if (d.kind === 'fail') outcomes.push({ line: d.line, email: d.email, outcome: 'failed', reason: d.reason });
    else if (d.kind === 'skip') outcomes.push({ line: d.row.line, email: d.row.email, outcome: 'skipped', reason: d.reason });
    else if (failedWrites.has(d)) outcomes.push({ line: d.row.line, email: d.row.email, outcome: 'failed', reason: failedWrites.get(d) });
    else outcomes.push({ line: d.row.line, email: d.row.email, outcome: d.kind === 'create' ? 'created' : 'updated' });
  }
  await recordOutcomes(work, importId, outcomes);
  return 'saved';
}

/**
 * `statements` (sent at once) in a savepoint that leaves with them and its release, in one
 * round trip — the unit of work's connection pipelines (unit-of-work.ts) — rather than
 * three (the ORM's savepoint, the writes, its release). When one of them fails the server
 * refuses the rest of the round trip (the transaction is aborted until the rollback to the
 * savepoint), which undoes them all; the first failure, the refused row's, is thrown.
 */
async function inSavepoint(work: TenantWork, statements: () => Promise<unknown>[]): Promise<void> {
  await work.flush(); // what the ORM holds (a customer the file names, created) is not undone with a refused row
  const settled = await Promise.allSettled([work.sql.query(`savepoint ${SAVEPOINT}`), ...statements(), work.sql.query(`release savepoint ${SAVEPOINT}`)]);
  const failed = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (!failed) return;
  await work.sql.query(`rollback to savepoint ${SAVEPOINT}`);
  await work.sql.query(`release savepoint ${SAVEPOINT}`);
  throw failed.reason;
}

const SAVEPOINT = 'import_rows';

/**
 * The contacts to create and update, each kind with its history in the audit log in one
 * statement (the contacts written and their events, in the file's order): one statement
 * for the creates of a batch, one for its updates, both sent at once (they touch
 * different contacts: the updates' exist, the creates' do not).
 */
function write(work: TenantWork, importId: number, decisions: Decision[], source: ContactSource): Promise<unknown>[] {
  const creates = decisions.filter((d): d is Extract<Decision, { kind: 'create' }> => d.kind === 'create');
  const updates = decisions.filter((d): d is Extract<Decision, { kind: 'update' }> => d.kind === 'update');
  const { tenantId } = work;
  const actor = currentActor();
  const who = [actor.kind, actor.id ?? null, actor.name ?? null];
  const sent: Promise<unknown>[] = [];
  if (creates.length > 0) {
    sent.push(work.sql.query(
      `with u as (
         select * from unnest($5::int[], $6::text[], $7::text[], $8::text[], $9::text[], $10::bool[], $11::bool[], $12::jsonb[]) with ordinality
           as u(customer_id, email, first_name, last_name, phone, is_main, portal_access, details, n)),
       made as (
         insert into contacts (tenant_id, customer_id, email, first_name, last_name, phone, is_main, portal_access, source)
         select $1, u.customer_id, u.email, u.first_name, u.last_name, u.phone, u.is_main, u.portal_access, $13 from u order by u.n
         returning id, email)
       insert into audit_events (tenant_id, actor_kind, actor_id, actor_name, action, subject_type, subject_id, details)
       select $1, $2, $3, $4, 'contact.created', 'contact', made.id, u.details from made join u on u.email = made.email order by u.n`,
      [tenantId, ...who, creates.map((d) => d.customer.id), creates.map((d) => d.row.email), creates.map((d) => d.values.firstName),
        creates.map((d) => d.values.lastName), creates.map((d) => d.values.phone), creates.map((d) => d.values.isMain), creates.map((d) => d.values.portalAccess),
        creates.map((d) => JSON.stringify({
          email: d.row.email, source, customer: { id: d.customer.id, name: d.customer.name },
          portalAccess: d.values.portalAccess, isMain: d.values.isMain, import: importId, ...(d.placedByDomain ? { placedByDomain: d.placedByDomain } : {}),
        })), source]));
  }
  if (updates.length > 0) {
    // Only what the file maps changes: never the password, the source or anything unmapped.
    sent.push(work.sql.query(
      `with u as (
         select * from unnest($5::int[], $6::int[], $7::text[], $8::text[], $9::text[], $10::bool[], $11::bool[], $12::jsonb[]) with ordinality
           as u(id, customer_id, first_name, last_name, phone, is_main, portal_access, details, n)),
       changed as (
         update contacts c set customer_id = u.customer_id, first_name = u.first_name, last_name = u.last_name, phone = u.phone,
                is_main = u.is_main, portal_access = u.portal_access
           from u where c.tenant_id = $1 and c.id = u.id
         returning c.id)
       insert into audit_events (tenant_id, actor_kind, actor_id, actor_name, action, subject_type, subject_id, details)
       select $1, $2, $3, $4, 'contact.updated', 'contact', changed.id, u.details from changed join u on u.id = changed.id order by u.n`,
      [tenantId, ...who, updates.map((d) => d.contact.id), updates.map((d) => d.customer.id), updates.map((d) => d.values.firstName),
        updates.map((d) => d.values.lastName), updates.map((d) => d.values.phone), updates.map((d) => d.values.isMain), updates.map((d) => d.values.portalAccess),
        updates.map((d) => JSON.stringify({ ...d.changes, import: importId }))]));
  }
  return sent;
}

/** The batch's outcomes (one row: import_outcome_batches, migration 0042) and the import's counts and progress, in one statement. */
async function recordOutcomes(work: TenantWork, importId: number, outcomes: Outcome[]): Promise<void> {
  const count = (kind: Outcome['outcome']) => outcomes.filter((o) => o.outcome === kind).length;
  await work.sql.query(
    `with o as (
       insert into import_outcome_batches (tenant_id, import_id, first_line, last_line, lines, emails, outcomes, reasons, failed)
       select $1, $2, l[1], l[cardinality(l)], l, $4::text[], $5::text[], $6::jsonb[], $11::int from (select $3::int[] as l) b where cardinality(l) > 0)
     update imports set rows_done = rows_done + $7, created = created + $8, updated = updated + $9, skipped = skipped + $10, failed = failed + $11
      where tenant_id = $1 and id = $2`,
    [work.tenantId, importId, outcomes.map((o) => o.line), outcomes.map((o) => o.email), outcomes.map((o) => o.outcome),
      outcomes.map((o) => (o.reason === undefined ? null : JSON.stringify(o.reason))),
      outcomes.length, count('created'), count('updated'), count('skipped'), count('failed')]);
}

/** The import's end: its status, the file dropped, and one audit event with who, which file and the counts. */
async function finish(tenantId: number, importId: number, status: 'done' | 'cancelled' | 'failed', actor: Actor): Promise<void> {
  await inTenantWork(tenantId, async (work) => {
    const row = await work.sql.one<{ file_name: string; row_count: number; rows_done: number; created: number; updated: number; skipped: number; failed: number; sync_mode: string | null }>(
      `update imports set status = $3, finished_at = now(), content = null where tenant_id = $1 and id = $2
       returning file_name, row_count, rows_done, created, updated, skipped, failed, sync_mode`, [tenantId, importId, status]);
    if (!row) return;
    const tenant = await work.em.findOneOrFail(Tenant, { id: tenantId });
    audit(work.em, tenant, 'import.finished', { type: 'import', id: importId }, {
      fileName: row.file_name, status, rows: row.row_count, rowsDone: row.rows_done,
      created: row.created, updated: row.updated, skipped: row.skipped, failed: row.failed,
      // A directory's import: every user read, the changes since the last sync, or every user because the delta link had expired.
      ...(row.sync_mode ? { syncMode: row.sync_mode } : {}),
    });
  }, actor);
}
