import { Migration } from '@mikro-orm/migrations';
import { tenantTableSecurity } from './helpers.js';

// Manage Domains refuses public mailbox providers (a maintained list); a workspace may add
// more of them under Admin > Email Settings (a regional provider, a partner's shared
// mailbox service). Stored like a customer's domain: the ASCII (punycode) lower-case name.
export class LetAWorkspaceListMorePublicMailboxDomains extends Migration {
  async up(): Promise<void> {
    this.addSql(`create table public_mail_domains (
      id serial primary key,
      tenant_id int not null references tenants(id) on delete cascade,
      domain varchar(253) not null check (domain = lower(domain) and length(domain) between 1 and 253),
      created_at timestamptz not null default now(),
      unique (tenant_id, id),
      unique (tenant_id, domain)
    )`);
    for (const sql of tenantTableSecurity('public_mail_domains')) this.addSql(sql);
  }
}
