import { Migration } from '@mikro-orm/migrations';

// A ticket's messages and history rows no longer check their tenant_id against tenants one
// by one: their key to the ticket of the same workspace ((tenant_id, ticket_id) → tickets,
// both not null) already holds only for a workspace that exists, and a deleted workspace's
// messages and history still go with its tickets (cascade) — as 0038 did for the rules' own
// records and 0039 for an import's outcome rows. Every writer of them gains (a reply, the mail
// ingest, a rule's note and its "by rule X" history rows: bench:rules writes about two a
// matched event): one foreign-key check fewer for each row, and the workspace's row is no
// longer locked (FOR KEY SHARE, a WAL record) by every transaction that writes one.
export class CheckATicketsMessagesAndHistoryAgainstTheirTicketAlone extends Migration {
  async up(): Promise<void> {
    this.addSql('alter table ticket_messages drop constraint ticket_messages_tenant_id_fkey');
    this.addSql('alter table ticket_events drop constraint ticket_events_tenant_id_fkey');
  }
}
