import { Migration } from '@mikro-orm/migrations';
import { RUNTIME_ROLE } from '../src/db/orm.js';

/**
 * ticket_rule_tenants: which workspaces have rule work for the worker — ticket events
 * waiting in ticket_rule_events (since when), and active *Ticket Unanswered For* rules —
 * ids and times only, no RLS, so the sweep and the time trigger's job find them without
 * a tenant and without looping over every workspace (the pattern of outbox_schedule).
 * Triggers keep it in the transaction of the change; no foreign key, so deleting a
 * workspace (which cascades to its rules and fires the trigger) is never refused by it.
 *
 * And the default rules (inactive) for the workspaces that exist already, in their
 * language, as new workspaces get them (src/domain/rule/defaults.ts): the source
 * article's example (New Ticket Created, title equals [Portal Credentials] → email the
 * contact the credentials template), Ticket received and Technician reply — each only
 * when the workspace has no rule yet and still has the template by its shipped name.
 */
export class GiveEveryWorkspaceItsDefaultRulesAndAScheduleForRuleWork extends Migration {
  async up(): Promise<void> {
    this.addSql(`create table ticket_rule_tenants (
      tenant_id int primary key,
      events_since timestamptz,
      timed boolean not null default false
    )`);
    this.addSql('create index ticket_rule_tenants_waiting on ticket_rule_tenants (events_since) where events_since is not null');
    this.addSql(`grant select, insert, update, delete on ticket_rule_tenants to ${RUNTIME_ROLE}`);
    this.addSql(`create function note_ticket_rule_event() returns trigger language plpgsql as $$
      begin
        insert into ticket_rule_tenants (tenant_id, events_since) values (new.tenant_id, now())
          on conflict (tenant_id) do update set events_since = coalesce(ticket_rule_tenants.events_since, excluded.events_since);
        return null;
      end $$`);
    this.addSql(`create trigger ticket_rule_events_noted after insert on ticket_rule_events
      for each row execute function note_ticket_rule_event()`);
    // Runs as whoever changed the rule, in its workspace (RLS shows it that workspace's rules).
    this.addSql(`create function note_timed_rules() returns trigger language plpgsql as $$
      declare tenant int := coalesce(new.tenant_id, old.tenant_id);
      begin
        insert into ticket_rule_tenants (tenant_id, timed)
          values (tenant, exists (select 1 from ticket_rules where tenant_id = tenant and active and trigger = 'ticket_unanswered'))
          on conflict (tenant_id) do update set timed = excluded.timed;
        return null;
      end $$`);
    this.addSql(`create trigger ticket_rules_timed after insert or delete or update of active, trigger on ticket_rules
      for each row execute function note_timed_rules()`);

    for (const sql of seedDefaultRules()) this.addSql(sql);
  }
}

/** The statements that give each workspace without rules the default ones (run in one transaction). */
export function seedDefaultRules(): string[] {
  const out: string[] = [];
  const rules = [
    { en: 'Portal credentials on request', it: 'Credenziali del Portale su richiesta', templates: ['Portal credentials', 'Credenziali del Portale'], trigger: 'ticket_created', position: 1,
      enDescription: 'The source article\'s example: a contact who opens a ticket titled [Portal Credentials] receives the credentials template.',
      itDescription: 'L\'esempio dell\'articolo: un contatto che apre un ticket intitolato [Portal Credentials] riceve il modello delle credenziali.' },
    { en: 'Ticket received', it: 'Ticket ricevuto', templates: ['Ticket received', 'Ticket ricevuto'], trigger: 'ticket_created', position: 2,
      enDescription: 'Tells the requester their ticket was opened (not for tickets a technician opens).',
      itDescription: 'Comunica al richiedente che il suo ticket è stato aperto (non per i ticket aperti da un tecnico).' },
    { en: 'Technician reply', it: 'Risposta del tecnico', templates: ['Technician reply', 'Risposta del tecnico'], trigger: 'technician_responded', position: 3,
      enDescription: 'Tells the requester a technician has answered, with the link to the ticket in the portal.',
      itDescription: 'Comunica al richiedente che un tecnico ha risposto, con il link al ticket nel portale.' },
  ];
  const q = (s: string) => `'${s.replace(/'/g, "''")}'`;
  // The workspaces with no rule yet, fixed before the first insert.
  out.push('create temporary table seeded_workspaces on commit drop as select t.id from tenants t where not exists (select 1 from ticket_rules r where r.tenant_id = t.id)');
  for (const r of rules) {
    const templateOf = (tenant: string) => `(select e.id from email_templates e where e.tenant_id = ${tenant} and e.name in (${r.templates.map(q).join(', ')}) order by e.id limit 1)`;
    out.push(`insert into ticket_rules (tenant_id, position, name, description, trigger, active)
      select t.id, ${r.position}, case when t.language = 'it' then ${q(r.it)} else ${q(r.en)} end,
             case when t.language = 'it' then ${q(r.itDescription)} else ${q(r.enDescription)} end, '${r.trigger}', false
        from tenants t
       where t.id in (select id from seeded_workspaces) and ${templateOf('t.id')} is not null`);
    out.push(`insert into ticket_rule_actions (tenant_id, rule_id, position, kind, template_id)
      select r.tenant_id, r.id, 0, 'email_contact', ${templateOf('r.tenant_id')}
        from ticket_rules r where r.tenant_id in (select id from seeded_workspaces) and r.position = ${r.position}`);
  }
  out.push(`insert into ticket_rule_conditions (tenant_id, rule_id, position, property, operator, value)
    select r.tenant_id, r.id, 0, 'title', 'equals', '"[Portal Credentials]"'::jsonb
      from ticket_rules r where r.tenant_id in (select id from seeded_workspaces) and r.position = 1`);
  out.push(`insert into ticket_rule_conditions (tenant_id, rule_id, position, property, operator, value)
    select r.tenant_id, r.id, 0, 'source', 'not_equals', '"technician"'::jsonb
      from ticket_rules r where r.tenant_id in (select id from seeded_workspaces) and r.position = 2`);
  return out;
}
