// What an admin does with a row of the ingest log. A rejected message (unknown
// sender, or a contact who blocks automatic tickets) can be admitted — its sender
// made a contact when there is none, and the ticket opened as the pipeline would
// have — or dismissed. A failed message can be retried once more through the
// pipeline. Each records its outcome on the same row, never a second one.
import { LockMode } from '@mikro-orm/core';
import type { Current } from '../current.js';
import type { Em } from '../db/orm.js';
import { inTenant, inTenantWork } from '../db/unit-of-work.js';
import { audit } from '../domain/audit/audit-event.js';
import { Contact } from '../domain/contact/contact.js';
import { createContact } from '../domain/contact/contacts.js';
import { InboundMessage, type Outcome } from '../domain/mailbox/inbound-message.js';
import { Mailbox } from '../domain/mailbox/mailbox.js';
import { Tenant } from '../domain/tenant/tenant.js';
import { ValidationError } from '../lib/validation.js';
import { classify, isAutomatic } from './classify.js';
import { ingestMessage, type IngestResult } from './ingest.js';
import { parseMail } from './parse.js';
import { namesFrom, senderContactOf } from './sender.js';
import { openFromMail, workspaceOf } from './tickets.js';

export const REJECTED: readonly Outcome[] = ['rejected_unknown_sender', 'rejected_blocked_contact'];
/**
 * Mail the pipeline set aside that a person may still have meant for a ticket: a flood,
 * an "out of office" lookalike with no thread, automated mail while its tickets are off.
 * (Loops, bounces and duplicates are not for admitting.)
 */
export const SET_ASIDE: readonly Outcome[] = ['ignored_flood', 'ignored_auto_reply', 'ignored_automated'];
/** Rows whose raw message an admin may download (the others' is pruned or never kept). */
export const KEEPS_RAW: readonly Outcome[] = [...REJECTED, ...SET_ASIDE, 'failed'];

/** Whether a row (an entity, or a list's plain row) can be admitted, or retried. */
export const canAdmit = (row: { outcome: Outcome }): boolean => REJECTED.includes(row.outcome) || SET_ASIDE.includes(row.outcome);
export const canRetry = (row: { outcome: Outcome }): boolean => row.outcome === 'failed';

export type AdmitResult = { admitted: true; ticketId: number; contactId: number; contactCreated: boolean } | { admitted: false; why: 'handled' | 'no_sender' | 'invalid_address' };

/** Loads the row for change, locked: two admins clicking at once make one ticket. */
async function lockedRow(em: Em, id: number): Promise<InboundMessage | null> {
  return em.findOne(InboundMessage, { id }, { lockMode: LockMode.PESSIMISTIC_WRITE, populate: ['raw'] });
}

/**
 * Creates the contact (when the sender is none yet) and the ticket, in a unit of
 * work of its own as `actor`. The contact's *no automatic tickets* flag is the
 * admin's to override here: this is not automatic.
 */
export async function admitMessage(tenantId: number, rowId: number, actor: Current['actor']): Promise<AdmitResult> {
  return inTenantWork(tenantId, async (work) => {
    const { em } = work;
    const row = await lockedRow(em, rowId);
    if (!row || !canAdmit(row) || !row.raw) return { admitted: false, why: 'handled' } as const;
    const mail = await parseMail(row.raw);
    if (!mail.from) return { admitted: false, why: 'no_sender' } as const;
    const tenant = await em.findOneOrFail(Tenant, { id: tenantId });
    // The pipeline had passed it through its filters already: only automatic mail matters now (no welcome to it).
    const automatic = isAutomatic(classify(mail, { ownAddresses: new Set() }));
    let contact = await em.findOne(Contact, { email: mail.from.address }, { populate: ['customer'] });
    const contactCreated = !contact;
    if (!contact) {
      try {
        contact = await work.savepoint((sp) => createContact(sp, tenant, { ...namesFrom(mail.from!.name), email: mail.from!.address, portalAccess: true }, { source: 'email', welcome: !automatic }));
      } catch (error) {
        if (!(error instanceof ValidationError)) throw error;
        return { admitted: false, why: 'invalid_address' } as const;
      }
    }
    const mailbox = row.mailboxId ? await em.findOne(Mailbox, { id: row.mailboxId }, { fields: ['address'] }) : null;
    const ticket = await openFromMail(work, workspaceOf(tenant), senderContactOf(contact), mail, mailbox?.address ?? null, automatic);
    Object.assign(row, { outcome: 'ticket_created', reason: contactCreated ? 'admitted_new_contact' : 'admitted', ticketId: ticket.id, contactId: contact.id, updatedAt: new Date() });
    audit(em, tenant, 'inbound_message.admitted', { type: 'inbound_message', id: row.id }, { ticket: ticket.number, contact: contact.email, contactCreated });
    await em.flush();
    return { admitted: true, ticketId: ticket.id, contactId: contact.id, contactCreated } as const;
  }, actor);
}

/** A rejected message the admin does not want: kept in the log as dismissed, never answered. */
export function dismissMessage(em: Em, tenant: Tenant, row: InboundMessage): boolean {
  if (!canAdmit(row)) return false;
  audit(em, tenant, 'inbound_message.dismissed', { type: 'inbound_message', id: row.id }, { from: row.fromAddress, was: row.outcome });
  Object.assign(row, { outcome: 'dismissed', updatedAt: new Date() });
  return true;
}

/**
 * One more run of a failed message through the pipeline, from its stored bytes:
 * the row goes back to retrying with no attempts, is committed, and ingested. A
 * failure parks it as failed again (with the new error), not in the poller's retries,
 * which look for it in the folder it has already left.
 */
export async function retryMessage(tenantId: number, rowId: number, actor: Current['actor']): Promise<IngestResult | null> {
  const source = await inTenant(tenantId, async (em) => {
    const row = await lockedRow(em, rowId);
    if (!row || !canRetry(row) || !row.raw) return null;
    const mailbox = row.mailboxId ? await em.findOne(Mailbox, { id: row.mailboxId }, { fields: ['address'] }) : null;
    audit(em, em.getReference(Tenant, tenantId), 'inbound_message.retried', { type: 'inbound_message', id: row.id }, { attemptsBefore: row.attempts });
    Object.assign(row, { outcome: 'retrying', attempts: 0, updatedAt: new Date() });
    return { tenantId, mailbox: mailbox ? { id: mailbox.id, address: mailbox.address } : null, raw: row.raw, uid: row.uid, uidValidity: row.uidValidity };
  }, actor);
  if (!source) return null;
  const result = await ingestMessage(source);
  if (result.outcome !== 'retrying') return result;
  await inTenant(tenantId, async (em) => {
    const row = await lockedRow(em, rowId);
    if (row?.outcome === 'retrying') row.outcome = 'failed';
  }, actor);
  return { ...result, outcome: 'failed' };
}
