import { Migration } from '@mikro-orm/migrations';

/**
 * The outbox schedule (0011, 0030) took the emails an insert queued one row at a time: a
 * trigger call and an insert-on-conflict each, a fair share of PostgreSQL's work for a
 * rule run that queues several emails in its one statement (bench:rules: ~7.7 an event,
 * ~0.13 ms each). An insert's queued emails are now scheduled by one statement-level
 * trigger, from the statement's new rows (a transition table) in one insert. An update of
 * the status or the due time keeps its row-level trigger: PostgreSQL allows no transition
 * table on a trigger with a column list, and an update changes one email at a time anyway.
 * The same rows as before: a new email is in the schedule if and only if it is queued.
 *
 * The rules' facts (facts.ts: the last contact comment) and the unanswered wait (time.ts)
 * read a ticket's latest message from its contact. With the workspace's statistics stale
 * (a table analyzed when it had few messages), the generic plan walked every message of
 * the workspace backwards by key, filtering for the ticket; a partial index of the
 * contacts' public messages, by ticket, is the plan whatever the statistics say. Only a
 * contact's public message adds an entry to it (a note, a reply or a system message does
 * not), so every other message write pays nothing but its predicate.
 */
export class ScheduleAStatementsQueuedEmailsAtOnceAndIndexEachTicketsContactMessages extends Migration {
  async up(): Promise<void> {
    // Runs as whoever inserted the emails (the runtime role): it needs only 0011's grant.
    this.addSql(`create function schedule_inserted_outbox_emails() returns trigger language plpgsql as $$
      begin
        insert into outbox_schedule (email_id, tenant_id, next_attempt_at)
          select id, tenant_id, next_attempt_at from inserted_emails where status = 'queued'
            on conflict (tenant_id, email_id) do update set next_attempt_at = excluded.next_attempt_at;
        return null;
      end $$`);
    this.addSql('drop trigger outbound_emails_schedule on outbound_emails');
    this.addSql(`create trigger outbound_emails_schedule after update of status, next_attempt_at on outbound_emails
      for each row execute function keep_outbox_schedule()`);
    this.addSql(`create trigger outbound_emails_schedule_inserted after insert on outbound_emails
      referencing new table as inserted_emails for each statement execute function schedule_inserted_outbox_emails()`);
    this.addSql(`create index ticket_messages_contact_comments on ticket_messages (tenant_id, ticket_id, id)
      where author_kind = 'contact' and not internal`);
  }
}
