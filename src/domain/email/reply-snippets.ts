// A technician's public reply (typed, or filled from a quick reply) may hold
// snippets: they are resolved for the ticket's requester when the reply is sent.
// The conversation keeps credentials as ••••••••; the email keeps their markers,
// which the send job mints into the requester's message only.
import type { Em } from '../../db/orm.js';
import { ValidationError } from '../../lib/validation.js';
import { credentialMarkersIn, masked } from '../../outbound/credentials.js';
import { renderSnippets, unknownSnippets, unknownSnippetsMessage, usesPortalPassword } from './snippets.js';
import type { Contact } from '../contact/contact.js';
import { audit } from '../audit/audit-event.js';
import type { Technician } from '../technician/technician.js';
import type { Tenant } from '../tenant/tenant.js';
import type { Ticket } from '../ticket/ticket.js';

export interface PreparedReply {
  /** What the conversation stores and shows: credentials masked. */
  stored: string;
  /** What the requester's email carries: credential markers, minted by the send job. */
  email: string;
  /** The credential markers the email holds (empty when none). */
  credentials: string[];
}

/**
 * What a reply's credentials do to its requester: `replacesPassword` when it holds
 * {[Portal Password]} and they already have a password (which the minted one then
 * replaces), `setsPassword` when they have none yet.
 */
export function replyCredentials(tenant: Tenant, requester: Contact, body: string) {
  const password = usesPortalPassword(body, tenant.edition);
  const hasPassword = Boolean(requester.passwordHash);
  return { hasPassword, replacesPassword: password && hasPassword, setsPassword: password && !hasPassword };
}

export async function prepareTechnicianReply(em: Em, tenant: Tenant, ticket: Ticket, technician: Technician, body: string, options: { replacePasswordConfirmed?: boolean } = {}): Promise<PreparedReply> {
  const unknown = unknownSnippets(body, tenant.edition);
  if (unknown.length) throw new ValidationError({ body: unknownSnippetsMessage(unknown, tenant) });
  await em.populate(ticket, ['contact', 'contact.customer', 'customer']);
  // Never silently: replacing a password the requester has takes the technician's say-so.
  const { replacesPassword } = replyCredentials(tenant, ticket.contact, body);
  if (replacesPassword && !options.replacePasswordConfirmed) {
    throw new ValidationError({ replacePassword: { key: 'templates.errors.replacesPassword', params: { name: ticket.contact.fullName } } });
  }
  const email = renderSnippets(body, { tenant, contact: ticket.contact, ticket, technician });
  const credentials = credentialMarkersIn(email);
  if (credentials.length) {
    audit(em, tenant, 'contact.credentials_queued', { type: 'contact', id: ticket.contact.id }, { kind: 'ticket_reply', ticket: ticket.number, credentials, ...(replacesPassword ? { replacesPassword } : {}) });
  }
  return { stored: masked(email), email, credentials };
}
