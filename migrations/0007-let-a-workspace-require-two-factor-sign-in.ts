import { Migration } from '@mikro-orm/migrations';

// Admin > Security: "require two-factor sign-in for every technician".
export class LetAWorkspaceRequireTwoFactorSignIn extends Migration {
  async up(): Promise<void> {
    this.addSql('alter table tenants add column require_second_factor boolean not null default false');
  }
}
