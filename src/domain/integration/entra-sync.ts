// Test connection, and Sync now: a directory's users imported as contacts of the customer
// the connection belongs to, by the contact import's own job (contact/import-run.ts) —
// the same batches, progress, cancel, report and audit as a CSV file. The entra-sync job
// first reads the directory page by page (the import's row count grows as it reads, so
// the progress page shows it), keeps what it read as the import's content — a CSV in the
// import's own shape, so the rows meet exactly the checks a file's rows meet — and then
// runs the import. Existing contacts (same address) are updated, never duplicated; a user
// disabled in the directory loses portal access (its contact is never deleted). Contacts
// get source `azure_ad` and no welcome email.
import { inTenantWork } from '../../db/unit-of-work.js';
import type { Em } from '../../db/orm.js';
import { log } from '../../lib/logger.js';
import { EMAIL, normaliseEmail, ValidationError } from '../../lib/validation.js';
import { runImport } from '../contact/import-run.js';
import { ContactImport } from '../contact/import.js';
import { csvLine } from '../contact/export-csv.js';
import type { Mapping } from '../contact/import-mapping.js';
import type { Tenant } from '../tenant/tenant.js';
import type { Technician } from '../technician/technician.js';
import { credentialsOf, EntraConnection } from './entra-connection.js';
import { accessToken, GraphError, GraphReader, type Credentials, type GraphProblem, type GraphUser, type ReaderOptions } from './graph-client.js';

export type TestStep = 'token' | 'users' | 'group';
export interface TestReport {
  ok: boolean;
  problem?: GraphProblem;
  steps: { step: TestStep; state: 'ok' | 'failed' | 'skipped'; problem?: GraphProblem }[];
}

const problemOf = (error: unknown): GraphProblem => (error instanceof GraphError ? error.problem : 'unexpected');

/**
 * Test connection: a token from the directory, one user read, and the group when one is
 * set — each step's result and the first failure's problem. Holds no database connection
 * (the caller reads the credentials first and records the result after: recordTest).
 */
export async function testConnection(credentials: Credentials, groupId: string | null | undefined, options: ReaderOptions = {}): Promise<TestReport> {
  const steps: TestReport['steps'] = [];
  const wanted: TestStep[] = groupId ? ['token', 'users', 'group'] : ['token', 'users'];
  let problem: GraphProblem | undefined;
  let reader: GraphReader | undefined;
  for (const step of wanted) {
    if (problem) {
      steps.push({ step, state: 'skipped' });
      continue;
    }
    try {
      if (step === 'token') reader = new GraphReader(await accessToken(credentials), options);
      else if (step === 'users') await reader!.get(reader!.usersUrl(null, 1));
      else await reader!.get(reader!.usersUrl(groupId, 1), 'groupNotFound');
      steps.push({ step, state: 'ok' });
    } catch (error) {
      problem = problemOf(error);
      if (problem === 'unexpected') log.warn({ problem: error instanceof Error ? error.message : 'unknown' }, 'an Entra ID connection test met an unexpected answer');
      steps.push({ step, state: 'failed', problem });
    }
  }
  return { ok: !problem, ...(problem ? { problem } : {}), steps };
}

/** The last test's result, kept on the connection (its page shows it). */
export async function recordTest(tenantId: number, connectionId: number, report: TestReport): Promise<void> {
  await inTenantWork(tenantId, ({ sql }) => sql.query('update entra_connections set last_test_at = now(), last_test_problem = $3 where tenant_id = $1 and id = $2',
    [tenantId, connectionId, report.problem ?? 'ok']));
}

/** The columns of the content an Entra import keeps, and how they map (fixed: there is no mapping step). */
const HEADERS = ['mail', 'givenName', 'surname', 'phone', 'portalAccess'];
const MAPPING: Mapping = { email: 0, firstName: 1, lastName: 2, phone: 3, portalAccess: 4 };

/** Sync now: an import of the directory's users, queued (the caller queues the job after the commit). */
export async function startSync(em: Em, tenant: Tenant, by: Technician, connection: EntraConnection): Promise<ContactImport> {
  const running = await em.count(ContactImport, { connectionId: connection.id, status: { $in: ['queued', 'running'] } });
  if (running) throw new ValidationError({ sync: 'entra.errors.syncRunning' });
  const sync = em.create(ContactImport, {
    tenant, technicianId: by.id, actorName: by.name, fileName: `Microsoft Entra ID — ${connection.customer.name}`.slice(0, 255),
    encoding: 'utf-8', delimiter: ',', headers: HEADERS, rowCount: 0, mapping: MAPPING,
    createCustomers: false, existing: 'update', status: 'queued', source: 'azure_ad', connectionId: connection.id,
  });
  await em.flush();
  return sync;
}

/** The address a user is imported with: `mail`, or the sign-in name when it is an address (not a guest's #EXT# one). */
export function addressOf(user: GraphUser): string {
  const mail = normaliseEmail(user.mail);
  if (mail) return mail;
  const upn = normaliseEmail(user.userPrincipalName);
  return upn && !upn.includes('#ext#') && EMAIL.test(upn) ? upn : '';
}

interface Plan { onlyEnabled: boolean; onlyWithMail: boolean; groupId: string | null; credentials: Awaited<ReturnType<typeof credentialsOf>> }

/** Runs an Entra import: reads the directory (unless a crashed run already did), then the contact import's job. */
export async function runEntraSync(tenantId: number, importId: number, options: ReaderOptions = {}): Promise<void> {
  const plan = await inTenantWork(tenantId, async ({ em }) => {
    const sync = await em.findOne(ContactImport, { id: importId, source: 'azure_ad' }, { populate: ['content'] });
    if (!sync || sync.status !== 'queued' || sync.content || !sync.connectionId) return sync?.content ? 'read' as const : undefined;
    const connection = await em.findOne(EntraConnection, { id: sync.connectionId }, { populate: ['customer'] });
    if (!connection) return undefined;
    return { onlyEnabled: connection.onlyEnabled, onlyWithMail: connection.onlyWithMail, groupId: connection.groupId ?? null, credentials: await credentialsOf(em, connection) } satisfies Plan;
  });
  if (!plan) return;
  if (plan !== 'read') {
    try {
      await readDirectory(tenantId, importId, plan, options);
    } catch (error) {
      const problem = problemOf(error);
      if (problem === 'unexpected') log.error({ importId, problem: error instanceof Error ? error.message : 'unknown' }, 'reading an Entra ID directory failed');
      await inTenantWork(tenantId, async ({ sql }) => {
        await sql.query(`update imports set status = 'failed', finished_at = now() where tenant_id = $1 and id = $2`, [tenantId, importId]);
        await sql.query(`update entra_connections set last_sync_at = now(), last_sync_problem = $3
                          where tenant_id = $1 and id = (select connection_id from imports where tenant_id = $1 and id = $2)`, [tenantId, importId, problem]);
      });
      return;
    }
  }
  await runImport(tenantId, importId);
  await inTenantWork(tenantId, async ({ sql }) => {
    await sql.query(`update entra_connections set last_sync_at = now(), last_sync_problem = null
                      where tenant_id = $1 and id = (select connection_id from imports where tenant_id = $1 and id = $2)`, [tenantId, importId]);
  });
}

async function readDirectory(tenantId: number, importId: number, plan: Plan, options: ReaderOptions): Promise<void> {
  const reader = new GraphReader(await accessToken(plan.credentials), options);
  const lines: string[] = [csvLine(HEADERS)];
  const disabled: { line: number; email: string }[] = [];
  let count = 0;
  for await (const page of reader.users(plan.groupId)) {
    for (const user of page) {
      if (plan.onlyWithMail && !normaliseEmail(user.mail)) continue;
      const email = addressOf(user);
      const enabled = user.accountEnabled !== false;
      const phone = user.businessPhones?.find((p) => typeof p === 'string' && p.trim()) ?? user.mobilePhone ?? '';
      // Enabled: portal access as it is (on for a new contact). Disabled: off.
      lines.push(csvLine([email, user.givenName ?? '', user.surname ?? '', phone, enabled ? '' : 'no']));
      count += 1;
      if (!enabled) disabled.push({ line: lines.length - 1, email });
    }
    // The progress page shows the users read so far.
    await inTenantWork(tenantId, ({ sql }) => sql.query('update imports set row_count = least($3, 50000) where tenant_id = $1 and id = $2', [tenantId, importId, count]));
  }
  await inTenantWork(tenantId, async ({ sql }) => {
    // Only enabled accounts: a disabled user is not added, but a contact it already is loses portal access.
    if (plan.onlyEnabled && disabled.length) {
      const known = new Set((await sql.query<{ email: string }>('select email from contacts where tenant_id = $1 and email = any($2::text[])',
        [tenantId, disabled.map((d) => d.email)])).map((r) => r.email));
      const dropped = new Set(disabled.filter((d) => !known.has(d.email)).map((d) => d.line));
      if (dropped.size) {
        const kept = lines.filter((_, i) => !dropped.has(i));
        lines.length = 0;
        lines.push(...kept);
      }
    }
    const rows = Math.min(lines.length - 1, 50_000);
    const content = Buffer.from(lines.slice(0, rows + 1).join(''), 'utf8');
    if (rows === 0) {
      await sql.query(`update imports set row_count = 0, status = 'done', started_at = now(), finished_at = now() where tenant_id = $1 and id = $2`, [tenantId, importId]);
      return;
    }
    await sql.query('update imports set content = $3, row_count = $4 where tenant_id = $1 and id = $2', [tenantId, importId, content, rows]);
  });
}
