import { Migration } from '@mikro-orm/migrations';

// Notifications are on unless a workspace switches them off (DESIGN.md §9), and *Technician
// replied* becomes the reply email itself (src/domain/notification/reply.ts).
//  - *Technician replied* was a notice sent besides the reply: switching it off kept the
//    replies going out, where from now on off means no reply is emailed. So every
//    workspace's row is turned on, whatever was chosen for the old notice, and loses its
//    template (the notice's "Technician reply", which does not carry the reply): the next
//    read gives it the shipped *Reply to the requester* in the workspace's language
//    (settings.ts), as a workspace without rows gets them.
//  - The other six are turned on in every workspace whose admin never saved Admin >
//    Notifications — known by its audit event, `notification_settings.updated`, which only a
//    save writes (the rows themselves are made by any first visit, so they tell nothing). A
//    workspace that saved keeps what its admin chose. Workspaces without rows get them on.
//  - The notifications' shipped templates are sent in each recipient's language, from the
//    catalogue, until an admin edits them (src/domain/notification/shipped.ts):
//    email_templates.shipped names the notification a template is still the shipped text of.
//    A workspace's existing ones are marked by their shipped name (English or Italian) when
//    no admin created or saved them (no email_template.created / .updated audit event names
//    them): the rows the workspace was given, never touched.
// Each workspace in turn, as itself (app.tenant_id), so the row-level security of both
// tables lets the update through whether or not the migration's user bypasses it.
export class SendEveryTechnicianReplyAsItsNotificationAndTurnNotificationsOn extends Migration {
  async up(): Promise<void> {
    this.addSql('alter table notification_settings alter column enabled set default true');
    this.addSql('alter table email_templates add column shipped varchar(40)');
    for (const sql of notificationsOnStatements()) this.addSql(sql);
  }
}

/** The statements that turn the notifications on (run in one transaction; test/notifications runs them too). */
export function notificationsOnStatements(): string[] {
  return [`do $$
      declare workspace int;
      begin
        for workspace in select id from tenants loop
          perform set_config('app.tenant_id', workspace::text, true);
          update notification_settings set enabled = true, template_id = null where tenant_id = workspace and kind = 'technician_replied';
          update notification_settings set enabled = true
           where tenant_id = workspace and kind <> 'technician_replied'
             and not exists (select 1 from audit_events a where a.tenant_id = workspace and a.action = 'notification_settings.updated');
          update email_templates e set shipped = case e.name
                                when 'Ticket received' then 'ticket_received' when 'Ticket ricevuto' then 'ticket_received'
                                when 'Ticket resolved' then 'ticket_resolved' when 'Ticket risolto' then 'ticket_resolved'
                                when 'New ticket (to technicians)' then 'new_ticket' when 'Nuovo ticket (ai tecnici)' then 'new_ticket'
                                when 'Ticket assigned (to technicians)' then 'ticket_assigned' when 'Ticket assegnato (ai tecnici)' then 'ticket_assigned'
                                when 'Requester replied (to technicians)' then 'requester_replied' when 'Risposta del richiedente (ai tecnici)' then 'requester_replied'
                                when 'Mentioned in a note (to technicians)' then 'note_mention' when 'Menzione in una nota (ai tecnici)' then 'note_mention'
                              end
           where e.tenant_id = workspace and e.name in ('Ticket received', 'Ticket ricevuto', 'Ticket resolved', 'Ticket risolto', 'New ticket (to technicians)', 'Nuovo ticket (ai tecnici)', 'Ticket assigned (to technicians)', 'Ticket assegnato (ai tecnici)', 'Requester replied (to technicians)', 'Risposta del richiedente (ai tecnici)', 'Mentioned in a note (to technicians)', 'Menzione in una nota (ai tecnici)')
             and not exists (select 1 from audit_events a where a.tenant_id = workspace and a.subject_type = 'email_template' and a.subject_id = e.id
                                and a.action in ('email_template.created', 'email_template.updated'));
        end loop;
        perform set_config('app.tenant_id', '', true);
      end $$`];
}
