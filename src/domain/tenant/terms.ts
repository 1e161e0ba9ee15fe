// Every edition-specific word the product shows comes from this table. No other
// module asks which edition a tenant is on to choose words.
export type Edition = 'msp' | 'it';

export const editions: Edition[] = ['msp', 'it'];

const msp = {
  editionName: 'Managed service provider',
  customer: 'Customer', customers: 'Customers', customerLower: 'customer', customersLower: 'customers',
  contact: 'Contact', contacts: 'Contacts', contactLower: 'contact', contactsLower: 'contacts',
  portal: 'Customer Portal',
  mainContact: 'Main contact', mainContacts: 'main contacts',
  defaultCustomer: 'Unassigned',
  companyTickets: 'Company tickets',
};

export type Terms = typeof msp;

const it: Terms = {
  editionName: 'Internal IT department',
  customer: 'Site', customers: 'Sites', customerLower: 'site', customersLower: 'sites',
  contact: 'User', contacts: 'Users', contactLower: 'user', contactsLower: 'users',
  portal: 'Service Portal',
  mainContact: 'Main user', mainContacts: 'main users',
  defaultCustomer: 'Unassigned',
  companyTickets: 'Company tickets',
};

const table: Record<Edition, Terms> = { msp, it };

export function termsFor(edition: Edition): Terms {
  return table[edition];
}

export function isEdition(value: unknown): value is Edition {
  return value === 'msp' || value === 'it';
}
