// The conversation: a reply (public, emailed to the requester as *Technician replied*) or an internal note, raised
// as Contact Responded / Technician Responded.
import type { Em } from '../../db/orm.js';
import { Checker, ValidationError } from '../../lib/validation.js';
import { Contact } from '../contact/contact.js';
import { prepareTechnicianReply, type PreparedReply } from '../email/reply-snippets.js';
import { emailTechnicianReply } from '../notification/reply.js';
import { Technician } from '../technician/technician.js';
import type { Tenant } from '../tenant/tenant.js';
import { addAttachments, type NewFile } from './attachments.js';
import { changeStatus } from './changes.js';
import { raiseStatusChange, raiseTicketEvent } from './events.js';
import { recordEvent } from './history.js';
import { TicketMessage, type Ticket } from './ticket.js';

export const BODY_MAX = 50_000;

export interface ReplyInput {
  body: unknown;
  /** An internal note: technicians only, never emailed, never shown in the portal. */
  internal?: boolean;
  author: Technician | Contact;
  attachments?: NewFile[];
  /** The technician ticked "this replaces the portal password of …" (a public reply with {[Portal Password]}). */
  replacePasswordConfirmed?: boolean;
}

export async function addReply(em: Em, tenant: Tenant, ticket: Ticket, input: ReplyInput): Promise<TicketMessage> {
  const { message, prepared } = await writeReply(em, tenant, ticket, input);
  // *Technician replied* (Admin > Notifications) is the reply email.
  if (prepared) await emailTechnicianReply(em, tenant, ticket, message, prepared, input.author as Technician);
  await em.flush();
  return message;
}

/** The reply or note written, its events raised; a public reply also as prepared for its requester's email (not queued yet). */
async function writeReply(em: Em, tenant: Tenant, ticket: Ticket, input: ReplyInput): Promise<{ message: TicketMessage; prepared?: PreparedReply }> {
  const body = typeof input.body === 'string' ? input.body.replace(/\r\n/g, '\n').trim() : '';
  const byTechnician = input.author instanceof Technician;
  const internal = byTechnician && input.internal === true;
  const check = new Checker();
  if (!body) check.add('body', internal ? 'tickets.errors.noteEmpty' : 'tickets.errors.replyEmpty');
  else check.require('body', body, internal ? 'tickets.errors.noteLabel' : 'tickets.errors.replyLabel', BODY_MAX);
  check.throwIfAny();
  await em.populate(ticket, ['contact']);
  // A public reply's snippets resolve for the requester; the conversation keeps credentials masked.
  const prepared = byTechnician && !internal ? await prepareTechnicianReply(em, tenant, ticket, input.author as Technician, body, { replacePasswordConfirmed: input.replacePasswordConfirmed }) : undefined;

  const message = em.create(TicketMessage, {
    tenant, ticket, body: prepared?.stored ?? body, internal, createdAt: new Date(),
    authorKind: byTechnician ? 'technician' : 'contact',
    authorTechnician: byTechnician ? (input.author as Technician) : null,
    authorContact: byTechnician ? null : (input.author as Contact),
  });
  em.persist(message);
  ticket.updatedAt = new Date();
  // A requester (or their main contact) writing back to a resolved ticket means it is not resolved.
  if (!byTechnician && ticket.status === 'resolved') {
    recordEvent(em, tenant, ticket, 'status', 'resolved', 'open');
    ticket.status = 'open';
    raiseStatusChange(ticket.id, 'resolved', 'open');
  }
  await em.flush();
  raiseResponded(ticket, message, false);
  if (input.attachments?.length) await addAttachments(em, tenant, ticket, input.attachments, message);
  return { message, prepared };
}

/** What a technician may set the status to as they send a public reply ("Send and set to Resolved"). */
export const STATUS_AFTER_REPLY = ['pending', 'resolved'] as const;

/**
 * A technician's reply and, in the same step, the status it leaves the ticket in: one
 * unit of work (the request's transaction), the reply's Technician Responded and the
 * status change's own history entry and events, so rules see both. `status` empty: the
 * reply alone. An unknown status is refused before anything is written. A public reply that
 * resolves the ticket is one email to the requester (notification/reply.ts): the reply, with
 * the line that the ticket is resolved and that replying reopens it — not the reply and
 * *Ticket resolved* one after the other.
 */
export async function replyAndSetStatus(em: Em, tenant: Tenant, ticket: Ticket, input: ReplyInput & { status?: unknown }): Promise<TicketMessage> {
  const status = input.status === undefined || input.status === '' ? null : input.status;
  if (status !== null && !(STATUS_AFTER_REPLY as readonly unknown[]).includes(status)) throw new ValidationError({ status: 'tickets.errors.status' });
  const { message, prepared } = await writeReply(em, tenant, ticket, input);
  const resolves = status === 'resolved' && ticket.status !== 'resolved';
  if (status !== null) await changeStatus(em, tenant, ticket, status);
  // One email to the requester: the reply, saying the ticket is now resolved (and *Ticket resolved* not sent for it).
  if (prepared) await emailTechnicianReply(em, tenant, ticket, message, prepared, input.author as Technician, { resolves });
  await em.flush();
  return message;
}

/** Contact Responded or Technician Responded, for a message just written. */
export function raiseResponded(ticket: Ticket, message: TicketMessage, automatic: boolean): void {
  if (message.authorKind === 'technician') raiseTicketEvent({ type: 'ticket.technician_responded', ticketId: ticket.id, messageId: message.id, internal: message.internal, automatic });
  else if (message.authorKind === 'contact') raiseTicketEvent({ type: 'ticket.contact_responded', ticketId: ticket.id, messageId: message.id, automatic });
}
