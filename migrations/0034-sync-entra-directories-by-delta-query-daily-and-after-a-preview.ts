import { Migration } from '@mikro-orm/migrations';
import { RUNTIME_ROLE } from './helpers.js';

// Microsoft Entra ID, after the first import (issue 16): Sync now and the optional daily
// sync read only what changed, by Graph's delta query (/users/delta), from the delta link
// the last completed sync left on its connection. A directory's user is known by its
// object id (entra_users), since a deleted user comes back from the delta query as its id
// and "@removed" only: the address it was imported with says which contact loses portal
// access. An Entra import is read first (status 'reading'), previewed (mapping) and only
// then imported, like a file; a daily run (scheduled) goes on without a preview. Which
// connections have a daily sync due is kept in entra_sync_schedules: ids and times only,
// no tenant data, read by the worker without a tenant (as mailbox_polls).
export class SyncEntraDirectoriesByDeltaQueryDailyAndAfterAPreview extends Migration {
  async up(): Promise<void> {
    this.addSql('alter table entra_connections add column delta_link text');
    this.addSql('alter table entra_connections add column daily_sync boolean not null default false');
    this.addSql('alter table imports add column delta_link text');
    this.addSql(`alter table imports add column sync_mode varchar(10) check (sync_mode in ('full', 'delta', 'fallback'))`);
    this.addSql('alter table imports add column scheduled boolean not null default false');
    this.addSql('alter table imports drop constraint imports_status_check');
    this.addSql(`alter table imports add constraint imports_status_check check (status in ('reading', 'mapping', 'queued', 'running', 'done', 'cancelled', 'failed'))`);

    this.addSql(`create table entra_users (
      id serial,
      tenant_id int not null references tenants(id) on delete cascade,
      connection_id int not null,
      user_id varchar(100) not null,
      email varchar(320) not null,
      primary key (tenant_id, id),
      unique (tenant_id, connection_id, user_id),
      foreign key (tenant_id, connection_id) references entra_connections (tenant_id, id) on delete cascade
    )`);
    const same = `tenant_id = nullif(current_setting('app.tenant_id', true), '')::int`;
    this.addSql('alter table entra_users enable row level security');
    this.addSql('alter table entra_users force row level security');
    this.addSql(`create policy entra_users_tenant on entra_users for all using (${same}) with check (${same})`);
    this.addSql(`grant select, insert, update, delete on entra_users to ${RUNTIME_ROLE}`);
    this.addSql(`grant usage, select on sequence entra_users_id_seq to ${RUNTIME_ROLE}`);

    this.addSql(`create table entra_sync_schedules (
      tenant_id int not null,
      connection_id int not null,
      next_sync_at timestamptz not null,
      primary key (tenant_id, connection_id),
      foreign key (tenant_id, connection_id) references entra_connections (tenant_id, id) on delete cascade
    )`);
    this.addSql('create index entra_sync_schedules_due on entra_sync_schedules (next_sync_at)');
    this.addSql(`grant select, insert, update, delete on entra_sync_schedules to ${RUNTIME_ROLE}`);
  }
}
