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
// Each workspace in turn, as itself (app.tenant_id), so the row-level security of both
// tables lets the update through whether or not the migration's user bypasses it.
export class SendEveryTechnicianReplyAsItsNotificationAndTurnNotificationsOn extends Migration {
  async up(): Promise<void> {
    this.addSql('alter table notification_settings alter column enabled set default true');
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
        end loop;
        perform set_config('app.tenant_id', '', true);
      end $$`];
}
