import { Migration } from '@mikro-orm/migrations';

// Every reference between tenant tables now names the tenant too: a row can only point
// at a row of its own tenant, whatever id a request forges. (Foreign-key checks do not
// pass through row-level security, so without this a contact of one tenant could be
// tied to another tenant's customer by a bug that skipped the ORM's tenant filter.)
const referenced = ['customers', 'contacts', 'technicians', 'tickets', 'ticket_messages', 'email_templates'];

const references: Array<[table: string, column: string, target: string, onDelete: string]> = [
  ['contacts', 'customer_id', 'customers', 'no action'],
  ['tickets', 'customer_id', 'customers', 'no action'],
  ['tickets', 'contact_id', 'contacts', 'no action'],
  ['tickets', 'assignee_id', 'technicians', 'set null (assignee_id)'],
  ['ticket_messages', 'ticket_id', 'tickets', 'cascade'],
  ['ticket_messages', 'author_contact_id', 'contacts', 'set null (author_contact_id)'],
  ['ticket_messages', 'author_technician_id', 'technicians', 'set null (author_technician_id)'],
  ['ticket_events', 'ticket_id', 'tickets', 'cascade'],
  ['attachments', 'ticket_id', 'tickets', 'cascade'],
  ['attachments', 'message_id', 'ticket_messages', 'cascade'],
  ['password_tokens', 'technician_id', 'technicians', 'cascade'],
  ['password_tokens', 'contact_id', 'contacts', 'cascade'],
  ['email_settings', 'welcome_template_id', 'email_templates', 'restrict'],
  ['email_settings', 'reset_template_id', 'email_templates', 'restrict'],
];

export class TieEveryReferenceToItsTenant extends Migration {
  async up(): Promise<void> {
    for (const table of referenced) {
      this.addSql(`alter table ${table} add constraint ${table}_tenant_id_id_key unique (tenant_id, id)`);
    }
    for (const [table, column, target, onDelete] of references) {
      this.addSql(`alter table ${table} drop constraint ${table}_${column}_fkey`);
      this.addSql(`alter table ${table} add constraint ${table}_${column}_tenant_fkey
        foreign key (tenant_id, ${column}) references ${target} (tenant_id, id) on delete ${onDelete}`);
    }
  }
}
