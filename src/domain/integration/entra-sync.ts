// Test connection, and Sync now: a directory's users imported as contacts of the customer
// the connection belongs to, by the contact import's own job (contact/import-run.ts) —
// the same preview, batches, progress, cancel, report and audit as a CSV file. The
// entra-sync job first reads the directory (status 'reading': the import's row count grows
// as it reads, so the page shows it) and keeps what it read as the import's content — a
// CSV in the import's own shape, so the rows meet exactly the checks a file's rows meet.
// A person then previews it and clicks Import (the daily sync goes straight on); the job
// runs the import, and a completed one leaves its delta link on the connection.
//
// The first sync reads every user (GET /users, or the group's members) after asking Graph
// for a delta link "from now"; later ones read only what changed since (GET /users/delta
// from that link): new users are added, changed ones updated, and users disabled, deleted
// ("@removed") or gone from the group lose portal access — a contact is never deleted. A
// delta link Graph no longer knows (410, syncStateNotFound) makes it a full read, which the
// import's page says. Users are known by their object id (entra_users), since a deleted
// one comes back as its id only. Contacts get source `azure_ad` and no welcome email.
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
import type { TenantWork } from '../../db/unit-of-work.js';

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

/** Sync now (or a daily run): an import of the directory's users, read by the entra-sync job (the caller queues it after the commit). */
export async function startSync(em: Em, tenant: Tenant, by: Technician | null, connection: EntraConnection, options: { scheduled?: boolean } = {}): Promise<ContactImport> {
  const running = await em.count(ContactImport, { connectionId: connection.id, status: { $in: ['reading', 'queued', 'running'] } });
  if (running) throw new ValidationError({ sync: 'entra.errors.syncRunning' });
  // A preview left unimported is overtaken by this read: importing it later would bring back what it read.
  await em.nativeUpdate(ContactImport, { connectionId: connection.id, status: 'mapping' }, { status: 'cancelled', content: null, finishedAt: new Date() });
  const sync = em.create(ContactImport, {
    tenant, technicianId: by?.id ?? null, actorName: by?.name ?? null, fileName: `Microsoft Entra ID — ${connection.customer.name}`.slice(0, 255),
    encoding: 'utf-8', delimiter: ',', headers: HEADERS, rowCount: 0, mapping: MAPPING,
    createCustomers: false, existing: 'update', status: 'reading', source: 'azure_ad', connectionId: connection.id, scheduled: Boolean(options.scheduled),
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

interface Plan {
  connectionId: number; onlyEnabled: boolean; onlyWithMail: boolean; groupId: string | null; deltaLink: string | null;
  credentials: Awaited<ReturnType<typeof credentialsOf>>;
}

/** Runs an Entra import: reads the directory when it is to be read, then — once it is queued (Import, or a daily run) — the contact import's job. */
export async function runEntraSync(tenantId: number, importId: number, options: ReaderOptions = {}): Promise<void> {
  const plan = await inTenantWork(tenantId, async ({ em }) => {
    const sync = await em.findOne(ContactImport, { id: importId, source: 'azure_ad' });
    if (!sync || !sync.connectionId) return undefined;
    if (sync.status !== 'reading') return sync.status === 'queued' || sync.status === 'running' ? 'import' as const : undefined;
    const connection = await em.findOne(EntraConnection, { id: sync.connectionId }, { populate: ['customer', 'deltaLink'] });
    if (!connection) return undefined;
    return {
      connectionId: connection.id, onlyEnabled: connection.onlyEnabled, onlyWithMail: connection.onlyWithMail, groupId: connection.groupId ?? null,
      deltaLink: connection.deltaLink ?? null, credentials: await credentialsOf(em, connection),
    } satisfies Plan;
  });
  if (!plan) return;
  if (plan !== 'import') {
    let next: 'mapping' | 'queued' | 'done' | 'cancelled';
    try {
      next = await readDirectory(tenantId, importId, plan, options);
    } catch (error) {
      const problem = problemOf(error);
      if (problem === 'unexpected') log.error({ importId, problem: error instanceof Error ? error.message : 'unknown' }, 'reading an Entra ID directory failed');
      await inTenantWork(tenantId, async ({ sql }) => {
        await sql.query(`update imports set status = 'failed', finished_at = now() where tenant_id = $1 and id = $2`, [tenantId, importId]);
        await sql.query(`update entra_connections set last_sync_at = now(), last_sync_problem = $3 where tenant_id = $1 and id = $2`, [tenantId, plan.connectionId, problem]);
      });
      return;
    }
    if (next !== 'queued') return;
  }
  await runImport(tenantId, importId);
  await inTenantWork(tenantId, async ({ sql }) => {
    // A completed import moves the connection's delta link on; a cancelled or failed one leaves it, so the next sync reads those changes again.
    await sql.query(`update entra_connections c set last_sync_at = now(), last_sync_problem = null,
                            delta_link = case when i.status = 'done' and i.delta_link is not null then i.delta_link else c.delta_link end
                       from imports i where i.tenant_id = $1 and i.id = $2 and c.tenant_id = $1 and c.id = i.connection_id`, [tenantId, importId]);
  });
}

/** A row of the import's content: what to save of one user. `revoke`: only portal access off (a user disabled, deleted or out of the group). */
interface ReadRow { email: string; givenName: string; surname: string; phone: string; enabled: boolean; revoke?: boolean }

const rowOf = (user: GraphUser): ReadRow => ({
  email: addressOf(user), givenName: user.givenName ?? '', surname: user.surname ?? '',
  phone: user.businessPhones?.find((p) => typeof p === 'string' && p.trim()) ?? user.mobilePhone ?? '',
  enabled: user.accountEnabled !== false,
});

/** Reads the directory into the import's content; says what the import does next. */
async function readDirectory(tenantId: number, importId: number, plan: Plan, options: ReaderOptions): Promise<'mapping' | 'queued' | 'done' | 'cancelled'> {
  const reader = new GraphReader(await accessToken(plan.credentials), options);
  /** The users read, by object id (a user listed twice by a delta round counts once, as last listed). */
  const users = new Map<string, GraphUser>();
  const removed = new Set<string>();
  /** A group's members, as read beside a delta round (those not known yet have joined it). */
  const joined = new Map<string, GraphUser>();
  let mode: 'full' | 'delta' | 'fallback' = 'full';
  let deltaLink: string | undefined;
  let cancelled = false;
  // The page shows the users read so far; Cancel stops the reading between pages.
  const progress = async () => {
    const [row] = await inTenantWork(tenantId, ({ sql }) => sql.query<{ cancel_requested: boolean }>(
      'update imports set row_count = least($3, 50000) where tenant_id = $1 and id = $2 returning cancel_requested', [tenantId, importId, users.size + removed.size]));
    cancelled = Boolean(row?.cancel_requested);
    return cancelled;
  };
  if (plan.deltaLink) {
    try {
      const rounds = reader.delta(plan.deltaLink);
      for (;;) {
        const page = await rounds.next();
        if (page.done) {
          deltaLink = page.value;
          break;
        }
        for (const user of page.value.users) {
          removed.delete(user.id);
          users.set(user.id, user);
        }
        for (const id of page.value.removed) {
          users.delete(id);
          removed.add(id);
        }
        if (await progress()) break;
      }
      mode = 'delta';
    } catch (error) {
      if (!(error instanceof GraphError && error.problem === 'deltaExpired')) throw error;
      log.info({ importId }, 'an Entra ID delta link had expired: reading the whole directory');
      users.clear();
      removed.clear();
      mode = 'fallback';
    }
  }
  if (mode !== 'delta' && !cancelled) {
    // Asked before the read: whatever changes during it comes back in the next round (a replay, which an update absorbs).
    deltaLink = await reader.latestDeltaLink();
    for await (const page of reader.users(plan.groupId)) {
      for (const user of page) if (typeof user.id === 'string') users.set(user.id, user);
      if (await progress()) break;
    }
  }
  // A delta round covers the whole directory, and a user who joins the group is no change of the user:
  // the group's members are read too — the scope, and the users who joined it.
  let members: Set<string> | undefined;
  if (mode === 'delta' && plan.groupId && !cancelled) {
    members = new Set();
    for await (const page of reader.users(plan.groupId)) for (const user of page) if (typeof user.id === 'string') {
      members.add(user.id);
      joined.set(user.id, user);
    }
  }

  return inTenantWork(tenantId, async (work) => {
    const { sql } = work;
    // Still being read, by this run alone (a second worker given the job after its lock lapsed finds it moved on, and writes nothing).
    const [still] = await sql.query<{ status: string }>(`select status from imports where tenant_id = $1 and id = $2 for update`, [tenantId, importId]);
    if (still?.status !== 'reading') return 'cancelled' as const;
    if (cancelled) {
      await sql.query(`update imports set status = 'cancelled', started_at = now(), finished_at = now() where tenant_id = $1 and id = $2`, [tenantId, importId]);
      return 'cancelled' as const;
    }
    const known = new Map((await sql.query<{ user_id: string; email: string }>('select user_id, email from entra_users where tenant_id = $1 and connection_id = $2',
      [tenantId, plan.connectionId])).map((r) => [r.user_id, r.email]));
    // Members read beside a delta round who are not contacts yet (not known, or known from a preview never imported) have joined the group.
    const joinedKnown = [...joined.keys()].filter((id) => !users.has(id) && known.has(id)).map((id) => known.get(id)!);
    const imported = new Set(joinedKnown.length ? (await sql.query<{ email: string }>('select email from contacts where tenant_id = $1 and email = any($2::text[])',
      [tenantId, joinedKnown])).map((r) => r.email) : []);
    // (A member without an address could not be imported and is no news: it would fail again each day.)
    for (const [id, user] of joined) if (!users.has(id) && !imported.has(known.get(id) ?? '') && addressOf(user)) users.set(id, user);
    const rows: ReadRow[] = [];
    const revoke = (id: string) => {
      const email = known.get(id);
      if (email) rows.push({ email, givenName: '', surname: '', phone: '', enabled: false, revoke: true });
    };
    const seen = new Map<string, string>();
    for (const [id, user] of users) {
      if (members && !members.has(id)) {
        revoke(id);
        continue;
      }
      if (plan.onlyWithMail && !normaliseEmail(user.mail)) continue;
      const row = rowOf(user);
      rows.push(row);
      if (row.email) seen.set(id, row.email);
      // A new address: the contact of the old one is no longer this user's way in.
      if (known.has(id) && known.get(id) !== row.email) revoke(id);
    }
    for (const id of removed) revoke(id);
    // A full read: a user known from before and not read now has left the directory (or the group).
    if (mode !== 'delta') for (const id of known.keys()) if (!users.has(id)) revoke(id);
    // A delta round limited to a group: a user known from before who is no longer a member has left it.
    if (members) for (const id of known.keys()) if (!members.has(id) && !users.has(id)) revoke(id);

    // Only a contact there is can lose access (one that still has it: no row each day for those who lost it before);
    // a disabled user is not added when only enabled accounts are.
    const offered = rows.filter((r) => r.revoke || (!r.enabled && plan.onlyEnabled)).map((r) => r.email);
    const contacts = new Map(offered.length ? (await sql.query<{ email: string; portal_access: boolean }>('select email, portal_access from contacts where tenant_id = $1 and email = any($2::text[])',
      [tenantId, offered])).map((r) => [r.email, r.portal_access]) : []);
    const written = new Set(rows.filter((r) => !r.revoke && r.email).map((r) => r.email));
    const kept = rows.filter((r) => (r.revoke ? contacts.get(r.email) === true && !written.has(r.email) : r.enabled || !plan.onlyEnabled || contacts.has(r.email)));
    const revoked = new Set<string>();
    const unique = kept.filter((r) => !r.revoke || (!revoked.has(r.email) && Boolean(revoked.add(r.email))));

    await rememberUsers(work, plan.connectionId, seen);
    const lines = [csvLine(HEADERS), ...unique.slice(0, 50_000).map((r) => csvLine([r.email, r.givenName, r.surname, r.phone, r.enabled ? '' : 'no']))];
    const count = lines.length - 1;
    if (count === 0) {
      // Nothing to import: the sync is complete, and its delta link is the connection's now.
      await sql.query(`update imports set row_count = 0, status = 'done', sync_mode = $3, delta_link = $4, started_at = now(), finished_at = now() where tenant_id = $1 and id = $2`,
        [tenantId, importId, mode, deltaLink ?? null]);
      await sql.query(`update entra_connections set last_sync_at = now(), last_sync_problem = null, delta_link = coalesce($3, delta_link) where tenant_id = $1 and id = $2`,
        [tenantId, plan.connectionId, deltaLink ?? null]);
      return 'done' as const;
    }
    const [next] = await sql.query<{ status: 'mapping' | 'queued' }>(
      `update imports set content = $3, row_count = $4, sync_mode = $5, delta_link = $6, status = case when scheduled then 'queued' else 'mapping' end
        where tenant_id = $1 and id = $2 returning status`,
      [tenantId, importId, Buffer.from(lines.join(''), 'utf8'), count, mode, deltaLink ?? null]);
    return next.status;
  });
}

/**
 * Which address each directory user was read with, added to what was known — never
 * forgotten at a read, full or delta: a preview left unimported (cancelled by the next
 * sync, or a failed import) keeps the old delta link, and the next read must still find the
 * address of a user who left, to take its access then. A user revoked before is only
 * offered again while its contact still has access.
 */
async function rememberUsers(work: TenantWork, connectionId: number, seen: Map<string, string>): Promise<void> {
  const { sql, tenantId } = work;
  if (seen.size === 0) return;
  await sql.query(
    `insert into entra_users (tenant_id, connection_id, user_id, email) select $1, $2, u.user_id, u.email from unnest($3::text[], $4::text[]) as u(user_id, email)
     on conflict (tenant_id, connection_id, user_id) do update set email = excluded.email`,
    [tenantId, connectionId, [...seen.keys()], [...seen.values()]]);
}
