import { Migration } from '@mikro-orm/migrations';

// *Technician replied* becomes the reply email itself (src/domain/notification/reply.ts):
// until now it was a notice sent besides the reply, and switching it off kept the replies
// going out; from now on off means no reply is emailed. So every workspace's row is turned
// on, whatever was chosen for the old notice, and loses its template (the notice's "Technician
// reply", which does not carry the reply): the next read gives it the shipped *Reply to the
// requester* in the workspace's language (settings.ts), as a workspace that has no row yet
// gets one.
export class SendEveryTechnicianReplyAsItsNotificationAndTurnNotificationsOn extends Migration {
  async up(): Promise<void> {
    this.addSql("update notification_settings set enabled = true, template_id = null where kind = 'technician_replied'");
  }
}
