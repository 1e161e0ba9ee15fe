import { Migration } from '@mikro-orm/migrations';

/** The sanitised HTML of a ticket's opening email and of emailed replies, shown on request; whether automatic mail opened the ticket. */
export class KeepTheHtmlOfEmailedMessages extends Migration {
  async up(): Promise<void> {
    this.addSql('alter table tickets add column description_html text');
    this.addSql('alter table ticket_messages add column body_html text');
    // Opened by automatic mail (an alert, a notification): nothing automatic answers it — rules included.
    this.addSql('alter table tickets add column automatic boolean not null default false');
  }
}
