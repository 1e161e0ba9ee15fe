import { Migration } from '@mikro-orm/migrations';
import { tenantTableSecurity } from './helpers.js';

// Manage Domains (Enterprise): a customer's email domains, which place a new contact
// from that domain in it. Stored as the ASCII (punycode) lower-case name, so matching
// a sender is an exact comparison; a domain belongs to at most one customer of a workspace,
// and another workspace may hold the same one. Deleting the customer deletes its domains.
export class LetCustomersOwnEmailDomains extends Migration {
  async up(): Promise<void> {
    this.addSql(`create table customer_domains (
      id serial primary key,
      tenant_id int not null references tenants(id) on delete cascade,
      customer_id int not null,
      domain varchar(253) not null check (domain = lower(domain) and length(domain) between 1 and 253),
      created_at timestamptz not null default now(),
      unique (tenant_id, id),
      unique (tenant_id, domain),
      foreign key (tenant_id, customer_id) references customers (tenant_id, id) on delete cascade
    )`);
    this.addSql('create index customer_domains_customer on customer_domains (tenant_id, customer_id)');
    for (const sql of tenantTableSecurity('customer_domains')) this.addSql(sql);
  }
}
