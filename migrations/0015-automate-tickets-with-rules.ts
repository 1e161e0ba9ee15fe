import { Migration } from '@mikro-orm/migrations';
import { tenantTableSecurity } from './helpers.js';

// Ticket automation rules (Admin > Ticket Automation Rules, DESIGN.md §4.3): a rule has a
// trigger, conditions (all must hold) and actions, runs in `position` order, and with
// `ignore_flow` applies even where an earlier rule already took a conflicting action.
// The ticket verbs' domain events are queued in `ticket_rule_events` in the same
// transaction as the change (nothing is lost between commit and job), a job runs the
// rules for each after the commit and deletes it; every evaluation is a `ticket_rule_runs`
// row (kept 90 days); `ticket_rule_sends` counts a rule's emails per recipient for the
// hourly cap. A template or technician an action names cannot be deleted under it.
export class AutomateTicketsWithRules extends Migration {
  async up(): Promise<void> {
    this.addSql(`create table ticket_rules (
      id serial primary key,
      tenant_id int not null references tenants(id) on delete cascade,
      position int not null,
      name varchar(200) not null check (length(btrim(name)) > 0),
      description text not null default '',
      trigger varchar(40) not null check (trigger in ('ticket_created', 'status_changed', 'closed_or_resolved',
        'assignment_changed', 'contact_responded', 'technician_responded', 'ticket_unanswered')),
      trigger_hours int check (trigger_hours between 1 and 8760),
      ignore_flow boolean not null default false,
      active boolean not null default false,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      unique (tenant_id, id),
      check ((trigger = 'ticket_unanswered') = (trigger_hours is not null))
    )`);
    this.addSql('create index ticket_rules_order on ticket_rules (tenant_id, position, id)');

    this.addSql(`create table ticket_rule_conditions (
      id serial primary key,
      tenant_id int not null references tenants(id) on delete cascade,
      rule_id int not null,
      position int not null default 0,
      property varchar(40) not null,
      operator varchar(30) not null,
      value jsonb not null default 'null',
      unique (tenant_id, id),
      foreign key (tenant_id, rule_id) references ticket_rules (tenant_id, id) on delete cascade
    )`);
    this.addSql('create index ticket_rule_conditions_rule on ticket_rule_conditions (tenant_id, rule_id, position, id)');

    this.addSql(`create table ticket_rule_actions (
      id serial primary key,
      tenant_id int not null references tenants(id) on delete cascade,
      rule_id int not null,
      position int not null default 0,
      kind varchar(40) not null check (kind in ('email_contact', 'email_assignee', 'email_all_technicians',
        'set_status', 'set_priority', 'set_type', 'assign_technician', 'add_note')),
      template_id int,
      technician_id int,
      value text,
      last_technician_id int,
      unique (tenant_id, id),
      foreign key (tenant_id, rule_id) references ticket_rules (tenant_id, id) on delete cascade,
      foreign key (tenant_id, template_id) references email_templates (tenant_id, id) on delete restrict,
      foreign key (tenant_id, technician_id) references technicians (tenant_id, id) on delete restrict,
      foreign key (tenant_id, last_technician_id) references technicians (tenant_id, id) on delete set null (last_technician_id)
    )`);
    this.addSql('create index ticket_rule_actions_rule on ticket_rule_actions (tenant_id, rule_id, position, id)');
    this.addSql('create index ticket_rule_actions_template on ticket_rule_actions (tenant_id, template_id) where template_id is not null');
    this.addSql('create index ticket_rule_actions_technician on ticket_rule_actions (tenant_id, technician_id) where technician_id is not null');

    this.addSql(`create table ticket_rule_events (
      id serial primary key,
      tenant_id int not null references tenants(id) on delete cascade,
      ticket_id int not null,
      type varchar(60) not null,
      payload jsonb not null default '{}',
      origin jsonb not null default '{}',
      attempts int not null default 0,
      last_error text,
      created_at timestamptz not null default now(),
      unique (tenant_id, id),
      foreign key (tenant_id, ticket_id) references tickets (tenant_id, id) on delete cascade
    )`);
    this.addSql('create index ticket_rule_events_queue on ticket_rule_events (tenant_id, id)');

    this.addSql(`create table ticket_rule_runs (
      id serial primary key,
      tenant_id int not null references tenants(id) on delete cascade,
      rule_id int not null,
      ticket_id int not null,
      event varchar(60) not null,
      event_key varchar(120),
      outcome varchar(20) not null check (outcome in ('applied', 'partly_applied', 'not_matched', 'skipped', 'failed')),
      conditions jsonb not null default '[]',
      actions jsonb not null default '[]',
      error text,
      created_at timestamptz not null default now(),
      unique (tenant_id, id),
      foreign key (tenant_id, rule_id) references ticket_rules (tenant_id, id) on delete cascade,
      foreign key (tenant_id, ticket_id) references tickets (tenant_id, id) on delete cascade
    )`);
    this.addSql('create index ticket_rule_runs_rule on ticket_rule_runs (tenant_id, rule_id, created_at desc)');
    this.addSql('create index ticket_rule_runs_ticket on ticket_rule_runs (tenant_id, ticket_id, created_at desc)');
    this.addSql('create index ticket_rule_runs_age on ticket_rule_runs (created_at)');
    // The time-based trigger fires once per waiting period: its key names the period.
    this.addSql('create unique index ticket_rule_runs_once on ticket_rule_runs (tenant_id, rule_id, ticket_id, event_key) where event_key is not null');

    this.addSql(`create table ticket_rule_sends (
      id serial primary key,
      tenant_id int not null references tenants(id) on delete cascade,
      rule_id int not null,
      recipient varchar(254) not null check (recipient = lower(recipient)),
      sent_at timestamptz not null default now(),
      unique (tenant_id, id),
      foreign key (tenant_id, rule_id) references ticket_rules (tenant_id, id) on delete cascade
    )`);
    this.addSql('create index ticket_rule_sends_cap on ticket_rule_sends (tenant_id, rule_id, recipient, sent_at)');

    for (const table of ['ticket_rules', 'ticket_rule_conditions', 'ticket_rule_actions', 'ticket_rule_events', 'ticket_rule_runs', 'ticket_rule_sends']) {
      for (const sql of tenantTableSecurity(table)) this.addSql(sql);
    }
  }
}
