// Every text, varchar and json value of every table (as the owner, no RLS), and
// the captured logs: where a secret must never be found.
import { h } from './harness.js';

export async function everythingStored(): Promise<string> {
  const { rows: columns } = await h().owner.query<{ table_name: string; column_name: string }>(
    `select c.table_name, c.column_name from information_schema.columns c
       join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name
      where c.table_schema = 'public' and t.table_type = 'BASE TABLE'
        and c.data_type in ('text', 'character varying', 'character', 'json', 'jsonb')`);
  const parts: string[] = [];
  for (const { table_name: table, column_name: column } of columns) {
    const { rows } = await h().owner.query(`select "${column}"::text as v from "${table}" where "${column}" is not null`);
    for (const row of rows) parts.push(`${table}.${column}: ${row.v}`);
  }
  return parts.join('\n');
}

export function everythingLogged(): string {
  return h().logs.join('\n');
}
