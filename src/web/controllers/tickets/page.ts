// What the ticket page shows, loaded in one place: the full page, a 422 of the
// reply form and the in-place changes all render from the same locals.
import type { Em } from '../../../db/orm.js';
import type { Sql } from '../../../db/sql.js';
import { Contact } from '../../../domain/contact/contact.js';
import { replyCredentials } from '../../../domain/email/reply-snippets.js';
import { snippetPlaceholder } from '../../../domain/email/snippets.js';
import { Technician } from '../../../domain/technician/technician.js';
import { historyOf } from '../../../domain/ticket/history.js';
import { ticketPageView, type TicketPageTicket } from '../../../domain/ticket/ticket-page.js';
import type { Tenant } from '../../../domain/tenant/tenant.js';
import { PRIORITIES, STATUSES, TYPES, type Ticket } from '../../../domain/ticket/ticket.js';
import { speakerFor } from '../../../i18n/translate.js';

export type FilesByMessage = Record<string, Array<{ id: number; fileName: string; size: number }>>;

/** Attachments grouped by the message they came with ('ticket' for the ones opened with the ticket). */
export function groupFiles(files: Array<{ id: number; fileName: string; size: number; message?: { id: number } | null }>): FilesByMessage {
  const grouped: FilesByMessage = {};
  for (const f of files) (grouped[f.message ? String(f.message.id) : 'ticket'] ??= []).push(f);
  return grouped;
}

export async function propertiesLocals(em: Em, ticket: Ticket) {
  const [technicians, history] = await Promise.all([
    em.find(Technician, { active: true }, { orderBy: { name: 'asc' }, fields: ['id', 'name'] }),
    historyOf(em, ticket),
  ]);
  return { ticket, technicians, history, statuses: STATUSES, priorities: PRIORITIES, types: TYPES, propertyErrors: {} as Record<string, string> };
}

/**
 * The ticket page's locals, from its one statement (domain/ticket/ticket-page.ts). `entity`:
 * the ticket as a handler holds it (a refused reply, a property change, the title form) —
 * the page then shows it as held, with the statement's lists beside it.
 */
export async function ticketPageLocals(sql: Sql, number: number, entity?: Ticket) {
  const { ticket: read, ...lists } = await ticketPageView(sql, number);
  const ticket = entity ?? read;
  return {
    ...lists, titleEditing: false, statuses: STATUSES, priorities: PRIORITIES, types: TYPES, propertyErrors: {} as Record<string, string>,
    ticket, title: `#${ticket.number} ${ticket.title}`, files: groupFiles(lists.files), base: `/tickets/${ticket.number}`, values: {}, errors: {}, images: false,
    credentials: replyCredentialLocals(undefined, ticket, ''),
  };
}

/** What the reply box says about its credentials (views/tickets/_reply-credentials.ejs), for the body it holds. */
export function replyCredentialLocals(tenant: Tenant | undefined, ticket: Ticket | TicketPageTicket, body: unknown, filledAsLink = false) {
  const text = tenant && typeof body === 'string' ? body : '';
  const contact = ticket.contact;
  // The page's own read says whether the requester has a password; it never carries the hash.
  const state = contact instanceof Contact
    ? (tenant ? replyCredentials(tenant, contact, text) : { hasPassword: Boolean(contact.passwordHash), replacesPassword: false, setsPassword: false })
    : { hasPassword: contact.hasPassword, replacesPassword: false, setsPassword: false };
  return { requester: ticket.contact, ...state, filledAsLink, snippets: credentialSnippets(tenant) };
}

/** The credential snippets as the reply box names them: in the workspace's language, as its quick replies are written. */
function credentialSnippets(tenant: Tenant | undefined) {
  const speaker = speakerFor(tenant?.language, tenant?.edition ?? 'msp');
  return { password: snippetPlaceholder('portal.password', speaker), passwordLink: snippetPlaceholder('portal.passwordLink', speaker) };
}
