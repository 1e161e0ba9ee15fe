// SQL shared by migrations: row-level security for a tenant table.
export const RUNTIME_ROLE = 'sportello_app';

export function tenantTableSecurity(table: string): string[] {
  const same = `tenant_id = nullif(current_setting('app.tenant_id', true), '')::int`;
  return [
    `alter table ${table} enable row level security`,
    `alter table ${table} force row level security`,
    `create policy ${table}_tenant on ${table} for all using (${same}) with check (${same})`,
    `grant select, insert, update, delete on ${table} to ${RUNTIME_ROLE}`,
    `grant usage, select on sequence ${table}_id_seq to ${RUNTIME_ROLE}`,
  ];
}
