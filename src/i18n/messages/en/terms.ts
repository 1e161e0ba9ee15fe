// The edition words, per edition (this file: English). Views and messages reach them as
// `terms.customer` and as `{{terms.customer}}` inside any message.
export default {
  msp: {
    editionName: 'Managed service provider',
    customer: 'Customer', customers: 'Customers', customerLower: 'customer', customersLower: 'customers',
    contact: 'Contact', contacts: 'Contacts', contactLower: 'contact', contactsLower: 'contacts',
    portal: 'Customer Portal',
    mainContact: 'Main contact', mainContacts: 'main contacts',
    defaultCustomer: 'Unassigned',
    companyTickets: 'Company tickets',
  },
  it: {
    editionName: 'Internal IT department',
    customer: 'Site', customers: 'Sites', customerLower: 'site', customersLower: 'sites',
    contact: 'User', contacts: 'Users', contactLower: 'user', contactsLower: 'users',
    portal: 'Service Portal',
    mainContact: 'Main user', mainContacts: 'main users',
    defaultCustomer: 'Unassigned',
    companyTickets: 'Company tickets',
  },
};
