// A snapshot of the database's rows, taken once in a run and put back in one round trip:
// the named fixtures cost two sign-ups (two argon2 hashes, every default a workspace gets)
// the first time, and a few milliseconds after that. The rows live in the schema
// test_snapshot of the test database (the owner's; the app role cannot see it).
import type pg from 'pg';

export async function createSnapshotFunctions(owner: pg.Pool): Promise<void> {
  await owner.query(`
    create or replace function sportello_test_take_snapshot() returns void language plpgsql as $$
    declare r record;
    begin
      drop schema if exists test_snapshot cascade;
      create schema test_snapshot;
      create table test_snapshot.sequences as
        select format('%I.%I', schemaname, sequencename) as name, last_value
          from pg_sequences where schemaname = 'public' and last_value is not null;
      for r in select tablename from pg_tables where schemaname = 'public' and tablename <> 'mikro_orm_migrations' loop
        execute format('create table test_snapshot.%I as select * from public.%I', r.tablename, r.tablename);
      end loop;
    end $$`);
  // Puts the rows back into an empty database; false (and nothing written) when a table has rows.
  await owner.query(`
    create or replace function sportello_test_restore_snapshot() returns boolean language plpgsql as $$
    declare r record; found_row boolean; cols text;
    begin
      for r in select tablename from pg_tables where schemaname = 'public' and tablename <> 'mikro_orm_migrations' loop
        execute format('select exists (select 1 from public.%I)', r.tablename) into found_row;
        if found_row then return false; end if;
      end loop;
      set local session_replication_role = replica;
      for r in select c.relname from pg_class c
               where c.relnamespace = 'test_snapshot'::regnamespace and c.relkind = 'r' and c.relname <> 'sequences'
                 and exists (select 1 from pg_tables t where t.schemaname = 'public' and t.tablename = c.relname) loop
        select string_agg(format('%I', a.attname), ', ' order by a.attnum) into cols
          from pg_attribute a
         where a.attrelid = format('public.%I', r.relname)::regclass and a.attnum > 0 and not a.attisdropped and a.attgenerated = '';
        execute format('insert into public.%I (%s) overriding system value select %s from test_snapshot.%I', r.relname, cols, cols, r.relname);
      end loop;
      perform setval(s.name, s.last_value, true) from test_snapshot.sequences s;
      return true;
    end $$`);
}

export async function takeSnapshot(owner: pg.Pool): Promise<void> {
  await owner.query('select sportello_test_take_snapshot()');
}

export async function restoreSnapshot(owner: pg.Pool): Promise<boolean> {
  const { rows } = await owner.query<{ restored: boolean }>('select sportello_test_restore_snapshot() as restored');
  return rows[0].restored;
}
