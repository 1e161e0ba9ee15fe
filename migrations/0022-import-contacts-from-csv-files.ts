import { Migration } from '@mikro-orm/migrations';
import { tenantTableSecurity } from './helpers.js';

// Contacts > Import (issue 16): an uploaded CSV file and the state of its import —
// the mapping and options chosen, the job's progress, the counts — and one outcome per
// row it read (created, updated, skipped, failed with its reason), which is the report.
// The file is kept until the import ends (the job reads it from here, so any worker can
// run it), then dropped. Deleting the workspace deletes both.
export class ImportContactsFromCsvFiles extends Migration {
  async up(): Promise<void> {
    this.addSql(`create table imports (
      id serial primary key,
      tenant_id int not null references tenants(id) on delete cascade,
      technician_id int,
      actor_name varchar(200),
      file_name varchar(255) not null,
      content bytea,
      encoding varchar(20) not null check (encoding in ('utf-8', 'utf-8-bom', 'windows-1252')),
      delimiter varchar(1) not null check (delimiter in (',', ';', E'\\t')),
      headers jsonb not null default '[]',
      row_count int not null check (row_count between 1 and 50000),
      mapping jsonb not null default '{}',
      create_customers boolean not null default false,
      existing varchar(10) not null default 'skip' check (existing in ('skip', 'update')),
      status varchar(20) not null default 'mapping' check (status in ('mapping', 'queued', 'running', 'done', 'cancelled', 'failed')),
      cancel_requested boolean not null default false,
      rows_done int not null default 0,
      created int not null default 0,
      updated int not null default 0,
      skipped int not null default 0,
      failed int not null default 0,
      created_at timestamptz not null default now(),
      started_at timestamptz,
      finished_at timestamptz,
      unique (tenant_id, id),
      foreign key (tenant_id, technician_id) references technicians (tenant_id, id) on delete set null (technician_id)
    )`);
    this.addSql('create index imports_recent on imports (tenant_id, created_at desc)');
    this.addSql(`create table import_outcomes (
      id serial primary key,
      tenant_id int not null references tenants(id) on delete cascade,
      import_id int not null,
      line int not null,
      email text not null default '',
      outcome varchar(10) not null check (outcome in ('created', 'updated', 'skipped', 'failed')),
      reason jsonb,
      foreign key (tenant_id, import_id) references imports (tenant_id, id) on delete cascade
    )`);
    this.addSql('create index import_outcomes_import on import_outcomes (tenant_id, import_id, line)');
    for (const table of ['imports', 'import_outcomes']) for (const sql of tenantTableSecurity(table)) this.addSql(sql);
  }
}
