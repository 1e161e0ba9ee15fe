// Ready to grow past one database (issue 18): every table that holds one workspace's rows
// could be distributed by tenant_id (Citus). The catalogue says so, or this test names the
// table and the key that breaks the rule. Migration 0030 rewrote the keys of the tables
// before it; a table added later must be written that way (primary key (tenant_id, id)).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import type pg from 'pg';
import { tenantKeyStatements } from '../../migrations/0030-key-every-tenant-table-by-its-workspace.js';
import { h, loadFixtures } from '../support/index.js';
import { writeTickets } from '../support/tickets.js';
import { Sql } from '../../src/db/sql.js';
import { listTickets } from '../../src/domain/ticket/queries.js';

/** Tables without tenant_id, each global on purpose. */
const GLOBAL: Record<string, string> = {
  tenants: 'the workspaces themselves; distributed, it would be a reference table copied to every node',
  session: 'express-session store keyed by the session id; read before the workspace is known',
  rate_limits: 'sign-in and reset limits keyed by address or account, counted before the workspace is trusted',
  agenda_jobs: "Agenda's own queue (jobs carry their tenant id in their data); could move to MongoDB",
  mikro_orm_migrations: 'which migrations ran: the schema, not anybody\'s data',
};

type Client = Pick<pg.ClientBase, 'query'>;

const rows = async <T>(client: Client, text: string): Promise<T[]> => (await client.query(text)).rows as T[];

/** What keeps `schema`'s tenant tables from being distributed by tenant_id, one line each. */
async function violations(client: Client, schema: string, globals?: Record<string, string>): Promise<string[]> {
  const found: string[] = [];
  const tables = await rows<{ name: string; tenant: boolean }>(client, `
    select c.relname as name, exists (select 1 from pg_attribute a where a.attrelid = c.oid and a.attname = 'tenant_id' and not a.attisdropped) as tenant
      from pg_class c join pg_namespace n on n.oid = c.relnamespace
     where n.nspname = '${schema}' and c.relkind in ('r', 'p') and not c.relispartition order by 1`);
  if (globals) {
    for (const t of tables.filter((t) => !t.tenant && !(t.name in globals))) found.push(`${t.name}: no tenant_id, and not listed as global on purpose`);
  }
  const tenantTables = `(select c.oid from pg_class c join pg_namespace n on n.oid = c.relnamespace
      join pg_attribute a on a.attrelid = c.oid and a.attname = 'tenant_id' and not a.attisdropped
      where n.nspname = '${schema}' and c.relkind in ('r', 'p'))`;
  const keyColumns = (index: string, count: string) => `array(select pg_get_indexdef(${index}, k, true) from generate_series(1, ${count}) k)`;

  const withoutPk = await rows<{ name: string }>(client, `select c.relname as name from pg_class c where c.oid in ${tenantTables}
      and not exists (select 1 from pg_constraint p where p.conrelid = c.oid and p.contype = 'p') order by 1`);
  for (const t of withoutPk) found.push(`${t.name}: no primary key`);

  const uniques = await rows<{ table: string; index: string; kind: string; keys: string[] }>(client, `
    select i.indrelid::regclass::text as "table", i.indexrelid::regclass::text as "index",
           coalesce((select case c.contype when 'p' then 'primary key' else 'unique constraint' end from pg_constraint c where c.conindid = i.indexrelid and c.conrelid = i.indrelid and c.contype in ('p', 'u')), 'unique index') as kind,
           ${keyColumns('i.indexrelid', 'i.indnkeyatts')} as keys
      from pg_index i where i.indisunique and i.indrelid in ${tenantTables} order by 1, 2`);
  for (const u of uniques.filter((u) => !u.keys.includes('tenant_id'))) found.push(`${u.table}: ${u.kind} ${u.index} (${u.keys.join(', ')}) lacks tenant_id`);

  const exclusions = await rows<{ table: string; name: string; def: string }>(client, `
    select c.conrelid::regclass::text as "table", c.conname as name, pg_get_constraintdef(c.oid) as def from pg_constraint c
     where c.contype = 'x' and c.conrelid in ${tenantTables}
       and not exists (select 1 from pg_attribute a where a.attrelid = c.conrelid and a.attname = 'tenant_id' and a.attnum = any (c.conkey))`);
  for (const x of exclusions) found.push(`${x.table}: exclusion constraint ${x.name} (${x.def}) lacks tenant_id`);

  const columns = (rel: string, nums: string) =>
    `array(select a.attname::text from unnest(${nums}) with ordinality k(num, i) join pg_attribute a on a.attrelid = ${rel} and a.attnum = k.num order by k.i)`;
  const foreignKeys = await rows<{ table: string; name: string; ref: string; cols: string[]; refCols: string[]; setCols: string[]; del: string; fromTenant: boolean }>(client, `
    select c.conrelid::regclass::text as "table", c.conname as name, c.confrelid::regclass::text as ref,
           ${columns('c.conrelid', 'c.conkey')} as "cols", ${columns('c.confrelid', 'c.confkey')} as "refCols",
           ${columns('c.conrelid', "coalesce(c.confdelsetcols, '{}')")} as "setCols", c.confdeltype as del,
           c.conrelid in ${tenantTables} as "fromTenant"
      from pg_constraint c where c.contype = 'f' and c.confrelid in ${tenantTables} order by 1, 2`);
  for (const fk of foreignKeys) {
    const at = fk.cols.indexOf('tenant_id');
    if (!fk.fromTenant) found.push(`${fk.table}: foreign key ${fk.name} to tenant table ${fk.ref} from a table without tenant_id`);
    else if (at < 0 || fk.refCols[at] !== 'tenant_id') found.push(`${fk.table}: foreign key ${fk.name} (${fk.cols.join(', ')}) → ${fk.ref} (${fk.refCols.join(', ')}) does not pair tenant_id with tenant_id`);
    else if ((fk.del === 'n' || fk.del === 'd') && (fk.setCols.length ? fk.setCols : fk.cols).includes('tenant_id')) found.push(`${fk.table}: foreign key ${fk.name} would null tenant_id on delete (name its columns: on delete set null (x_id))`);
  }
  return found;
}

/** Every `insert into T … on conflict (target)` in `text`. */
function conflictTargets(text: string): Array<{ table: string; target: string }> {
  const found: Array<{ table: string; target: string }> = [];
  const pattern = /on\s+conflict\s*\(/gi;
  for (let m = pattern.exec(text); m; m = pattern.exec(text)) {
    let depth = 1;
    let end = m.index + m[0].length;
    while (depth > 0 && end < text.length) { if (text[end] === '(') depth++; else if (text[end] === ')') depth--; end++; }
    const inserts = [...text.slice(0, m.index).matchAll(/insert\s+into\s+([a-z_][a-z0-9_.]*)/gi)];
    const table = inserts.at(-1)?.[1];
    if (table) found.push({ table, target: text.slice(m.index + m[0].length, end - 1) });
  }
  return found;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sourceFiles(path) : path.endsWith('.ts') ? [path] : [];
  });
}

describe('A schema ready to be distributed by workspace', () => {
  it('keys every tenant table by tenant_id, and every other table is listed here as global on purpose', async () => {
    expect(await violations(h().owner, 'public', GLOBAL)).to.deep.equal([]);
    const { rows: listed } = await h().owner.query<{ name: string }>(
      `select relname as name from pg_class where relnamespace = 'public'::regnamespace and relkind = 'r' and relname = any ($1)`, [Object.keys(GLOBAL)]);
    expect(listed.map((t) => t.name)).to.have.members(Object.keys(GLOBAL)); // no stale entry
  });

  it('leaves migration 0030 nothing more to do', async () => {
    expect(await tenantKeyStatements((text) => rows(h().owner, text))).to.deep.equal([]);
  });

  it('names, in every ON CONFLICT of the code and of the database functions, a unique key that exists', async () => {
    const targets = sourceFiles('src').flatMap((file) => conflictTargets(readFileSync(file, 'utf8')).map((t) => ({ ...t, where: file })));
    const bodies = await rows<{ name: string; body: string }>(h().owner, `select proname as name, prosrc as body from pg_proc where pronamespace = 'public'::regnamespace and prosrc ilike '%on conflict%'`);
    targets.push(...bodies.flatMap((f) => conflictTargets(f.body).map((t) => ({ ...t, where: `function ${f.name}()` }))));
    expect(targets.length).to.be.greaterThan(4);
    const refused: string[] = [];
    for (const { table, target, where } of targets) {
      // Planning the insert infers the unique index from the target, or fails: nothing is written.
      await h().owner.query(`explain insert into ${table} default values on conflict (${target}) do nothing`)
        .catch((error: Error) => refused.push(`${where}: ${table} (${target}): ${error.message}`));
    }
    expect(refused).to.deep.equal([]);
  });

  it('still finds a ticket by its id, its messages and the ticket list through indexes, as the app role', async () => {
    const f = await loadFixtures();
    const ids = await writeTickets(f, [{ number: 1, title: 'Printer on fire', messages: ['It smokes'] }, { number: 2, title: 'VPN down' }]);
    const client = await h().runtimePool.connect();
    try {
      await client.query(`begin; select set_config('app.tenant_id', '${f.acme.id}', true); set local enable_seqscan = off`);
      // With sequential scans priced out, a plan still holding one has no index to use.
      const plan = async (text: string, params: unknown[]) => JSON.stringify((await client.query(`explain (format json) ${text}`, params)).rows[0]);
      const statements: Array<{ text: string; values: unknown[] }> = [
        { text: 'select * from tickets where id = $1', values: [ids[1]] }, // by id alone: RLS adds the workspace
        { text: 'select * from tickets where id = $1 and tenant_id = $2', values: [ids[1], f.acme.id] }, // as the ORM asks
        { text: 'select * from ticket_messages where ticket_id = $1 and tenant_id = $2', values: [ids[1], f.acme.id] },
      ];
      // The ticket list's own statements, as the page runs them.
      const recording = { query: (config: { text: string; values: unknown[] }) => { statements.push({ text: config.text, values: config.values }); return client.query(config.text, config.values); } };
      const page = await listTickets(new Sql(f.acme.id, recording as unknown as pg.ClientBase), { view: 'all', page: 1 }, { id: f.technicians.alice.id }, 'en');
      expect(page.tickets.map((t) => t.number)).to.have.members([1, 2]);
      expect(statements.length).to.be.greaterThan(3);
      for (const { text, values } of statements) expect(await plan(text, values), text).to.not.contain('Seq Scan');
      // The ticket by id reaches its row through its key (tenant_id, id), not by walking the workspace in another index.
      for (const { text, values } of statements.slice(0, 2)) expect(await plan(text, values), text).to.contain('"Index Name":"tickets_pkey"');
      await client.query('rollback');
    } finally {
      client.release();
    }
  });

  describe('migration 0030 on tables written before it', () => {
    const schema = 'shard_probe';
    afterEach(async () => { await h().owner.query(`drop schema if exists ${schema} cascade`); });

    it('keys them by tenant_id and keeps their actions, deferrability, expressions, predicates and policies', async () => {
      const f = await loadFixtures();
      const db = h().owner;
      await db.query(`create schema ${schema};
        create table ${schema}.folders (
          id serial primary key,
          tenant_id int not null references public.tenants (id) on delete cascade,
          parent_id int references ${schema}.folders (id) on delete cascade,
          name text not null,
          unique (tenant_id, id));
        create unique index folders_name on ${schema}.folders (lower(name));
        create table ${schema}.notes (
          id serial primary key,
          tenant_id int not null references public.tenants (id) on delete cascade,
          folder_id int references ${schema}.folders (id) on delete set null deferrable initially deferred,
          code text unique,
          slug text,
          archived boolean not null default false,
          constraint notes_slug unique nulls not distinct (slug) include (archived) deferrable initially deferred);
        create unique index notes_live_code on ${schema}.notes (code) where not archived;
        create table ${schema}.note_links (
          note_id int primary key references ${schema}.notes (id) on update cascade on delete cascade,
          tenant_id int not null,
          code text);
        alter table ${schema}.note_links add constraint note_links_code_fkey foreign key (code) references ${schema}.notes (code) match full on delete set default not valid;
        alter table ${schema}.notes enable row level security;
        create policy notes_tenant on ${schema}.notes using (tenant_id = nullif(current_setting('app.tenant_id', true), '')::int);`);
      const before = await violations(db, schema);
      expect(before).to.have.length.greaterThan(8);

      const statements = await tenantKeyStatements((text) => rows(db, text), schema);
      for (const text of statements) await db.query(text);
      expect(await violations(db, schema)).to.deep.equal([]);
      expect(await tenantKeyStatements((text) => rows(db, text), schema)).to.deep.equal([]);

      const constraints = Object.fromEntries((await rows<{ name: string; def: string }>(db, `
        select conname as name, pg_get_constraintdef(oid) as def from pg_constraint where connamespace = '${schema}'::regnamespace and contype <> 'c'`)).map((c) => [c.name, c.def]));
      expect(constraints).to.deep.include({
        folders_pkey: 'PRIMARY KEY (tenant_id, id)',
        folders_parent_id_fkey: 'FOREIGN KEY (tenant_id, parent_id) REFERENCES shard_probe.folders(tenant_id, id) ON DELETE CASCADE',
        notes_pkey: 'PRIMARY KEY (tenant_id, id)',
        notes_folder_id_fkey: 'FOREIGN KEY (tenant_id, folder_id) REFERENCES shard_probe.folders(tenant_id, id) ON DELETE SET NULL (folder_id) DEFERRABLE INITIALLY DEFERRED',
        notes_code_key: 'UNIQUE (tenant_id, code)',
        notes_slug: 'UNIQUE NULLS NOT DISTINCT (tenant_id, slug) INCLUDE (archived) DEFERRABLE INITIALLY DEFERRED',
        note_links_pkey: 'PRIMARY KEY (tenant_id, note_id)',
        note_links_note_id_fkey: 'FOREIGN KEY (tenant_id, note_id) REFERENCES shard_probe.notes(tenant_id, id) ON UPDATE CASCADE ON DELETE CASCADE',
        note_links_code_fkey: 'FOREIGN KEY (tenant_id, code) REFERENCES shard_probe.notes(tenant_id, code) MATCH FULL ON DELETE SET DEFAULT (code) NOT VALID',
        folders_tenant_id_fkey: 'FOREIGN KEY (tenant_id) REFERENCES tenants(id) ON DELETE CASCADE', // to the global table: as it was
      });
      expect(constraints).to.not.have.property('folders_tenant_id_id_key'); // it repeated the primary key
      const indexes = (await rows<{ def: string }>(db, `select indexdef as def from pg_indexes where schemaname = '${schema}' and indexname in ('folders_name', 'notes_live_code') order by indexname`)).map((i) => i.def);
      expect(indexes).to.deep.equal([
        `CREATE UNIQUE INDEX folders_name ON ${schema}.folders USING btree (tenant_id, lower(name))`,
        `CREATE UNIQUE INDEX notes_live_code ON ${schema}.notes USING btree (tenant_id, code) WHERE (NOT archived)`,
      ]);
      const policies = await rows<{ name: string; qual: string }>(db, `select policyname as name, qual from pg_policies where schemaname = '${schema}'`);
      expect(policies).to.deep.equal([{ name: 'notes_tenant', qual: "(tenant_id = (NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::integer)" }]);

      // The same name in two workspaces is now allowed; deleting a folder empties only the note's folder_id.
      const [acme, globex] = [f.acme.id, f.globex.id];
      await db.query(`insert into ${schema}.folders (id, tenant_id, name) values (1, ${acme}, 'Inbox'), (2, ${globex}, 'Inbox')`);
      await db.query(`insert into ${schema}.notes (tenant_id, folder_id, code) values (${acme}, 1, 'a')`);
      await db.query(`delete from ${schema}.folders where tenant_id = ${acme} and id = 1`);
      expect(await rows(db, `select tenant_id, folder_id from ${schema}.notes`)).to.deep.equal([{ tenant_id: acme, folder_id: null }]);
      const crossTenant = await db.query(`insert into ${schema}.notes (tenant_id, folder_id) values (${acme}, 2)`).catch((error: Error) => error);
      expect(String(crossTenant)).to.contain('violates foreign key constraint "notes_folder_id_fkey"'); // another workspace's folder
    });

    it('refuses, by name, a table without tenant_id that refers to a tenant table', async () => {
      const db = h().owner;
      await db.query(`create schema ${schema};
        create table ${schema}.items (id serial primary key, tenant_id int not null);
        create table ${schema}.everyone (id serial primary key, item_id int references ${schema}.items (id));`);
      const refused = await tenantKeyStatements((text) => rows(db, text), schema).catch((error: Error) => error);
      expect(String(refused)).to.contain('everyone.everyone_item_id_fkey').and.contain('give it tenant_id first');
    });
  });
});
