import { Migration } from '@mikro-orm/migrations';

// Sportello speaks Italian and English: a workspace has a language and a time zone (what
// its screens and mails use), and a technician or a contact may have a language of their
// own (null: the workspace's). Existing workspaces stay English and UTC, as they were.
export class LetWorkspacesTechniciansAndContactsSpeakItalianOrEnglish extends Migration {
  async up(): Promise<void> {
    this.addSql(`alter table tenants add column language text not null default 'en' check (language in ('it', 'en')),
      add column time_zone text not null default 'UTC' check (length(time_zone) between 1 and 64)`);
    this.addSql(`alter table technicians add column language text null check (language in ('it', 'en'))`);
    this.addSql(`alter table contacts add column language text null check (language in ('it', 'en'))`);
  }
}
