// The technicians' ticket page beyond the conversation (issue 14): the requester panel,
// the title edited in place, reply-and-set-status, a ticket opened on someone's behalf,
// the new-ticket form's inline contact; and the relative times with their full time.
export default {
  header: {
    requester: 'Requester',
  },
  title: {
    edit: 'Edit title',
    label: 'Title',
    save: 'Save title',
    cancel: 'Cancel',
  },
  saved: 'Saved',
  requester: {
    heading: 'Requester',
    phone: 'Phone',
    noPhone: 'No phone number',
    otherOpen: 'Their other open tickets',
    none: 'No other open tickets',
    more: 'All their tickets',
  },
  reply: {
    sendAndPending: 'Send and set to Pending',
    sendAndResolved: 'Send and set to Resolved',
  },
  description: {
    onBehalf: 'opened for {{name}}',
  },
  history: {
    retitled: 'changed the title from',
  },
  confirmDeletion: {
    title: 'Delete “{{name}}”?',
    template: 'The email template “{{name}}” will be deleted.',
    quickReply: 'The quick reply “{{name}}” will be deleted.',
    undone: 'This cannot be undone.',
    submit: 'Delete “{{name}}”',
    cancel: 'Cancel',
  },
  unknownHost: {
    useInstead: 'Sportello answers at {{address}}: use that address instead (a bare IP address or another name for this machine does not reach it).',
    go: 'Go to {{address}}',
  },
  newContact: {
    legend: 'Or a new {{terms.contactLower}}',
    hint: 'Leave the search above empty and fill these in: the {{terms.contactLower}} is created with the ticket.',
    firstName: 'First name',
    lastName: 'Last name',
    email: 'Email',
    phone: 'Phone',
  },
};
