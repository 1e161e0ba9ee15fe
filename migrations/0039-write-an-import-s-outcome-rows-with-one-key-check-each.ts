import { Migration } from '@mikro-orm/migrations';

// An import's outcome rows (one for every row of the file) no longer check their tenant_id
// against tenants one by one: their key to the import of the same workspace (tenant_id,
// import_id → imports) already holds only for a workspace that exists, and a deleted
// workspace's outcome rows still go with its imports (cascade) — as 0038 did for the
// rules' own records. bench:import: one foreign-key check fewer for each row imported.
export class WriteAnImportSOutcomeRowsWithOneKeyCheckEach extends Migration {
  async up(): Promise<void> {
    this.addSql('alter table import_outcomes drop constraint import_outcomes_tenant_id_fkey');
  }
}
