// What a rule's conditions read about a ticket, in one query: its own fields, its
// customer, contact and assignee by name, and the contact's last comment. Read once
// per event however many rules there are; conditions are then evaluated in memory.
import type { Em } from '../../db/orm.js';
import type { Sql } from '../../db/sql.js';
import type { TicketPriority, TicketSource, TicketStatus, TicketType } from '../ticket/ticket.js';

export interface TicketFacts {
  ticketId: number;
  number: number;
  title: string;
  description: string;
  status: TicketStatus;
  priority: TicketPriority;
  type: TicketType;
  source: TicketSource;
  customerId: number;
  customerName: string;
  contactId: number;
  contactName: string;
  contactEmail: string;
  contactLanguage: string | null;
  supportAddress: string | null;
  assigneeId: number | null;
  assigneeName: string | null;
  assigneeEmail: string | null;
  lastContactComment: string | null;
  automatic: boolean;
  createdAt: Date;
}

/** Runs a statement written with $1, $2 … placeholders: the unit of work's `sql`, or an EntityManager on its transaction. */
export type Query = <R>(text: string, params: unknown[]) => Promise<R[]>;

export function queryOf(source: Sql | Em): Query {
  if ('one' in source) return (text, params) => source.query(text, params);
  // knex binds `?` in order: each $n becomes a `?` and its value is repeated where it is.
  return async <R>(text: string, params: unknown[]) => {
    const values: unknown[] = [];
    const knexText = text.replace(/\$(\d+)/g, (_, n: string) => {
      values.push(params[Number(n) - 1]);
      return '?';
    });
    return (await source.execute(knexText, values)) as R[];
  };
}

// The last comment is the contact's latest public message, or, on a ticket the contact
// opened, its description until they write again.
const FACTS = `select t.id as "ticketId", t.number, t.title, t.description, t.status, t.priority, t.type, t.source,
    t.customer_id as "customerId", cu.name as "customerName", t.contact_id as "contactId",
    nullif(btrim(c.first_name || ' ' || c.last_name), '') as "contactFullName", c.email as "contactEmail", c.language as "contactLanguage",
    t.support_address as "supportAddress", t.assignee_id as "assigneeId", a.name as "assigneeName", a.email as "assigneeEmail",
    coalesce((select m.body from ticket_messages m
               where m.tenant_id = t.tenant_id and m.ticket_id = t.id and m.author_kind = 'contact' and not m.internal
               order by m.id desc limit 1),
             case when t.source <> 'technician' then t.description end) as "lastContactComment",
    t.automatic, t.created_at as "createdAt"
  from tickets t
  join customers cu on cu.tenant_id = t.tenant_id and cu.id = t.customer_id
  join contacts c on c.tenant_id = t.tenant_id and c.id = t.contact_id
  left join technicians a on a.tenant_id = t.tenant_id and a.id = t.assignee_id
  where t.tenant_id = $1 and t.id = $2`;

type Row = Omit<TicketFacts, 'contactName'> & { contactFullName: string | null };

/** The ticket's facts, or null when it is gone. */
export async function ticketFacts(query: Query, tenantId: number, ticketId: number): Promise<TicketFacts | null> {
  const [row] = await query<Row>(FACTS, [tenantId, ticketId]);
  if (!row) return null;
  const { contactFullName, ...facts } = row;
  return { ...facts, contactName: contactFullName ?? row.contactEmail, createdAt: new Date(row.createdAt) };
}
