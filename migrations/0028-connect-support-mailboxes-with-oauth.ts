import { Migration } from '@mikro-orm/migrations';
import { tenantTableSecurity } from './helpers.js';

// Microsoft 365 and Google support mailboxes (issue 17): a mailbox signs in to IMAP
// either with its password or with an OAuth 2.0 grant. The grant's refresh token and
// the current access token are sealed (src/secret-box.ts) like the IMAP password; the
// grant's state says whether it still works, with the provider's reason when it does
// not, and when the admin was told (once). A workspace may bring its own app
// registration for a provider (one a provider: unique by tenant and provider).
export class ConnectSupportMailboxesWithOauth extends Migration {
  async up(): Promise<void> {
    this.addSql(`alter table mailboxes
      add column auth_method varchar(10) not null default 'password' check (auth_method in ('password', 'microsoft', 'google')),
      add column oauth_refresh_sealed text,
      add column oauth_access_sealed text,
      add column oauth_key_version int,
      add column oauth_access_expires_at timestamptz,
      add column oauth_status varchar(10) check (oauth_status in ('pending', 'connected', 'reconnect')),
      add column oauth_problem text,
      add column oauth_connected_at timestamptz,
      add column oauth_notified_at timestamptz`);
    this.addSql(`create table mailbox_oauth_apps (
      id serial,
      tenant_id int not null references tenants(id) on delete cascade,
      provider varchar(10) not null check (provider in ('microsoft', 'google')),
      client_id varchar(200) not null,
      client_secret_sealed text not null,
      key_version int not null,
      directory varchar(100),
      authorize_url varchar(500),
      token_url varchar(500),
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      primary key (tenant_id, id),
      unique (tenant_id, provider)
    )`);
    for (const sql of tenantTableSecurity('mailbox_oauth_apps')) this.addSql(sql);
  }
}
