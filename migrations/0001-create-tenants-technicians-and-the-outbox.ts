import { Migration } from '@mikro-orm/migrations';
import { getCreateIndexesSQL, getCreateTableSQL, getUpdateTimestampTriggerSQL } from '@agendajs/postgres-backend';
import { RUNTIME_ROLE, tenantTableSecurity } from './helpers.js';

export class CreateTenantsTechniciansAndTheOutbox extends Migration {
  async up(): Promise<void> {
    // The runtime role: no login, no superuser, no BYPASSRLS, owns nothing.
    this.addSql(`do $$ begin
      if not exists (select 1 from pg_roles where rolname = '${RUNTIME_ROLE}') then
        create role ${RUNTIME_ROLE} nologin nosuperuser nobypassrls noinherit;
      end if;
    end $$`);
    this.addSql(`grant ${RUNTIME_ROLE} to current_user`);
    this.addSql(`grant usage on schema public to ${RUNTIME_ROLE}`);

    this.addSql(`create table tenants (
      id serial primary key,
      slug varchar(63) not null unique,
      name varchar(200) not null,
      edition varchar(10) not null check (edition in ('msp', 'it')),
      plan varchar(20) not null check (plan in ('pro', 'enterprise')),
      trial_ends_at timestamptz not null,
      next_ticket_number int not null default 1001,
      created_at timestamptz not null default now()
    )`);
    // Anyone may look a tenant up by its host; only the tenant itself may change its row.
    const own = `id = nullif(current_setting('app.tenant_id', true), '')::int`;
    this.addSql('alter table tenants enable row level security');
    this.addSql('alter table tenants force row level security');
    this.addSql('create policy tenants_lookup on tenants for select using (true)');
    this.addSql(`create policy tenants_insert on tenants for insert with check (${own})`);
    this.addSql(`create policy tenants_update on tenants for update using (${own}) with check (${own})`);
    this.addSql(`grant select, insert, update on tenants to ${RUNTIME_ROLE}`);
    this.addSql(`grant usage, select on sequence tenants_id_seq to ${RUNTIME_ROLE}`);

    this.addSql(`create table technicians (
      id serial primary key,
      tenant_id int not null references tenants(id) on delete cascade,
      email varchar(254) not null,
      name varchar(200) not null,
      role varchar(20) not null check (role in ('admin', 'technician')),
      password_hash text,
      active boolean not null default true,
      last_login_at timestamptz,
      created_at timestamptz not null default now()
    )`);
    this.addSql('create unique index technicians_tenant_email on technicians (tenant_id, lower(email))');

    this.addSql(`create table password_tokens (
      id serial primary key,
      tenant_id int not null references tenants(id) on delete cascade,
      technician_id int references technicians(id) on delete cascade,
      purpose varchar(20) not null,
      token_hash char(64) not null unique,
      expires_at timestamptz not null,
      used_at timestamptz,
      created_at timestamptz not null default now()
    )`);
    this.addSql('create index password_tokens_technician on password_tokens (tenant_id, technician_id)');

    this.addSql(`create table audit_events (
      id serial primary key,
      tenant_id int not null references tenants(id) on delete cascade,
      actor_kind varchar(20) not null,
      actor_id int,
      actor_name varchar(200),
      action varchar(100) not null,
      subject_type varchar(50),
      subject_id int,
      details jsonb not null default '{}',
      created_at timestamptz not null default now()
    )`);
    this.addSql('create index audit_events_subject on audit_events (tenant_id, subject_type, subject_id, created_at desc)');

    this.addSql(`create table outbound_emails (
      id serial primary key,
      tenant_id int not null references tenants(id) on delete cascade,
      to_address varchar(254) not null,
      to_name varchar(200),
      subject varchar(500) not null,
      text_body text not null,
      html_body text,
      kind varchar(50) not null,
      credential_target jsonb,
      reply_to varchar(254),
      in_reply_to varchar(500),
      auto_submitted boolean not null default false,
      ticket_id int,
      contact_id int,
      status varchar(20) not null default 'queued' check (status in ('queued', 'sent', 'failed', 'captured')),
      attempts int not null default 0,
      last_error text,
      next_attempt_at timestamptz not null default now(),
      message_id varchar(500),
      sent_at timestamptz,
      captured_path text,
      created_at timestamptz not null default now()
    )`);
    this.addSql('create index outbound_emails_log on outbound_emails (tenant_id, created_at desc)');
    this.addSql(`create index outbound_emails_due on outbound_emails (tenant_id, next_attempt_at) where status = 'queued'`);

    for (const table of ['technicians', 'password_tokens', 'audit_events', 'outbound_emails']) {
      for (const sql of tenantTableSecurity(table)) this.addSql(sql);
    }

    // Tables no tenant owns: sessions, the shared rate-limit store, Agenda's jobs.
    this.addSql(`create table session (
      sid varchar not null primary key,
      sess json not null,
      expire timestamp(6) not null
    )`);
    this.addSql('create index session_expire on session (expire)');
    this.addSql(`create table rate_limits (key varchar(255) primary key, points integer not null default 0, expire bigint)`);
    this.addSql(getCreateTableSQL('agenda_jobs'));
    for (const sql of getCreateIndexesSQL('agenda_jobs')) this.addSql(sql);
    this.addSql(getUpdateTimestampTriggerSQL('agenda_jobs'));
    for (const table of ['session', 'rate_limits', 'agenda_jobs']) {
      this.addSql(`grant select, insert, update, delete on ${table} to ${RUNTIME_ROLE}`);
    }
  }
}
