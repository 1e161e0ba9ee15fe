import { Migration } from '@mikro-orm/migrations';
import { tenantTableSecurity } from './helpers.js';

// Notifications (issue 14): what the domain events of a ticket email to its requester and
// to technicians (src/domain/notification/). Per workspace, one row per notification — on
// or off, the email template it sends, whom it goes to (a workspace gets its rows, and the
// templates they send, the first time they are read: src/domain/notification/settings.ts).
// Per technician, the technician notifications they turned off on their profile (a row
// is a "no"; no row is the default, "yes"). And one row per notification sent: the key
// of the event it was sent for and its recipient, unique, so an event never notifies the
// same person twice (a retried unit of work, a verb raising two events for one change).
export class TellRequestersAndTechniciansWhatHappensToTickets extends Migration {
  async up(): Promise<void> {
    this.addSql(`create table notification_settings (
      id serial,
      tenant_id int not null references tenants(id) on delete cascade,
      kind varchar(40) not null,
      enabled boolean not null default false,
      template_id int,
      recipients varchar(20) not null default 'default',
      updated_at timestamptz not null default now(),
      primary key (tenant_id, id),
      unique (tenant_id, kind),
      foreign key (tenant_id, template_id) references email_templates (tenant_id, id) on delete set null (template_id)
    )`);
    this.addSql(`create table technician_notification_choices (
      id serial,
      tenant_id int not null references tenants(id) on delete cascade,
      technician_id int not null,
      kind varchar(40) not null,
      primary key (tenant_id, id),
      unique (tenant_id, technician_id, kind),
      foreign key (tenant_id, technician_id) references technicians (tenant_id, id) on delete cascade
    )`);
    this.addSql(`create table notification_sends (
      id serial,
      tenant_id int not null references tenants(id) on delete cascade,
      kind varchar(40) not null,
      event_key varchar(100) not null,
      recipient varchar(320) not null,
      outbound_email_id int,
      sent_at timestamptz not null default now(),
      primary key (tenant_id, id),
      unique (tenant_id, kind, event_key, recipient)
    )`);
    for (const table of ['notification_settings', 'technician_notification_choices', 'notification_sends']) for (const sql of tenantTableSecurity(table)) this.addSql(sql);
  }
}
