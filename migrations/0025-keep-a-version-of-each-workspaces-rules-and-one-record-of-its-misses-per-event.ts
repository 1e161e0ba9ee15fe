import { Migration } from '@mikro-orm/migrations';
import { tenantTableSecurity } from './helpers.js';

/**
 * A version of each workspace's rules, in ticket_rule_tenants (ids and counters, no RLS):
 * whenever a rule, a condition, an action or an email template is written or deleted, a trigger sets it to
 * the id of the transaction that did it (pg_current_xact_id: never the same for two
 * commits, even after the tables were emptied and their counters restarted). The rules engine keeps a workspace's rules in memory
 * between events and reads only this number with each event (in the statement that
 * takes the event), reading the rules again when it moved — so an edit, an activation
 * or a reorder counts from the next event on. The engine's own round-robin note
 * (ticket_rule_actions.last_technician_id) is not an edit: it is read with each event.
 *
 * And ticket_rule_misses: the rules whose conditions did not hold for a ticket event, one
 * row per event listing them, instead of a ticket_rule_runs row per rule (a workspace
 * with a hundred rules wrote a hundred rows for every event). The rule's page shows them
 * among its runs as "Conditions not met", as before; kept as long as runs (90 days). The
 * time-based trigger's evaluations stay runs: their waiting-period key is what makes a
 * rule fire once per period.
 */
export class KeepAVersionOfEachWorkspacesRulesAndOneRecordOfItsMissesPerEvent extends Migration {
  async up(): Promise<void> {
    // 0: not recorded (the engine reads the rules with every event until an edit records one).
    this.addSql('alter table ticket_rule_tenants add column rules_version bigint not null default 0');
    this.addSql(`create function note_rules_edit() returns trigger language plpgsql as $$
      begin
        insert into ticket_rule_tenants (tenant_id, rules_version) values (coalesce(new.tenant_id, old.tenant_id), pg_current_xact_id()::text::bigint)
          on conflict (tenant_id) do update set rules_version = excluded.rules_version;
        return null;
      end $$`);
    this.addSql(`create trigger ticket_rules_edited after insert or update or delete on ticket_rules
      for each row execute function note_rules_edit()`);
    this.addSql(`create trigger ticket_rule_conditions_edited after insert or update or delete on ticket_rule_conditions
      for each row execute function note_rules_edit()`);
    this.addSql(`create trigger ticket_rule_actions_edited after insert or delete or update of rule_id, tenant_id, position, kind, template_id, technician_id, value on ticket_rule_actions
      for each row execute function note_rules_edit()`);
    // The engine keeps the templates its email actions send with the rules: an edited or deleted template is an edit too.
    this.addSql(`create trigger email_templates_edited after update or delete on email_templates
      for each row execute function note_rules_edit()`);

    this.addSql(`create table ticket_rule_misses (
      id serial,
      tenant_id int not null references tenants(id) on delete cascade,
      ticket_id int not null,
      event varchar(60) not null,
      rule_ids int[] not null check (cardinality(rule_ids) > 0),
      created_at timestamptz not null default now(),
      primary key (tenant_id, id),
      foreign key (tenant_id, ticket_id) references tickets (tenant_id, id) on delete cascade
    )`);
    this.addSql('create index ticket_rule_misses_recent on ticket_rule_misses (tenant_id, created_at desc)');
    this.addSql('create index ticket_rule_misses_age on ticket_rule_misses (created_at)');
    for (const sql of tenantTableSecurity('ticket_rule_misses')) this.addSql(sql);
  }
}
