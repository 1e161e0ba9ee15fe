// The portal's ticket page as plain rows, in one statement: the ticket (within the
// contact's scope: their own tickets, and a main contact's also their customer's), its
// public messages with their authors' names, and the attachments the contact may see —
// no entity: the page only reads, and the ORM's queries and hydration cost it several
// times the rest of the request (bench/pages). Scoped by hand to the unit of work's tenant
// on every table; RLS holds beneath. The reply form's 422 renders from the entities
// (portalTicketLocals); both give the view the same shapes.
import type { Sql } from '../../db/sql.js';
import { NotFoundError } from '../../lib/validation.js';
import { fullName } from '../contact/contact.js';
import type { TicketStatus } from './ticket.js';

export interface PortalTicketView {
  ticket: { id: number; number: number; title: string; status: TicketStatus; description: string; descriptionHtml: string | null; createdAt: Date; contact: { fullName: string }; openedBy: { name: string } | null };
  messages: Array<{
    id: number; authorKind: string; body: string; bodyHtml: string | null; quotedText: string | null; internal: boolean; createdAt: Date;
    authorTechnician: { name: string } | null; authorContact: { fullName: string } | null;
  }>;
  files: Array<{ id: number; fileName: string; size: number; message: { id: number } | null }>;
}

interface Raw {
  id: number; number: number; title: string; status: TicketStatus; description: string; description_html: string | null; created_at: Date;
  first_name: string; last_name: string; email: string; opened_by_name: string | null;
  messages: Array<{ id: number; authorKind: string; body: string; bodyHtml: string | null; quotedText: string | null; createdAt: string;
    technicianName: string | null; contactFirst: string | null; contactLast: string | null; contactEmail: string | null }>;
  files: Array<{ id: number; fileName: string; size: number; messageId: number | null }>;
}

/** The ticket `number` as the portal shows it to `contact`; NotFoundError outside their scope. */
export async function portalTicketView(sql: Sql, contact: { id: number; isMain: boolean; customer: { id: number } }, number: number): Promise<PortalTicketView> {
  const row = await sql.one<Raw>(
    `select t.id, t.number, t.title, t.status, t.description, t.description_html, t.created_at, ct.first_name, ct.last_name, ct.email, ob.name as opened_by_name,
       coalesce((select json_agg(json_build_object('id', m.id, 'authorKind', m.author_kind, 'body', m.body, 'bodyHtml', m.body_html, 'quotedText', m.quoted_text,
                   'createdAt', m.created_at, 'technicianName', te.name, 'contactFirst', ac.first_name, 'contactLast', ac.last_name, 'contactEmail', ac.email) order by m.id)
                 from ticket_messages m
                 left join technicians te on te.id = m.author_technician_id and te.tenant_id = m.tenant_id
                 left join contacts ac on ac.id = m.author_contact_id and ac.tenant_id = m.tenant_id
                 where m.tenant_id = $1 and m.ticket_id = t.id and not m.internal), '[]') as messages,
       coalesce((select json_agg(json_build_object('id', a.id, 'fileName', a.file_name, 'size', a.size, 'messageId', a.message_id) order by a.id)
                 from attachments a left join ticket_messages am on am.id = a.message_id and am.tenant_id = a.tenant_id
                 where a.tenant_id = $1 and a.ticket_id = t.id and (a.message_id is null or not am.internal)), '[]') as files
     from tickets t join contacts ct on ct.id = t.contact_id and ct.tenant_id = t.tenant_id
     left join technicians ob on ob.id = t.opened_by_id and ob.tenant_id = t.tenant_id
     where t.tenant_id = $1 and t.number = $2 and (t.contact_id = $3 or t.customer_id = $4)`,
    [sql.tenantId, number, contact.id, contact.isMain ? contact.customer.id : null]);
  if (!row) throw new NotFoundError();
  return {
    ticket: {
      id: row.id, number: row.number, title: row.title, status: row.status, description: row.description, descriptionHtml: row.description_html,
      createdAt: new Date(row.created_at), contact: { fullName: fullName({ firstName: row.first_name, lastName: row.last_name, email: row.email }) },
      openedBy: row.opened_by_name === null ? null : { name: row.opened_by_name },
    },
    messages: row.messages.map((m) => ({
      id: m.id, authorKind: m.authorKind, body: m.body, bodyHtml: m.bodyHtml, quotedText: m.quotedText, internal: false, createdAt: new Date(m.createdAt),
      authorTechnician: m.technicianName === null ? null : { name: m.technicianName },
      authorContact: m.contactEmail === null ? null : { fullName: fullName({ firstName: m.contactFirst ?? '', lastName: m.contactLast ?? '', email: m.contactEmail }) },
    })),
    files: row.files.map((f) => ({ id: f.id, fileName: f.fileName, size: f.size, message: f.messageId === null ? null : { id: f.messageId } })),
  };
}
