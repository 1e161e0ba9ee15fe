import { Migration } from '@mikro-orm/migrations';

// A technician keeps their own account: a time zone of their own (null: the workspace's),
// an email change waiting for its confirmation link (the new address rides on that
// single-use token, so nothing about the account changes until the link is used), and
// their sessions listed by who is signed in: the session store's rows are found by the
// signed-in user through an expression index, the very expressions the queries use
// (src/domain/technician/sessions.ts), instead of reading every session of every tenant.
export class LetTechniciansKeepTheirOwnAccount extends Migration {
  async up(): Promise<void> {
    this.addSql(`alter table technicians add column time_zone text null check (length(time_zone) between 1 and 64)`);
    this.addSql(`alter table password_tokens add column new_email text null check (length(new_email) between 3 and 254)`);
    this.addSql(`create index session_signed_in_user on session (
      (sess->'passport'->'user'->>'tenantId'), (sess->'passport'->'user'->>'kind'), (sess->'passport'->'user'->>'id'))`);
  }
}
