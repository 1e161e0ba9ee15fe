import { Migration } from '@mikro-orm/migrations';
import { RUNTIME_ROLE } from '../src/db/orm.js';

/**
 * outbox_schedule: which outbox emails are queued, and when each is next due — ids and
 * times only, no tenant data, so the worker's sweep finds overdue mail across tenants
 * without a tenant (no RLS) and without looping over every tenant (the pattern of
 * mailbox_polls). A trigger on outbound_emails keeps it, in the same transaction as the
 * email's own change, so no code path can forget it and it never outlives the email.
 */
export class KeepAScheduleOfQueuedOutboxEmails extends Migration {
  async up(): Promise<void> {
    this.addSql(`create table outbox_schedule (
      email_id int primary key references outbound_emails (id) on delete cascade,
      tenant_id int not null,
      next_attempt_at timestamptz not null
    )`);
    this.addSql('create index outbox_schedule_due on outbox_schedule (next_attempt_at)');
    this.addSql(`grant select, insert, update, delete on outbox_schedule to ${RUNTIME_ROLE}`);
    // Runs as whoever changed the email (the runtime role): it needs only the grant above.
    this.addSql(`create function keep_outbox_schedule() returns trigger language plpgsql as $$
      begin
        if new.status = 'queued' then
          insert into outbox_schedule (email_id, tenant_id, next_attempt_at) values (new.id, new.tenant_id, new.next_attempt_at)
            on conflict (email_id) do update set next_attempt_at = excluded.next_attempt_at, tenant_id = excluded.tenant_id;
        else
          delete from outbox_schedule where email_id = new.id;
        end if;
        return null;
      end $$`);
    this.addSql(`create trigger outbound_emails_schedule after insert or update of status, next_attempt_at on outbound_emails
      for each row execute function keep_outbox_schedule()`);
    this.addSql(`insert into outbox_schedule (email_id, tenant_id, next_attempt_at)
      select id, tenant_id, next_attempt_at from outbound_emails where status = 'queued'`);
  }
}
