import { Migration } from '@mikro-orm/migrations';

// A ticket a technician opened on a contact's behalf says so (issue 14): its first
// message is the technician's, not the contact's. Tickets opened before this column
// take it from the audit trail's ticket.opened, which has always named its actor.
export class RememberWhichTechnicianOpenedATicket extends Migration {
  async up(): Promise<void> {
    this.addSql('alter table tickets add column opened_by_id int');
    this.addSql(`alter table tickets add constraint tickets_opened_by_id_tenant_fkey
      foreign key (tenant_id, opened_by_id) references technicians (tenant_id, id) on delete set null (opened_by_id)`);
    this.addSql(`update tickets t set opened_by_id = a.actor_id
      from audit_events a join technicians h on h.tenant_id = a.tenant_id and h.id = a.actor_id
      where t.source = 'technician' and a.tenant_id = t.tenant_id and a.action = 'ticket.opened'
        and a.subject_type = 'ticket' and a.subject_id = t.id and a.actor_kind = 'technician'`);
  }
}
