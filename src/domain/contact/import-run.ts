// Running an import (the import-contacts job calls runImport): the stored file is read
// again, row by row, and saved in batches of BATCH rows, each batch one unit of work of
// its own (committed: the progress bar moves, a crash loses at most one batch and the
// job carries on from rows_done). A batch is written with one statement per table, in a
// savepoint; if that fails (a row the checks let through but the database refuses, an
// address taken meanwhile), the batch is written again one row per savepoint, so the
// failing row is reported and the others are kept. Cancelling is checked before each
// batch: what was written stays. Contacts get source `csv` and no welcome email.
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
  const flush = async () => {
    const rows = batch;
    batch = [];
    const after = index - rows.length;
    const end = await inTenantWork(tenantId, async (work) => {
      lookups ??= new ImportLookups(await work.em.findOneOrFail(Tenant, { id: tenantId }));
      return importBatch(work, importId, after, rows, lookups, options, claimed.source);
    }, actor);
    if (end !== 'saved') throw new Stop(end);
  };
  try {
    await eachRecord(textOf(claimed.content, claimed.encoding), claimed.delimiter, async (record) => {
      index += 1;
      if (index === 0) return;
      // Every row counts for duplicates, those a crashed run already saved too.
      const result = duplicates.check(cleanRow(record, mapping));
      if (index <= claimed.rows_done) return;
      batch.push(result);
      if (batch.length >= BATCH) await flush();
    });
    if (batch.length > 0) await flush();
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
  try {
    await work.savepoint(() => write(work, importId, writes, source));
  } catch {
    // Row by row, each in its own savepoint: only the rows the database refuses are lost.
    for (const decision of writes) {
      try {
        await work.savepoint(() => write(work, importId, [decision], source));
      } catch (error) {
        const taken = (error as { code?: string }).code === '23505';
        failedWrites.set(decision, taken ? 'imports.reasons.emailTaken' : 'imports.reasons.notSaved');
      }
    }
  }
  for (const d of decisions) {
    if (d.kind === 'fail') outcomes.push({ line: d.line, email: d.email, outcome: 'failed', reason: d.reason });
    else if (d.kind === 'skip') outcomes.push({ line: d.row.line, email: d.row.email, outcome: 'skipped', reason: d.reason });
    else if (failedWrites.has(d)) outcomes.push({ line: d.row.line, email: d.row.email, outcome: 'failed', reason: failedWrites.get(d) });
    else outcomes.push({ line: d.row.line, email: d.row.email, outcome: d.kind === 'create' ? 'created' : 'updated' });
  }
  await recordOutcomes(work, importId, outcomes);
  return 'saved';
}

/** The contacts to create and update: one statement each, plus their history in the audit log. */
async function write(work: TenantWork, importId: number, decisions: Decision[], source: ContactSource): Promise<void> {
  const creates = decisions.filter((d): d is Extract<Decision, { kind: 'create' }> => d.kind === 'create');
  const updates = decisions.filter((d): d is Extract<Decision, { kind: 'update' }> => d.kind === 'update');
  const { tenantId } = work;
  const events: { id: number; action: string; details: Record<string, unknown> }[] = [];
  if (creates.length > 0) {
    const made = await work.sql.query<{ id: number; email: string }>(
      `insert into contacts (tenant_id, customer_id, email, first_name, last_name, phone, is_main, portal_access, source)
       select $1, u.customer_id, u.email, u.first_name, u.last_name, u.phone, u.is_main, u.portal_access, $9
         from unnest($2::int[], $3::text[], $4::text[], $5::text[], $6::text[], $7::bool[], $8::bool[])
           as u(customer_id, email, first_name, last_name, phone, is_main, portal_access)
       returning id, email`,
      [tenantId, creates.map((d) => d.customer.id), creates.map((d) => d.row.email), creates.map((d) => d.values.firstName),
        creates.map((d) => d.values.lastName), creates.map((d) => d.values.phone), creates.map((d) => d.values.isMain), creates.map((d) => d.values.portalAccess), source]);
    const ids = new Map(made.map((m) => [m.email, m.id]));
    for (const d of creates) {
      events.push({ id: ids.get(d.row.email)!, action: 'contact.created', details: {
        email: d.row.email, source, customer: { id: d.customer.id, name: d.customer.name },
        portalAccess: d.values.portalAccess, isMain: d.values.isMain, import: importId, ...(d.placedByDomain ? { placedByDomain: d.placedByDomain } : {}),
      } });
    }
  }
  if (updates.length > 0) {
    // Only what the file maps changes: never the password, the source or anything unmapped.
    await work.sql.query(
      `update contacts c set customer_id = u.customer_id, first_name = u.first_name, last_name = u.last_name, phone = u.phone,
              is_main = u.is_main, portal_access = u.portal_access
         from unnest($2::int[], $3::int[], $4::text[], $5::text[], $6::text[], $7::bool[], $8::bool[])
           as u(id, customer_id, first_name, last_name, phone, is_main, portal_access)
        where c.tenant_id = $1 and c.id = u.id`,
      [tenantId, updates.map((d) => d.contact.id), updates.map((d) => d.customer.id), updates.map((d) => d.values.firstName),
        updates.map((d) => d.values.lastName), updates.map((d) => d.values.phone), updates.map((d) => d.values.isMain), updates.map((d) => d.values.portalAccess)]);
    for (const d of updates) events.push({ id: d.contact.id, action: 'contact.updated', details: { ...d.changes, import: importId } });
  }
  if (events.length > 0) {
    const actor = currentActor();
    await work.sql.query(
      `insert into audit_events (tenant_id, actor_kind, actor_id, actor_name, action, subject_type, subject_id, details)
       select $1, $2, $3, $4, u.action, 'contact', u.id, u.details from unnest($5::text[], $6::int[], $7::jsonb[]) as u(action, id, details)`,
      [tenantId, actor.kind, actor.id ?? null, actor.name ?? null, events.map((e) => e.action), events.map((e) => e.id), events.map((e) => JSON.stringify(e.details))]);
  }
}

async function recordOutcomes(work: TenantWork, importId: number, outcomes: Outcome[]): Promise<void> {
  const count = (kind: Outcome['outcome']) => outcomes.filter((o) => o.outcome === kind).length;
  await work.sql.query(
    `insert into import_outcomes (tenant_id, import_id, line, email, outcome, reason)
     select $1, $2, u.line, u.email, u.outcome, u.reason from unnest($3::int[], $4::text[], $5::text[], $6::jsonb[]) as u(line, email, outcome, reason)`,
    [work.tenantId, importId, outcomes.map((o) => o.line), outcomes.map((o) => o.email), outcomes.map((o) => o.outcome),
      outcomes.map((o) => (o.reason === undefined ? null : JSON.stringify(o.reason)))]);
  await work.sql.query(
    `update imports set rows_done = rows_done + $3, created = created + $4, updated = updated + $5, skipped = skipped + $6, failed = failed + $7
      where tenant_id = $1 and id = $2`,
    [work.tenantId, importId, outcomes.length, count('created'), count('updated'), count('skipped'), count('failed')]);
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
