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
  contactFirstName?: string;
  contactLastName?: string;
  contactLanguage: string | null;
  supportAddress: string | null;
  assigneeId: number | null;
  assigneeName: string | null;
  assigneeEmail: string | null;
  lastContactComment: string | null;
  automatic: boolean;
  createdAt: Date;
}

/** An int[] parameter as PostgreSQL's text for it: knex (the EntityManager's `execute`) would spread an array into a list. */
export const intArray = (ids: readonly number[]): string => `{${ids.map((id) => Math.trunc(id)).join(',')}}`;

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
    nullif(btrim(c.first_name || ' ' || c.last_name), '') as "contactFullName", c.email as "contactEmail",
    c.first_name as "contactFirstName", c.last_name as "contactLastName", c.language as "contactLanguage",
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

/** The workspace as notes and emails name it (snippets), and as the outbox is given it. */
export interface TenantFacts { id: number; slug: string; name: string; language: string; edition: string }
export interface TechnicianFacts { id: number; name: string; email: string; active: boolean }

/** What the actions of one event read, beside the ticket: fetched only when its rules need it. */
export interface EventFacts {
  facts: TicketFacts;
  /** The technicians in a stable order (round robin and emails to all take the active ones), or null when not asked. */
  technicians: TechnicianFacts[] | null;
  tenant: TenantFacts | null;
  /** Emails each asked rule sent each recipient (lower case) in the last hour: key `rule|recipient`. */
  sends: Map<string, number>;
  /** Round robin: who each asked action assigned last. */
  lastAssigned: Map<number, number | null>;
}

export interface FactsNeeds {
  /** Technicians and the workspace (round robin, emails, notes). */
  people: boolean;
  /** Rules with email actions: their sends in the last hour to the ticket's contact or a technician. */
  emailRules: number[];
  /** Round-robin actions: whom each assigned last (the engine writes it; the rules cache does not hold it). */
  roundRobin: number[];
}

// The extras are one-time-filtered subqueries: an event whose rules need none of them pays nothing for them.
const EVENT_FACTS = FACTS.replace(' as "createdAt"\n', ` as "createdAt",
    case when $3 then (select coalesce(json_agg(json_build_object('id', x.id, 'name', x.name, 'email', x.email, 'active', x.active) order by x.id), '[]')
                         from technicians x where x.tenant_id = t.tenant_id) end as technicians,
    case when $3 then (select json_build_object('id', w.id, 'slug', w.slug, 'name', w.name, 'language', w.language, 'edition', w.edition)
                         from tenants w where w.id = t.tenant_id) end as tenant,
    case when cardinality($4::int[]) > 0 then (select coalesce(json_agg(json_build_object('key', s.rule_id || '|' || s.recipient, 'n', s.n)), '[]')
        from (select rule_id, recipient, count(*)::int as n from ticket_rule_sends
               where tenant_id = t.tenant_id and rule_id = any($4::int[]) and sent_at > now() - interval '1 hour'
                 and recipient = any(array(select lower(c.email) union all select lower(y.email) from technicians y where y.tenant_id = t.tenant_id))
               group by rule_id, recipient) s) end as sends,
    case when cardinality($5::int[]) > 0 then (select coalesce(json_agg(json_build_object('id', a.id, 'last', a.last_technician_id)), '[]')
        from ticket_rule_actions a where a.tenant_id = t.tenant_id and a.id = any($5::int[])) end as "lastAssigned"
`);

type Row = Omit<TicketFacts, 'contactName'> & { contactFullName: string | null };
type EventRow = Row & {
  technicians: TechnicianFacts[] | null; tenant: TenantFacts | null;
  sends: Array<{ key: string; n: number }> | null; lastAssigned: Array<{ id: number; last: number | null }> | null;
};

const factsOf = (row: Row): TicketFacts => {
  const { contactFullName, ...facts } = row;
  return { ...facts, contactName: contactFullName ?? row.contactEmail, createdAt: new Date(row.createdAt) };
};

/** The ticket's facts, or null when it is gone. */
export async function ticketFacts(query: Query, tenantId: number, ticketId: number): Promise<TicketFacts | null> {
  const [row] = await query<Row>(FACTS, [tenantId, ticketId]);
  return row ? factsOf(row) : null;
}

/**
 * The facts' statement with its parameters where another statement has them (the queue
 * reads an event's facts in the statement that takes the event): SQL for the tenant id,
 * the ticket id, `people` (boolean) and the two int[] lists of FactsNeeds.
 */
export function eventFactsSql(at: { tenant: string; ticket: string; people: string; emailRules: string; roundRobin: string }): string {
  const by = [at.tenant, at.ticket, at.people, at.emailRules, at.roundRobin];
  return EVENT_FACTS.replace(/\$([1-5])\b/g, (_, n: string) => by[Number(n) - 1]);
}

/** The parameters of the facts' statement for these needs (after the tenant and ticket ids). */
export const needsParams = (needs: FactsNeeds): unknown[] => [needs.people, intArray(needs.emailRules), intArray(needs.roundRobin)];

/** The ticket's facts and what the event's rules need besides (one statement), or null when the ticket is gone. */
export async function eventFacts(query: Query, tenantId: number, ticketId: number, needs: FactsNeeds): Promise<EventFacts | null> {
  const [row] = await query<EventRow>(EVENT_FACTS, [tenantId, ticketId, ...needsParams(needs)]);
  return row ? eventFactsOf(row) : null;
}

/** A row of the facts' statement (or its JSON, read by another statement) as the engine holds it. */
export function eventFactsOf(row: unknown): EventFacts {
  const { technicians, tenant, sends, lastAssigned, ...rest } = row as EventRow;
  return {
    facts: factsOf(rest), technicians, tenant,
    sends: new Map((sends ?? []).map((s) => [s.key, s.n])),
    lastAssigned: new Map((lastAssigned ?? []).map((a) => [a.id, a.last])),
  };
}
