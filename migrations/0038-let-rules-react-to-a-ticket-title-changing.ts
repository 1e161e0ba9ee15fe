import { Migration } from '@mikro-orm/migrations';

// A rule trigger *Ticket Title Changed* (`title_changed`): the retitle verb's event
// (ticket.title_changed) fires the rules that have it.
export class LetRulesReactToATicketTitleChanging extends Migration {
  async up(): Promise<void> {
    this.addSql('alter table ticket_rules drop constraint ticket_rules_trigger_check');
    this.addSql(`alter table ticket_rules add constraint ticket_rules_trigger_check check (trigger in ('ticket_created', 'status_changed',
      'title_changed', 'closed_or_resolved', 'assignment_changed', 'contact_responded', 'technician_responded', 'ticket_unanswered'))`);
  }
}
