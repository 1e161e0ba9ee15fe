import { Migration } from '@mikro-orm/migrations';
import { tenantTableSecurity } from './helpers.js';

export class CreateEmailTemplatesQuickRepliesAndSettings extends Migration {
  async up(): Promise<void> {
    this.addSql(`create table email_templates (
      id serial primary key,
      tenant_id int not null references tenants(id) on delete cascade,
      name varchar(200) not null,
      subject varchar(500) not null,
      body text not null,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    )`);
    this.addSql('create unique index email_templates_tenant_name on email_templates (tenant_id, lower(name))');

    this.addSql(`create table quick_replies (
      id serial primary key,
      tenant_id int not null references tenants(id) on delete cascade,
      name varchar(200) not null,
      body text not null,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    )`);
    this.addSql('create unique index quick_replies_tenant_name on quick_replies (tenant_id, lower(name))');

    // One row per tenant. A template in use here cannot be deleted (on delete restrict is the second belt).
    this.addSql(`create table email_settings (
      id serial primary key,
      tenant_id int not null unique references tenants(id) on delete cascade,
      auto_create_contacts boolean not null default false,
      send_welcome_email boolean not null default false,
      welcome_template_id int references email_templates(id) on delete restrict,
      reset_template_id int references email_templates(id) on delete restrict,
      updated_at timestamptz not null default now()
    )`);

    this.addSql(`create index password_tokens_live_contact on password_tokens (tenant_id, contact_id) where used_at is null and contact_id is not null`);

    for (const table of ['email_templates', 'quick_replies', 'email_settings']) {
      for (const sql of tenantTableSecurity(table)) this.addSql(sql);
    }
  }
}
