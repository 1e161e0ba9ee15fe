import { Migration } from '@mikro-orm/migrations';

// Ticket lists are ordered by (updated_at desc, id desc). With id in the index too, a
// contact's, a customer's or an assignee's list reads its 50 rows straight from the index
// instead of sorting all of them first (bench/pages: My tickets sorted 200 rows a visit).
const indexes: Array<[name: string, column: string, before: string]> = [
  ['tickets_contact', 'contact_id', '(tenant_id, contact_id, updated_at desc)'],
  ['tickets_customer', 'customer_id', '(tenant_id, customer_id, updated_at desc)'],
  ['tickets_assignee', 'assignee_id', '(tenant_id, assignee_id)'],
];

export class KeepTicketListIndexesInListOrder extends Migration {
  async up(): Promise<void> {
    for (const [name, column] of indexes) {
      this.addSql(`drop index ${name}`);
      this.addSql(`create index ${name} on tickets (tenant_id, ${column}, updated_at desc, id desc)`);
    }
  }

  async down(): Promise<void> {
    for (const [name, , before] of indexes) {
      this.addSql(`drop index ${name}`);
      this.addSql(`create index ${name} on tickets ${before}`);
    }
  }
}
