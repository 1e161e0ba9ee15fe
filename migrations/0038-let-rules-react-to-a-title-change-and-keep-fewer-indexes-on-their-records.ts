import { Migration } from '@mikro-orm/migrations';

// A rule trigger *Ticket Title Changed* (`title_changed`): the retitle verb's event
// (ticket.title_changed) fires the rules that have it.
// And fewer indexes to keep up on what every event writes (bench:rules):
// - ticket_rule_events_queue was the primary key (tenant_id, id) a second time;
// - ticket_rule_misses_age (created_at): a workspace's misses are pruned by
//   (tenant_id, created_at), which ticket_rule_misses_recent already is;
// - ticket_rule_runs_age (created_at) becomes a BRIN index: the runs are written in time
//   order and only the daily prune reads them by age, so a summary per block range serves
//   it, for almost nothing per run written (a b-tree took an entry for every run).
export class LetRulesReactToATitleChangeAndKeepFewerIndexesOnTheirRecords extends Migration {
  async up(): Promise<void> {
    this.addSql('alter table ticket_rules drop constraint ticket_rules_trigger_check');
    this.addSql(`alter table ticket_rules add constraint ticket_rules_trigger_check check (trigger in ('ticket_created', 'status_changed',
      'title_changed', 'closed_or_resolved', 'assignment_changed', 'contact_responded', 'technician_responded', 'ticket_unanswered'))`);
    this.addSql('drop index ticket_rule_events_queue');
    this.addSql('drop index ticket_rule_misses_age');
    this.addSql('drop index ticket_rule_runs_age');
    this.addSql('create index ticket_rule_runs_age on ticket_rule_runs using brin (created_at)');
  }
}
