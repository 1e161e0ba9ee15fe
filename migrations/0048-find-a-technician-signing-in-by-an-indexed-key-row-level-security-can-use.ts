import { Migration } from '@mikro-orm/migrations';

// A sign-in finds its technician by the address typed, lower-cased. `lower(email) = $1`
// matched the unique index technicians_tenant_email, but not under row-level security:
// lower() is not leakproof, so PostgreSQL may not test it before the table's policy, and
// a query of the runtime role walked every technician of every workspace instead (0.5–0.8
// ms of PostgreSQL a sign-in with bench:login's 3,000; more with more workspaces). The
// same key stored as a generated column is compared with `=` on text, which is leakproof,
// so its unique index is used. technicians_tenant_email stays: it is the constraint that
// no two technicians of a workspace share an address whatever its case.
export class FindATechnicianSigningInByAnIndexedKeyRowLevelSecurityCanUse extends Migration {
  async up(): Promise<void> {
    this.addSql('alter table technicians add column email_key text generated always as (lower(email)) stored');
    this.addSql('create unique index technicians_tenant_email_key on technicians (tenant_id, email_key)');
  }
}
