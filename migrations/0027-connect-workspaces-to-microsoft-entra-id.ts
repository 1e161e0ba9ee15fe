import { Migration } from '@mikro-orm/migrations';
import { tenantTableSecurity } from './helpers.js';

// Admin > Integrations > Microsoft Entra ID (issue 16): a connection per customer (an
// MSP's customer has its own Microsoft 365 directory; an IT department has one, for a
// site) — the directory (tenant) ID, the application (client) ID and the client secret,
// sealed (src/secret-box.ts), never shown again — with the import's filters and the last
// test's result. An import of its users is an import like a CSV file's (imports), with
// source 'azure_ad' and the connection it read: the same job, progress and report. The
// users read from the directory are kept as the import's content until it ends, as a
// file is; a directory may hold no user yet, so an import may have 0 rows.
export class ConnectWorkspacesToMicrosoftEntraId extends Migration {
  async up(): Promise<void> {
    this.addSql(`create table entra_connections (
      id serial,
      tenant_id int not null references tenants(id) on delete cascade,
      customer_id int not null,
      directory_id varchar(100) not null,
      client_id varchar(100) not null,
      secret_sealed text not null,
      secret_key_version int not null,
      group_id varchar(100),
      only_enabled boolean not null default true,
      only_with_mail boolean not null default false,
      last_test_at timestamptz,
      last_test_problem varchar(40),
      last_sync_at timestamptz,
      last_sync_problem varchar(40),
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      primary key (tenant_id, id),
      unique (tenant_id, customer_id),
      foreign key (tenant_id, customer_id) references customers (tenant_id, id) on delete cascade
    )`);
    for (const sql of tenantTableSecurity('entra_connections')) this.addSql(sql);
    this.addSql(`alter table imports add column source varchar(10) not null default 'csv' check (source in ('csv', 'azure_ad'))`);
    this.addSql('alter table imports add column connection_id int');
    this.addSql(`alter table imports add foreign key (tenant_id, connection_id) references entra_connections (tenant_id, id) on delete set null (connection_id)`);
    this.addSql('alter table imports drop constraint imports_row_count_check');
    this.addSql(`alter table imports add constraint imports_row_count_check check (row_count between 0 and 50000 and (row_count > 0 or source = 'azure_ad'))`);
  }
}
