// MikroORM on PostgreSQL. The runtime pool connects as the unprivileged role
// `sportello_app` (its own login, see runtimeUrl), so row-level security applies;
// migrations run separately as the owner (the DATABASE_URL user). The tenant for RLS
// is not set here: each unit of work sets app.tenant_id itself, transaction-locally,
// in the statement that begins its transaction (src/db/unit-of-work.ts).
import { createHmac } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { MikroORM, type EntityManager, type Options } from '@mikro-orm/postgresql';
import pg from 'pg';
import { config } from '../config.js';
import { NotFoundError } from '../lib/validation.js';
import { entities } from './entities.js';

export const RUNTIME_ROLE = 'sportello_app';
export type Em = EntityManager;

function baseOptions(url: string): Options {
  return {
    clientUrl: url,
    entities,
    allowGlobalContext: false,
    // A record that is not there — or is another tenant's, which the tenant filter hides — is a 404.
    findOneOrFailHandler: () => new NotFoundError(),
    discovery: { warnWhenNoEntities: false },
    schemaGenerator: { skipTables: ['agenda_jobs', 'agenda_logs', 'session', 'rate_limits'] },
    debug: process.env.ORM_DEBUG === '1',
  };
}

/**
 * The runtime connects AS sportello_app (its own login, never the owner switching
 * role: a session that began as a superuser could `RESET ROLE` its way past RLS).
 * Its password is derived from APP_SECRET and set by `migrate`, run as the owner.
 */
export function runtimeUrl(ownerUrl: string): string {
  const url = new URL(ownerUrl);
  url.username = RUNTIME_ROLE;
  url.password = runtimePassword();
  return url.toString();
}

function runtimePassword(): string {
  return createHmac('sha256', config().secret).update('sportello database runtime role').digest('base64url');
}

export async function openRuntimeOrm(ownerUrl: string, poolSize = 10): Promise<MikroORM> {
  return MikroORM.init({
    ...baseOptions(runtimeUrl(ownerUrl)),
    pool: { min: 0, max: poolSize },
  });
}

/**
 * Applies pending migrations as the owner (the DATABASE_URL user). Never generates schema at start.
 * When every migration is already applied — every start but the first after an upgrade — one
 * query says so and the Migrator is never loaded: it and the migrations (umzug and its command
 * line, ~1/4 of the modules a start loaded) and a second ORM's metadata discovery cost more
 * than half a start (bench/boot).
 */
export async function migrate(url: string): Promise<string[]> {
  if (await everyMigrationApplied(url)) return [];
  const [{ Migrator }, { migrationsList }] = await Promise.all([import('@mikro-orm/migrations'), import('../../migrations/index.js')]);
  const orm = await MikroORM.init({
    ...baseOptions(url),
    extensions: [Migrator],
    // Hand-written migrations: no schema snapshot (it would be written into migrations/ on every run, per database).
    migrations: { migrationsList, tableName: 'mikro_orm_migrations', transactional: true, allOrNothing: true, silent: true, snapshot: false },
    pool: { min: 0, max: 1 },
  });
  try {
    const applied = await orm.getMigrator().up();
    await orm.em.fork().getConnection().execute(setRuntimePassword());
    return applied.map((m) => m.name);
  } finally {
    await orm.close(true);
  }
}

function setRuntimePassword(): string {
  return `alter role ${RUNTIME_ROLE} with login password '${runtimePassword()}'`;
}

/**
 * The migrations there are: the files of migrations/ beside this build (each registered in
 * migrations/index.ts by its file's name; a file not registered yet only sends a start the
 * long way, through the Migrator, which applies what is registered).
 */
function migrationFiles(): string[] {
  const folder = new URL('../../migrations/', import.meta.url);
  return readdirSync(folder).flatMap((file) => /^(\d{4}-[a-z0-9-]+)\.(?:js|ts)$/.exec(file)?.[1] ?? []);
}

/** True when the database has applied every migration there is (and then the runtime role's password is set, as `migrate` does). */
async function everyMigrationApplied(url: string): Promise<boolean> {
  const files = migrationFiles();
  const client = new pg.Client({ connectionString: url });
  client.on('error', () => undefined); // a connection dropped meanwhile fails the query below, not the process
  await client.connect();
  try {
    const { rows } = await client.query<{ name: string }>('select name from mikro_orm_migrations').catch((error: { code?: string }) => {
      if (error.code === '42P01') return { rows: [] }; // a new database: no table yet
      throw error;
    });
    const applied = new Set(rows.map((row) => row.name));
    if (!files.length || !files.every((name) => applied.has(name))) return false;
    await client.query(setRuntimePassword());
    return true;
  } finally {
    await client.end();
  }
}

/** Refuse to serve if the runtime role could bypass row-level security. */
export async function assertRuntimeRoleIsUnprivileged(orm: MikroORM): Promise<void> {
  const [role] = await orm.em.fork().getConnection().execute<{ user: string; session: string; rolsuper: boolean; rolbypassrls: boolean; owned: string }[]>(
    `select current_user as user, session_user as session, r.rolsuper, r.rolbypassrls,
            (select count(*) from pg_class c where c.relowner = r.oid and c.relkind = 'r')::text as owned
       from pg_roles r where r.rolname = current_user`,
  );
  if (!role || role.user !== RUNTIME_ROLE || role.session !== RUNTIME_ROLE || role.rolsuper || role.rolbypassrls || role.owned !== '0') {
    throw new Error(`Refusing to serve: the runtime database role must be ${RUNTIME_ROLE}, signed in as itself, not superuser, without BYPASSRLS and owning no table (found ${JSON.stringify(role)}).`);
  }
}
