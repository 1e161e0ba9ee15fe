// Who sent a message: the address from From as parsed (never its display name),
// compared without regard to case. A known contact is theirs; an unknown sender
// becomes a contact through createContact when the tenant asks for it (source
// email, names from the display name, the default customer, portal access) — and
// is welcomed then, unless the mail is automatic. Otherwise the message is refused.
import type { TenantWork } from '../db/unit-of-work.js';
import { Contact } from '../domain/contact/contact.js';
import { createContact, LIMITS } from '../domain/contact/contacts.js';
import type { IngestSettings } from './ingest.js';
import type { Tenant } from '../domain/tenant/tenant.js';
import { ValidationError } from '../lib/validation.js';
import type { InboundMail } from './parse.js';

export type Sender =
  | { kind: 'contact'; contact: Contact; created: boolean }
  | { kind: 'rejected'; outcome: 'rejected_unknown_sender' | 'rejected_blocked_contact'; reason: string; contact?: Contact };

/** "Giulia Rossi" → Giulia / Rossi; "Rossi, Giulia" → Giulia / Rossi; an address-like name is no name. */
export function namesFrom(display: string): { firstName: string; lastName: string } {
  const name = display.replace(/["']/g, '').trim();
  if (!name || name.includes('@')) return { firstName: '', lastName: '' };
  const comma = name.split(',').map((s) => s.trim()).filter(Boolean);
  const [first, ...rest] = comma.length === 2 ? [comma[1], comma[0]] : name.split(/\s+/);
  return { firstName: first.slice(0, LIMITS.firstName), lastName: rest.join(' ').slice(0, LIMITS.lastName) };
}

export async function identifySender(work: TenantWork, tenant: Tenant, mail: InboundMail, settings: IngestSettings, automatic: boolean): Promise<Sender> {
  const address = mail.from!.address;
  const known = await work.em.findOne(Contact, { email: address }, { populate: ['customer'] });
  if (known) return theirs(known, false);
  if (!settings.autoCreateContacts) return { kind: 'rejected', outcome: 'rejected_unknown_sender', reason: 'auto_create_off' };
  try {
    const contact = await work.savepoint((em) => createContact(em, tenant, { ...namesFrom(mail.from!.name), email: address, portalAccess: true }, { source: 'email', welcome: !automatic }));
    return { kind: 'contact', contact, created: true };
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    // Made meanwhile by another message or a technician: theirs, then.
    const now = await work.em.findOne(Contact, { email: address }, { populate: ['customer'] });
    if (now) return theirs(now, false);
    // An address no contact may have (too long, malformed): kept in the log for an admin.
    return { kind: 'rejected', outcome: 'rejected_unknown_sender', reason: 'invalid_address' };
  }
}

function theirs(contact: Contact, created: boolean): Sender {
  return contact.noAutoTickets
    ? { kind: 'rejected', outcome: 'rejected_blocked_contact', reason: 'no_auto_tickets', contact }
    : { kind: 'contact', contact, created };
}
