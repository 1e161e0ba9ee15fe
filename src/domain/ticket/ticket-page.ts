// The technician's ticket page as plain rows, in ONE statement however long the
// conversation: the ticket with its customer, requester, assignee and opener; the
// conversation (internal notes included) with its authors' names and quoted text; the
// attachments; the history; the rules that ran on it; the technicians the assignee
// picker offers; the quick replies; and the requester panel. No entity: the page only
// reads, and the ORM's eight queries, their hydration and the flush at the end cost it
// ten times the rest of the request (bench/pages). Scoped by hand to the unit of work's
// tenant on every table; RLS holds beneath. The reply form's 422 and the in-place
// changes render the same view from the entity they changed (ticketPageLocals in
// web/controllers/tickets/page.ts), with this statement's lists: one shape for the view.
import type { Sql } from '../../db/sql.js';
import { NotFoundError } from '../../lib/validation.js';
import { fullName } from '../contact/contact.js';
import type { ActionResult, ConditionResult, RunOutcome } from '../rule/rule.js';
import { RUNS_SHOWN, type RunRow } from '../rule/lists.js';
import { PANEL_TICKETS, requesterPanelJoin, requesterPanelOf, type RequesterPanel, type RequesterPanelRaw } from './requester-panel.js';
import type { TicketPriority, TicketSource, TicketStatus, TicketType } from './ticket.js';

/** The ticket as its page shows it (the entity's shape, as far as the page reads it). */
export interface TicketPageTicket {
  id: number; number: number; title: string; description: string; descriptionHtml: string | null;
  status: TicketStatus; priority: TicketPriority; type: TicketType; source: TicketSource; automatic: boolean; createdAt: Date; updatedAt: Date;
  customer: { id: number; name: string };
  /** `hasPassword`: whether the requester has a portal password (never the hash itself). */
  contact: { id: number; fullName: string; email: string; hasPassword: boolean };
  /** A deactivated technician keeps their tickets, shown as inactive. */
  assignee: { id: number; name: string; active: boolean } | null;
  openedBy: { id: number; name: string } | null;
}

export interface TicketPageMessage {
  id: number; authorKind: string; body: string; bodyHtml: string | null; quotedText: string | null; internal: boolean; createdAt: Date;
  authorTechnician: { name: string } | null; authorContact: { fullName: string } | null;
}

export interface TicketPageEvent { id: number; actorKind: string; actorName: string; field: string; fromValue: string | null; toValue: string | null; createdAt: Date }

export interface TicketPageLists {
  /** The active technicians, by name: the assignee picker. */
  technicians: Array<{ id: number; name: string }>;
  /** Oldest first. */
  history: TicketPageEvent[];
  /** Oldest first. */
  messages: TicketPageMessage[];
  /** Without their bytes, oldest first. */
  files: Array<{ id: number; fileName: string; size: number; message: { id: number } | null }>;
  quickReplies: Array<{ id: number; name: string }>;
  /** The runs that did something or meant to (not the misses), newest first, at most RUNS_SHOWN. */
  ruleRuns: RunRow[];
  requester: RequesterPanel;
}

export interface TicketPageView extends TicketPageLists { ticket: TicketPageTicket }

interface Raw extends RequesterPanelRaw {
  id: number; number: number; title: string; description: string; description_html: string | null;
  status: TicketStatus; priority: TicketPriority; type: TicketType; source: TicketSource; automatic: boolean; created_at: Date; updated_at: Date;
  customer_id: number; customer_name: string;
  contact_id: number; first_name: string; last_name: string; email: string; phone: string | null; has_password: boolean;
  assignee_id: number | null; assignee_name: string | null; assignee_active: boolean | null;
  opened_by_id: number | null; opened_by_name: string | null;
  technicians: Array<{ id: number; name: string }>;
  history: Array<{ id: number; actorKind: string; actorName: string; field: string; fromValue: string | null; toValue: string | null; createdAt: string }>;
  messages: Array<{ id: number; authorKind: string; body: string; bodyHtml: string | null; quotedText: string | null; internal: boolean; createdAt: string;
    technicianName: string | null; contactFirst: string | null; contactLast: string | null; contactEmail: string | null }>;
  files: Array<{ id: number; fileName: string; size: number; messageId: number | null }>;
  quick_replies: Array<{ id: number; name: string }>;
  rule_runs: Array<{ id: number; ruleId: number; ruleName: string; event: string; outcome: RunOutcome; conditions: ConditionResult[] | null; actions: ActionResult[] | null;
    failed: boolean; createdAt: string }>;
}

// $1 the tenant, $2 the ticket's number, $3 how many rule runs, $4 how many of the requester's other open tickets.
const STATEMENT = `select t.id, t.number, t.title, t.description, t.description_html, t.status, t.priority, t.type, t.source, t.automatic, t.created_at, t.updated_at,
    cu.id as customer_id, cu.name as customer_name,
    c.id as contact_id, c.first_name, c.last_name, c.email, c.phone, c.password_hash is not null as has_password,
    a.id as assignee_id, a.name as assignee_name, a.active as assignee_active, ob.id as opened_by_id, ob.name as opened_by_name,
    coalesce((select json_agg(json_build_object('id', te.id, 'name', te.name) order by te.name)
              from technicians te where te.tenant_id = $1 and te.active), '[]') as technicians,
    coalesce((select json_agg(json_build_object('id', e.id, 'actorKind', e.actor_kind, 'actorName', e.actor_name, 'field', e.field,
                'fromValue', e.from_value, 'toValue', e.to_value, 'createdAt', e.created_at) order by e.id)
              from ticket_events e where e.tenant_id = $1 and e.ticket_id = t.id), '[]') as history,
    coalesce((select json_agg(json_build_object('id', m.id, 'authorKind', m.author_kind, 'body', m.body, 'bodyHtml', m.body_html, 'quotedText', m.quoted_text,
                'internal', m.internal, 'createdAt', m.created_at, 'technicianName', mt.name, 'contactFirst', mc.first_name, 'contactLast', mc.last_name,
                'contactEmail', mc.email) order by m.id)
              from ticket_messages m
              left join technicians mt on mt.id = m.author_technician_id and mt.tenant_id = m.tenant_id
              left join contacts mc on mc.id = m.author_contact_id and mc.tenant_id = m.tenant_id
              where m.tenant_id = $1 and m.ticket_id = t.id), '[]') as messages,
    coalesce((select json_agg(json_build_object('id', f.id, 'fileName', f.file_name, 'size', f.size, 'messageId', f.message_id) order by f.id)
              from attachments f where f.tenant_id = $1 and f.ticket_id = t.id), '[]') as files,
    coalesce((select json_agg(json_build_object('id', q.id, 'name', q.name) order by q.name)
              from quick_replies q where q.tenant_id = $1), '[]') as quick_replies,
    coalesce((select json_agg(json_build_object('id', r.id, 'ruleId', r.rule_id, 'ruleName', r.rule_name, 'event', r.event, 'outcome', r.outcome,
                'conditions', r.conditions, 'actions', r.actions, 'failed', r.failed, 'createdAt', r.created_at) order by r.created_at desc, r.id desc)
              from (select u.id, u.rule_id, ru.name as rule_name, u.event, u.outcome, u.conditions, u.actions, u.error is not null as failed, u.created_at
                    from ticket_rule_runs u join ticket_rules ru on ru.id = u.rule_id and ru.tenant_id = u.tenant_id
                    where u.tenant_id = $1 and u.ticket_id = t.id and u.outcome <> 'not_matched'
                    order by u.created_at desc, u.id desc limit $3) r), '[]') as rule_runs,
    o.open, o.total
  from tickets t
  join customers cu on cu.id = t.customer_id and cu.tenant_id = t.tenant_id
  join contacts c on c.id = t.contact_id and c.tenant_id = t.tenant_id
  left join technicians a on a.id = t.assignee_id and a.tenant_id = t.tenant_id
  left join technicians ob on ob.id = t.opened_by_id and ob.tenant_id = t.tenant_id
  ${requesterPanelJoin('$1', '$4')}
  where t.tenant_id = $1 and t.number = $2`;

/** The ticket `number` of the unit of work's tenant and everything its page shows; NotFoundError when there is none. */
export async function ticketPageView(sql: Sql, number: number): Promise<TicketPageView> {
  const row = await sql.one<Raw>(STATEMENT, [sql.tenantId, number, RUNS_SHOWN, PANEL_TICKETS]);
  if (!row) throw new NotFoundError();
  const ticket: TicketPageTicket = {
    id: row.id, number: row.number, title: row.title, description: row.description, descriptionHtml: row.description_html,
    status: row.status, priority: row.priority, type: row.type, source: row.source, automatic: row.automatic, createdAt: new Date(row.created_at), updatedAt: new Date(row.updated_at),
    customer: { id: row.customer_id, name: row.customer_name },
    contact: { id: row.contact_id, fullName: fullName({ firstName: row.first_name, lastName: row.last_name, email: row.email }), email: row.email, hasPassword: row.has_password },
    assignee: row.assignee_id === null ? null : { id: row.assignee_id, name: row.assignee_name!, active: row.assignee_active !== false },
    openedBy: row.opened_by_id === null ? null : { id: row.opened_by_id, name: row.opened_by_name! },
  };
  return {
    ticket,
    technicians: row.technicians,
    history: row.history.map((e) => ({ ...e, createdAt: new Date(e.createdAt) })),
    messages: row.messages.map((m) => ({
      id: m.id, authorKind: m.authorKind, body: m.body, bodyHtml: m.bodyHtml, quotedText: m.quotedText, internal: m.internal, createdAt: new Date(m.createdAt),
      authorTechnician: m.technicianName === null ? null : { name: m.technicianName },
      authorContact: m.contactEmail === null ? null : { fullName: fullName({ firstName: m.contactFirst ?? '', lastName: m.contactLast ?? '', email: m.contactEmail }) },
    })),
    files: row.files.map((f) => ({ id: f.id, fileName: f.fileName, size: f.size, message: f.messageId === null ? null : { id: f.messageId } })),
    quickReplies: row.quick_replies,
    ruleRuns: row.rule_runs.map((r) => ({
      id: r.id, ruleId: r.ruleId, ruleName: r.ruleName, ticketNumber: ticket.number, ticketTitle: ticket.title, event: r.event, outcome: r.outcome,
      conditions: r.conditions ?? [], actions: r.actions ?? [], failed: r.failed, createdAt: new Date(r.createdAt),
    })),
    requester: requesterPanelOf(row.phone, row),
  };
}
