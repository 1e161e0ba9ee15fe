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
// - the hourly cap's sends are found by recipient: an event reads the sends of the kept
//   rules that email (all of them, 20 of the bench's 100) to its contact and technicians
//   (a handful) in the last hour; led by the rule, the index was probed for every pair;
// - the rules' own records (runs, misses, the hourly cap's sends) no longer check their
//   tenant_id against tenants for every row: their key to the rule or ticket of the same
//   workspace (tenant_id, rule_id / ticket_id) already holds only for a workspace that
//   exists, and a deleted workspace's rows still go with its rules and tickets (cascade).
// And a ticket's search vector (0017) is worked out when its title or description is
// written, not on every update: as a generated column PostgreSQL stemmed both texts in
// two languages again for each change of status, priority, type or assignee (a rule's,
// a technician's) — about 45 µs for a two-line ticket, milliseconds for a long email.
// The same expression, kept by a trigger; the column keeps its values.
const vector = (column: string, weight: string) =>
  `setweight(to_tsvector('pg_catalog.italian', public.sportello_unaccent(left(${column}, 100000))), '${weight}') || setweight(to_tsvector('pg_catalog.english', public.sportello_unaccent(left(${column}, 100000))), '${weight}')`;

export class LetRulesReactToATitleChangeAndWriteLessForEachTicketChange extends Migration {
  async up(): Promise<void> {
    this.addSql('alter table ticket_rules drop constraint ticket_rules_trigger_check');
    this.addSql(`alter table ticket_rules add constraint ticket_rules_trigger_check check (trigger in ('ticket_created', 'status_changed',
      'title_changed', 'closed_or_resolved', 'assignment_changed', 'contact_responded', 'technician_responded', 'ticket_unanswered'))`);
    this.addSql('drop index ticket_rule_events_queue');
    this.addSql('drop index ticket_rule_misses_age');
    this.addSql('drop index ticket_rule_runs_age');
    this.addSql('create index ticket_rule_runs_age on ticket_rule_runs using brin (created_at)');
    this.addSql('drop index ticket_rule_sends_cap');
    this.addSql('create index ticket_rule_sends_cap on ticket_rule_sends (tenant_id, recipient, sent_at)');
    for (const table of ['ticket_rule_runs', 'ticket_rule_misses', 'ticket_rule_sends']) {
      this.addSql(`alter table ${table} drop constraint ${table}_tenant_id_fkey`);
    }
    this.addSql('alter table tickets alter column search_vector drop expression');
    this.addSql(`create function tickets_search_vector() returns trigger language plpgsql as $$ begin
      new.search_vector := ${vector('new.title', 'A')} || ${vector('new.description', 'B')};
      return new;
    end $$`);
    this.addSql(`create trigger tickets_search_vector before insert or update of title, description on tickets
      for each row execute function tickets_search_vector()`);
  }
}
