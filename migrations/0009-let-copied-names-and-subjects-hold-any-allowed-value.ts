import { Migration } from '@mikro-orm/migrations';

// Columns that hold a copy of a value limited elsewhere: a contact's full name (first
// 100 + a space + last 100 = 201 characters) went to varchar(200) columns, so every
// email to such a contact, and every history or audit line naming them, failed. A
// mail's subject is rendered from a template (up to 500 characters) whose snippets
// expand. The limits live where the value is typed in; its copies take it as it is
// (from varchar to text PostgreSQL changes no row).
const columns: Array<[table: string, column: string, before: string]> = [
  ['outbound_emails', 'to_name', 'varchar(200)'],
  ['outbound_emails', 'subject', 'varchar(500)'],
  ['audit_events', 'actor_name', 'varchar(200)'],
  ['ticket_events', 'actor_name', 'varchar(200)'],
];

export class LetCopiedNamesAndSubjectsHoldAnyAllowedValue extends Migration {
  async up(): Promise<void> {
    for (const [table, column] of columns) this.addSql(`alter table ${table} alter column ${column} type text`);
  }

  async down(): Promise<void> {
    for (const [table, column, before] of columns) this.addSql(`alter table ${table} alter column ${column} type ${before} using left(${column}, ${before.match(/\d+/)![0]})`);
  }
}
