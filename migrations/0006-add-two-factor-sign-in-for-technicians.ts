import { Migration } from '@mikro-orm/migrations';
import { tenantTableSecurity } from './helpers.js';

// A technician's TOTP secret, sealed (lib/secret-box.ts: AES-256-GCM, the key version
// beside it), and their single-use recovery codes, stored only as SHA-256 hashes.
// An enrolment not yet confirmed with a first code has no confirmed_at.
// last_used_step is the time step of the last code accepted: a code is accepted only
// for a later step, so none is accepted twice.
export class AddTwoFactorSignInForTechnicians extends Migration {
  async up(): Promise<void> {
    this.addSql(`create table technician_second_factors (
      id serial primary key,
      tenant_id int not null references tenants(id) on delete cascade,
      technician_id int not null,
      secret_ciphertext text not null,
      key_version smallint not null,
      confirmed_at timestamptz,
      last_used_step bigint,
      created_at timestamptz not null default now(),
      constraint technician_second_factors_one unique (tenant_id, technician_id),
      constraint technician_second_factors_technician_id_tenant_fkey
        foreign key (tenant_id, technician_id) references technicians (tenant_id, id) on delete cascade
    )`);
    this.addSql(`create table technician_recovery_codes (
      id serial primary key,
      tenant_id int not null references tenants(id) on delete cascade,
      technician_id int not null,
      code_hash char(64) not null,
      used_at timestamptz,
      created_at timestamptz not null default now(),
      constraint technician_recovery_codes_unique unique (tenant_id, technician_id, code_hash),
      constraint technician_recovery_codes_technician_id_tenant_fkey
        foreign key (tenant_id, technician_id) references technicians (tenant_id, id) on delete cascade
    )`);
    for (const table of ['technician_second_factors', 'technician_recovery_codes']) {
      for (const sql of tenantTableSecurity(table)) this.addSql(sql);
    }
  }
}
