import { Migration } from '@mikro-orm/migrations';
import { tenantTableSecurity } from './helpers.js';

export class CreateCustomersContactsAndTickets extends Migration {
  async up(): Promise<void> {
    this.addSql(`create table customers (
      id serial primary key,
      tenant_id int not null references tenants(id) on delete cascade,
      name varchar(200) not null,
      is_default boolean not null default false,
      notes text not null default '',
      created_at timestamptz not null default now()
    )`);
    this.addSql('create unique index customers_one_default on customers (tenant_id) where is_default');
    this.addSql('create index customers_name on customers (tenant_id, lower(name))');

    this.addSql(`create table contacts (
      id serial primary key,
      tenant_id int not null references tenants(id) on delete cascade,
      customer_id int not null references customers(id),
      email varchar(254) not null check (email = lower(email)),
      first_name varchar(100) not null default '',
      last_name varchar(100) not null default '',
      phone varchar(50) not null default '',
      is_main boolean not null default false,
      portal_access boolean not null default false,
      password_hash text,
      must_change_password boolean not null default false,
      password_changed_at timestamptz,
      no_auto_tickets boolean not null default false,
      undeliverable_until timestamptz,
      source varchar(20) not null default 'manual' check (source in ('manual', 'email', 'csv', 'azure_ad')),
      last_login_at timestamptz,
      created_at timestamptz not null default now()
    )`);
    this.addSql('create unique index contacts_tenant_email on contacts (tenant_id, email)');
    this.addSql('create index contacts_customer on contacts (tenant_id, customer_id)');

    this.addSql(`create table tickets (
      id serial primary key,
      tenant_id int not null references tenants(id) on delete cascade,
      number int not null,
      title varchar(250) not null,
      description text not null default '',
      status varchar(20) not null default 'open' check (status in ('open', 'pending', 'resolved', 'closed')),
      priority varchar(20) not null default 'medium' check (priority in ('low', 'medium', 'high', 'critical')),
      type varchar(20) not null default 'question',
      source varchar(20) not null default 'technician' check (source in ('portal', 'email', 'technician')),
      customer_id int not null references customers(id),
      contact_id int not null references contacts(id),
      assignee_id int references technicians(id) on delete set null,
      support_address varchar(254),
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    )`);
    this.addSql('create unique index tickets_tenant_number on tickets (tenant_id, number)');
    this.addSql('create index tickets_list on tickets (tenant_id, updated_at desc, id desc)');
    this.addSql('create index tickets_contact on tickets (tenant_id, contact_id, updated_at desc)');
    this.addSql('create index tickets_customer on tickets (tenant_id, customer_id, updated_at desc)');
    this.addSql('create index tickets_assignee on tickets (tenant_id, assignee_id)');

    this.addSql(`create table ticket_messages (
      id serial primary key,
      tenant_id int not null references tenants(id) on delete cascade,
      ticket_id int not null references tickets(id) on delete cascade,
      author_kind varchar(20) not null check (author_kind in ('contact', 'technician', 'system')),
      author_contact_id int references contacts(id) on delete set null,
      author_technician_id int references technicians(id) on delete set null,
      body text not null,
      internal boolean not null default false,
      email_message_id varchar(500),
      created_at timestamptz not null default now()
    )`);
    this.addSql('create index ticket_messages_ticket on ticket_messages (tenant_id, ticket_id, id)');
    this.addSql('create index ticket_messages_email on ticket_messages (tenant_id, email_message_id) where email_message_id is not null');

    this.addSql(`create table ticket_events (
      id serial primary key,
      tenant_id int not null references tenants(id) on delete cascade,
      ticket_id int not null references tickets(id) on delete cascade,
      actor_kind varchar(20) not null,
      actor_name varchar(200) not null default '',
      field varchar(50) not null,
      from_value text,
      to_value text,
      created_at timestamptz not null default now()
    )`);
    this.addSql('create index ticket_events_ticket on ticket_events (tenant_id, ticket_id, id)');

    this.addSql(`create table attachments (
      id serial primary key,
      tenant_id int not null references tenants(id) on delete cascade,
      ticket_id int not null references tickets(id) on delete cascade,
      message_id int references ticket_messages(id) on delete cascade,
      file_name varchar(255) not null,
      content_type varchar(255) not null,
      size int not null check (size >= 0 and size <= 10485760),
      data bytea not null,
      created_at timestamptz not null default now()
    )`);
    this.addSql('create index attachments_ticket on attachments (tenant_id, ticket_id)');

    this.addSql('alter table password_tokens add column contact_id int references contacts(id) on delete cascade');
    this.addSql('create index password_tokens_contact on password_tokens (tenant_id, contact_id)');

    for (const table of ['customers', 'contacts', 'tickets', 'ticket_messages', 'ticket_events', 'attachments']) {
      for (const sql of tenantTableSecurity(table)) this.addSql(sql);
    }
  }
}
