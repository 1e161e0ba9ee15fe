import { Migration } from '@mikro-orm/migrations';

// Ready to grow past one database (issue 18): a table that holds one workspace's rows can
// be distributed by tenant_id (Citus) only when its primary key and every unique key
// include tenant_id, and every foreign key to another such table pairs tenant_id with
// tenant_id. Until now a tenant table's primary key was `id` alone.
//
// This migration reads the catalogue when it runs, so it also converts the tables that
// migrations numbered before it added, whatever they look like. For every table of the
// schema with a tenant_id column ("tenant table"):
//  - its foreign keys to other tenant tables are dropped first and added again at the end,
//    led by (tenant_id, …) on both sides, with their ON UPDATE / ON DELETE actions, MATCH
//    type, deferrability and NOT VALID kept; ON DELETE SET NULL / SET DEFAULT name their
//    columns (PostgreSQL 15), so tenant_id is never nulled;
//  - its primary key becomes (tenant_id, …its columns) under the same name;
//  - a unique constraint or unique index without tenant_id as a key column is made again,
//    same name, with tenant_id first — expressions (lower(email)), partial predicates,
//    INCLUDE columns, NULLS NOT DISTINCT and deferrability as they were;
//  - a unique key that now repeats the primary key — the `unique (tenant_id, id)` each
//    table carried for its composite foreign keys — is dropped (one index fewer per write).
// Row-level security policies, grants, sequences and the other indexes are not touched:
// they name columns, not keys. tenant_id leads each key: a workspace's rows sit together in
// every index, and a lookup by id runs under RLS (or the code's own tenant_id = …), which
// gives the index its tenant. Lookups by id alone are none left (see the commit). A query that
// groups by `t.id` and reads t's other columns must now group by `t.tenant_id, t.id`: the
// key, not id alone, is what makes the other columns follow.
// Tables without tenant_id (tenants, sessions, rate limits, jobs, migrations) are global
// on purpose: test/db/shard-ready.test.ts lists them with the reason.
// The one function whose body named a key, keep_outbox_schedule (0011), is written again.

/** Runs a catalogue query and returns its rows (the migration's transaction, or a test's client). */
export type CatalogueQuery = (sql: string) => Promise<Array<Record<string, unknown>>>;

const ident = (name: string) => `"${name.replace(/"/g, '""')}"`;
const list = (names: string[]) => names.map(ident).join(', ');
const ACTION: Record<string, string> = { a: 'no action', r: 'restrict', c: 'cascade', n: 'set null', d: 'set default' };

interface UniqueKey {
  table: string;
  index: string;
  constraint: string | null;
  kind: 'p' | 'u' | null;
  keys: string[];
  partial: boolean;
  deferrable: boolean;
  def: string;
}

interface ForeignKey {
  table: string;
  name: string;
  index: string;
  ref: string;
  cols: string[];
  refCols: string[];
  setCols: string[];
  upd: string;
  del: string;
  match: string;
  deferrable: boolean;
  deferred: boolean;
  valid: boolean;
}

/** Key definition with tenant_id put first in its column list (after the first "(" at or past `from`). */
function withTenantFirst(def: string, from: number): string {
  const at = def.indexOf('(', from);
  if (at < 0) throw new Error(`No column list in ${def}`);
  return `${def.slice(0, at + 1)}tenant_id, ${def.slice(at + 1)}`;
}

/** The statements that key every tenant table of `schema` by tenant_id, from the catalogue as it is now. */
export async function tenantKeyStatements(query: CatalogueQuery, schema = 'public'): Promise<string[]> {
  if (!/^[a-z_][a-z0-9_]*$/.test(schema)) throw new Error(`Unexpected schema name ${schema}`);
  const tenantTables = `(select c.oid from pg_class c join pg_namespace n on n.oid = c.relnamespace
      join pg_attribute a on a.attrelid = c.oid and a.attname = 'tenant_id' and not a.attisdropped
      where n.nspname = '${schema}' and c.relkind in ('r', 'p') and not c.relispartition)`;
  const qualified = (oid: string) => `(select format('%I.%I', n.nspname, c.relname) from pg_class c join pg_namespace n on n.oid = c.relnamespace where c.oid = ${oid})`;
  const columns = (rel: string, nums: string) =>
    `array(select a.attname::text from unnest(${nums}) with ordinality k(num, i) join pg_attribute a on a.attrelid = ${rel} and a.attnum = k.num order by k.i)`;

  const keys = (await query(`
    select ${qualified('i.indrelid')} as "table", format('%I.%I', n.nspname, ic.relname) as "index",
           con.conname as "constraint", con.contype as "kind",
           array(select pg_get_indexdef(i.indexrelid, k, true) from generate_series(1, i.indnkeyatts) k) as "keys",
           i.indpred is not null as "partial", coalesce(con.condeferrable, false) as "deferrable",
           coalesce(pg_get_constraintdef(con.oid), pg_get_indexdef(i.indexrelid)) as "def"
      from pg_index i join pg_class ic on ic.oid = i.indexrelid join pg_namespace n on n.oid = ic.relnamespace
      left join pg_constraint con on con.conindid = i.indexrelid and con.conrelid = i.indrelid and con.contype in ('p', 'u')
     where i.indisunique and i.indrelid in ${tenantTables}
     order by 1, 2`)) as unknown as UniqueKey[];

  const foreignKeys = (await query(`
    select ${qualified('con.conrelid')} as "table", con.conname as "name", ${qualified('con.conindid')} as "index", ${qualified('con.confrelid')} as "ref",
           ${columns('con.conrelid', 'con.conkey')} as "cols", ${columns('con.confrelid', 'con.confkey')} as "refCols",
           ${columns('con.conrelid', 'coalesce(con.confdelsetcols, \'{}\')')} as "setCols",
           con.confupdtype as "upd", con.confdeltype as "del", con.confmatchtype as "match",
           con.condeferrable as "deferrable", con.condeferred as "deferred", con.convalidated as "valid",
           con.conrelid in ${tenantTables} as "fromTenant"
      from pg_constraint con
     where con.contype = 'f' and con.confrelid in ${tenantTables}
     order by 1, 2`)) as unknown as Array<ForeignKey & { fromTenant: boolean }>;

  const rekeys: string[] = [];
  const rekeyed = new Set<string>();
  const byTable = new Map<string, UniqueKey[]>();
  for (const key of keys) byTable.set(key.table, [...(byTable.get(key.table) ?? []), key]);
  for (const [table, uniques] of byTable) {
    const pk = uniques.find((u) => u.kind === 'p');
    const pkKeys = pk ? (pk.keys.includes('tenant_id') ? pk.keys : ['tenant_id', ...pk.keys]) : null;
    for (const u of uniques) {
      const hasTenant = u.keys.includes('tenant_id');
      const repeatsPk = u !== pk && pkKeys && hasTenant && !u.partial && !u.deferrable
        && u.keys.length === pkKeys.length && u.keys.every((k) => pkKeys.includes(k));
      if (!repeatsPk && hasTenant) continue;
      rekeyed.add(u.index);
      if (u.constraint) {
        const drop = `alter table ${table} drop constraint ${ident(u.constraint)}`;
        rekeys.push(repeatsPk ? drop : `${drop}, add constraint ${ident(u.constraint)} ${withTenantFirst(u.def, 0)}`);
      } else {
        rekeys.push(`drop index ${u.index}`);
        if (!repeatsPk) rekeys.push(withTenantFirst(u.def, u.def.search(/ USING \w+ \(/)));
      }
    }
  }

  // A foreign key is written again when it does not pair tenant_id with tenant_id, when its
  // ON DELETE SET NULL / SET DEFAULT would null tenant_id, or when the key it uses is rewritten.
  const paired = (fk: ForeignKey) => { const at = fk.cols.indexOf('tenant_id'); return at >= 0 && fk.refCols[at] === 'tenant_id'; };
  const nullsTenant = (fk: ForeignKey) => (fk.del === 'n' || fk.del === 'd') && (fk.setCols.length ? fk.setCols : fk.cols).includes('tenant_id');
  const rewritten = foreignKeys.filter((fk) => rekeyed.has(fk.index) || (fk.fromTenant && (!paired(fk) || nullsTenant(fk))));
  const strangers = rewritten.filter((fk) => !fk.fromTenant);
  if (strangers.length) {
    throw new Error(`A table without tenant_id refers to a tenant table (${strangers.map((fk) => `${fk.table}.${fk.name}`).join(', ')}): give it tenant_id first.`);
  }
  const drops = rewritten.map((fk) => `alter table ${fk.table} drop constraint ${ident(fk.name)}`);
  const adds = rewritten.map((fk) => {
    let cols = fk.cols;
    let refCols = fk.refCols;
    if (!cols.includes('tenant_id') && !refCols.includes('tenant_id')) {
      cols = ['tenant_id', ...cols];
      refCols = ['tenant_id', ...refCols];
    } else if (!paired(fk)) {
      throw new Error(`Foreign key ${fk.table}.${fk.name} pairs tenant_id with another column: write it by hand.`);
    }
    let onDelete = ACTION[fk.del];
    if (fk.del === 'n' || fk.del === 'd') onDelete += ` (${list((fk.setCols.length ? fk.setCols : fk.cols).filter((c) => c !== 'tenant_id'))})`;
    return `alter table ${fk.table} add constraint ${ident(fk.name)} foreign key (${list(cols)}) references ${fk.ref} (${list(refCols)})`
      + `${fk.match === 'f' ? ' match full' : ''} on update ${ACTION[fk.upd]} on delete ${onDelete}`
      + `${fk.deferrable ? ` deferrable initially ${fk.deferred ? 'deferred' : 'immediate'}` : ''}${fk.valid ? '' : ' not valid'}`;
  });
  return [...drops, ...rekeys, ...adds];
}

export class KeyEveryTenantTableByItsWorkspace extends Migration {
  async up(): Promise<void> {
    for (const sql of await tenantKeyStatements((sql) => this.execute(sql))) this.addSql(sql);
    // outbox_schedule's key is now (tenant_id, email_id): its trigger names both.
    this.addSql(`create or replace function keep_outbox_schedule() returns trigger language plpgsql as $$
      begin
        if new.status = 'queued' then
          insert into outbox_schedule (email_id, tenant_id, next_attempt_at) values (new.id, new.tenant_id, new.next_attempt_at)
            on conflict (tenant_id, email_id) do update set next_attempt_at = excluded.next_attempt_at;
        else
          delete from outbox_schedule where tenant_id = new.tenant_id and email_id = new.id;
        end if;
        return null;
      end $$`);
  }
}
