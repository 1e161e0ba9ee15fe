// The requester of a ticket a technician opens: a contact chosen from the search, or a
// new contact typed into the same form and created with the ticket (in its transaction:
// a ticket refused leaves no contact behind). The new contact's errors come back under
// the form's own field names (newEmail, newFirstName …), beside the fields that caused them.
import type { Em } from '../../db/orm.js';
import { parseId } from '../../lib/parse.js';
import { text, ValidationError } from '../../lib/validation.js';
import { Contact } from '../contact/contact.js';
import { createContact } from '../contact/contacts.js';
import type { Tenant } from '../tenant/tenant.js';

const NEW_FIELDS = { firstName: 'newFirstName', lastName: 'newLastName', email: 'newEmail', phone: 'newPhone', customer: 'newEmail' } as const;

/** Whether the form's new-contact fields hold anything. */
export function wantsNewContact(body: Record<string, unknown>): boolean {
  return Object.values(NEW_FIELDS).some((field) => text(body[field]) !== '');
}

/** The chosen contact (customer loaded), the one just created from the new-contact fields, or null. */
export async function requesterFor(em: Em, tenant: Tenant, body: Record<string, unknown>): Promise<Contact | null> {
  const id = parseId(body.contact);
  if (id) return em.findOne(Contact, { id }, { populate: ['customer'] });
  if (!wantsNewContact(body)) return null;
  try {
    // Placed by its address, as every new contact is (a customer's domain, else the default customer).
    return await createContact(em, tenant, {
      firstName: body.newFirstName, lastName: body.newLastName, email: body.newEmail, phone: body.newPhone,
    }, { source: 'manual' });
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    const renamed: Record<string, unknown> = {};
    for (const [field, message] of Object.entries(error.errors)) renamed[NEW_FIELDS[field as keyof typeof NEW_FIELDS] ?? 'newEmail'] = message;
    throw new ValidationError(renamed as ValidationError['errors']);
  }
}
