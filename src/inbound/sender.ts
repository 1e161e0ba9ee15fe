// Who sent a message: the address from From as parsed (never its display name),
// compared without regard to case. A known contact is theirs; an unknown sender
// becomes a contact through createContact when the tenant asks for it (source
// email, names from the display name, the default customer, portal access) — and
// is welcomed then, unless the mail is automatic. Otherwise the message is refused.
import type { TenantWork } from '../db/unit-of-work.js';
import { Contact } from '../domain/contact/contact.js';
import { createContact, LIMITS } from '../domain/contact/contacts.js';
import { Tenant } from '../domain/tenant/tenant.js';
import type { Facts, SenderContact } from './facts.js';
import { ValidationError } from '../lib/validation.js';
import type { InboundMail } from './parse.js';

export type Sender =
  | { kind: 'contact'; contact: SenderContact; created: boolean }
  | { kind: 'rejected'; outcome: 'rejected_unknown_sender' | 'rejected_blocked_contact'; reason: string; contact?: SenderContact };

/** "Giulia Rossi" → Giulia / Rossi; "Rossi, Giulia" → Giulia / Rossi; an address-like name is no name. */
export function namesFrom(display: string): { firstName: string; lastName: string } {
  const name = display.replace(/["']/g, '').trim();
  if (!name || name.includes('@')) return { firstName: '', lastName: '' };
  const comma = name.split(',').map((s) => s.trim()).filter(Boolean);
  const [first, ...rest] = comma.length === 2 ? [comma[1], comma[0]] : name.split(/\s+/);
  return { firstName: first.slice(0, LIMITS.firstName), lastName: rest.join(' ').slice(0, LIMITS.lastName) };
}

/** A contact entity as the pipeline holds a sender (review.ts, and a contact just made). */
export function senderContactOf(contact: Contact): SenderContact {
  return {
    id: contact.id, customerId: contact.customer.id, email: contact.email, firstName: contact.firstName, lastName: contact.lastName,
    isMain: contact.isMain, noAutoTickets: contact.noAutoTickets,
  };
}

/** The sender's contact (read with the message's facts), or a new one; or why the message is refused. */
/** `mayCreate` says whether a contact may be made now (asked only for a new sender). */
export async function identifySender(work: TenantWork, facts: Facts, mail: InboundMail, automatic: boolean, mayCreate: () => Promise<boolean> = async () => true): Promise<Sender> {
  const address = mail.from!.address;
  if (facts.contact) return theirs(facts.contact, false);
  if (!facts.autoCreateContacts) return { kind: 'rejected', outcome: 'rejected_unknown_sender', reason: 'auto_create_off' };
  if (!(await mayCreate())) return { kind: 'rejected', outcome: 'rejected_unknown_sender', reason: 'new_contact_limit' };
  try {
    const tenant = await work.em.findOneOrFail(Tenant, { id: work.tenantId });
    const contact = await work.savepoint((em) => createContact(em, tenant, { ...namesFrom(mail.from!.name), email: address, portalAccess: true }, { source: 'email', welcome: !automatic }));
    return { kind: 'contact', contact: senderContactOf(contact), created: true };
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    // Made meanwhile by another message or a technician: theirs, then.
    const now = await work.em.findOne(Contact, { email: address }, { populate: ['customer'] });
    if (now) return theirs(senderContactOf(now), false);
    // An address no contact may have (too long, malformed): kept in the log for an admin.
    return { kind: 'rejected', outcome: 'rejected_unknown_sender', reason: 'invalid_address' };
  }
}

function theirs(contact: SenderContact, created: boolean): Sender {
  return contact.noAutoTickets
    ? { kind: 'rejected', outcome: 'rejected_blocked_contact', reason: 'no_auto_tickets', contact }
    : { kind: 'contact', contact, created };
}
