import { Migration } from '@mikro-orm/migrations';
import { RUNTIME_ROLE, tenantTableSecurity } from './helpers.js';

export class ReceiveMailFromSupportMailboxes extends Migration {
  async up(): Promise<void> {
    // A support address polled over IMAP. The password is sealed (src/lib/secret-box.ts).
    this.addSql(`create table mailboxes (
      id serial primary key,
      tenant_id int not null references tenants(id) on delete cascade,
      address varchar(254) not null,
      host varchar(253) not null,
      port int not null check (port between 1 and 65535),
      tls varchar(10) not null check (tls in ('tls', 'starttls', 'none')),
      username varchar(254) not null,
      password_sealed text not null,
      password_key_version int not null,
      folder varchar(200) not null default 'INBOX',
      processed_folder varchar(200),
      poll_minutes int not null default 1 check (poll_minutes between 1 and 1440),
      enabled boolean not null default true,
      uid_validity bigint,
      last_uid bigint not null default 0,
      last_poll_at timestamptz,
      last_poll_count int not null default 0,
      total_count int not null default 0,
      last_error text,
      last_error_at timestamptz,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      unique (tenant_id, id)
    )`);
    this.addSql('create unique index mailboxes_tenant_address on mailboxes (tenant_id, lower(address))');

    // The ingest log: one row per message taken from a mailbox, whatever became of it.
    this.addSql(`create table inbound_messages (
      id serial primary key,
      tenant_id int not null references tenants(id) on delete cascade,
      mailbox_id int,
      message_key varchar(300) not null,
      uid_validity bigint,
      uid bigint,
      from_address varchar(254),
      from_name varchar(200),
      subject varchar(500) not null default '',
      size int not null default 0,
      outcome varchar(30) not null,
      reason varchar(60) not null default '',
      ticket_id int,
      contact_id int,
      attempts int not null default 0,
      last_error text,
      raw bytea,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      unique (tenant_id, id),
      foreign key (tenant_id, mailbox_id) references mailboxes (tenant_id, id) on delete set null (mailbox_id),
      foreign key (tenant_id, ticket_id) references tickets (tenant_id, id) on delete set null (ticket_id),
      foreign key (tenant_id, contact_id) references contacts (tenant_id, id) on delete set null (contact_id)
    )`);
    // Once per workspace: the same message to two of its addresses (or to one deleted and added again) is one ticket.
    this.addSql('create unique index inbound_messages_once on inbound_messages (tenant_id, message_key)');
    this.addSql('create index inbound_messages_recent on inbound_messages (tenant_id, created_at desc, id desc)');
    this.addSql('create index inbound_messages_flood on inbound_messages (tenant_id, mailbox_id, lower(from_address), created_at)');

    // Addresses whose mail bounced: the outbox holds mail to them until `until`.
    this.addSql(`create table undeliverable_addresses (
      id serial primary key,
      tenant_id int not null references tenants(id) on delete cascade,
      address varchar(254) not null,
      until timestamptz not null,
      reason text not null default '',
      created_at timestamptz not null default now()
    )`);
    this.addSql('create unique index undeliverable_addresses_once on undeliverable_addresses (tenant_id, lower(address))');

    this.addSql("alter table email_settings add column tickets_from_automated_mail boolean not null default true");
    this.addSql("alter table email_settings add column reopen_closed_on_reply boolean not null default true");
    this.addSql('alter table ticket_messages add column quoted_text text');
    // The Message-ID of the email a ticket was opened from, so our answers thread under it.
    this.addSql('alter table tickets add column email_message_id varchar(500)');
    this.addSql('create index tickets_email on tickets (tenant_id, email_message_id) where email_message_id is not null');
    this.addSql('create index outbound_emails_message_id on outbound_emails (tenant_id, message_id) where message_id is not null');
    this.addSql('alter table ticket_messages add column automatic boolean not null default false');

    for (const table of ['mailboxes', 'inbound_messages', 'undeliverable_addresses']) {
      for (const sql of tenantTableSecurity(table)) this.addSql(sql);
    }

    // When each mailbox is polled next, and which worker holds it: ids and times only,
    // no tenant data, so the worker reads it without a tenant (no RLS) to find due work.
    // It is written in the same transaction as the mailbox it follows.
    this.addSql(`create table mailbox_polls (
      mailbox_id int primary key,
      tenant_id int not null,
      every_minutes int not null,
      next_poll_at timestamptz not null default now(),
      lease_until timestamptz,
      lease_token uuid,
      foreign key (tenant_id, mailbox_id) references mailboxes (tenant_id, id) on delete cascade
    )`);
    this.addSql('create index mailbox_polls_due on mailbox_polls (next_poll_at)');
    this.addSql(`grant select, insert, update, delete on mailbox_polls to ${RUNTIME_ROLE}`);
  }
}
