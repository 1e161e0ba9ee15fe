// The Customer Portal / Service Portal, as contacts read it (English).
export default {
  layout: {
    myTickets: 'My tickets',
    newTicket: 'New ticket',
    account: 'Account',
    signOut: 'Sign out',
  },
  languageSwitch: {
    label: 'Language',
  },
  sessions: {
    new: {
      title: 'Sign in',
      heading: 'Sign in to the {{terms.portal}}',
      email: 'Email',
      password: 'Password',
      submit: 'Sign in',
      forgot: 'Forgot password?',
    },
  },
  passwords: {
    forgot: {
      title: 'Forgot password',
      heading: 'Forgot your password?',
      intro: 'Enter the email address you use with the {{terms.portal}}. If it belongs to an account, we send a link to choose a new password (it works once, for 1 hour).',
      email: 'Email',
      submit: 'Send me a link',
      emailRequired: 'Enter your email address.',
      tooMany_one: 'Too many requests. Try again in {{count}} minute.',
      tooMany_other: 'Too many requests. Try again in {{count}} minutes.',
    },
    requested: {
      title: 'Check your email',
      heading: 'Check your email',
      // The address sits between these two, in bold.
      sentBefore: 'If',
      sentAfter: 'belongs to an account of the {{terms.portal}}, a link to choose a new password is on its way. It works once, for 1 hour.',
      noEmail: 'No email after a few minutes? Look in your spam folder, or ask {{name}} for help.',
    },
    expired: {
      title: 'Link expired',
      heading: 'This link no longer works',
      body: 'It has expired, was already used, or a newer password replaced it.',
      newLink: 'Send me a new link',
      signIn: 'Go to sign in',
    },
    reset: {
      title: 'Choose your password',
      heading: 'Choose your password',
      password: 'New password',
      confirmation: 'Repeat it',
      submit: 'Set password',
      done: 'Your password is set. Sign in with it now.',
    },
    backToSignIn: 'Back to sign in',
    hint: 'At least 12 characters, not a common password.',
    errors: {
      linkExpired: 'This link has expired or was already used.',
      mismatch: 'The two passwords do not match.',
      currentWrong: 'Your current password is not right.',
      sameAsCurrent: 'Choose a password different from the current one.',
    },
  },
  account: {
    show: {
      title: 'Account',
      heading: 'Account',
      name: 'Name',
      email: 'Email',
      role: 'Role',
      changePassword: 'Change password',
    },
    language: {
      label: 'Language',
      hint: 'The portal and the emails we send you use it.',
      workspace: "The {{terms.portal}}'s default ({{language}})",
      submit: 'Save language',
      saved: 'Your language is saved.',
    },
    password: {
      title: 'Change password',
      heading: 'Change your password',
      forced: 'Please choose your own password before you go on.',
      temporary: 'Temporary password',
      current: 'Current password',
      password: 'New password',
      confirmation: 'Repeat the new password',
      submit: 'Change password',
      changed: 'Your password is changed.',
    },
  },
  tickets: {
    index: {
      heading: 'My tickets',
      newTicket: 'New ticket',
      all: 'All',
      filters: 'Filter by status',
      empty: 'No tickets yet.',
      emptyWithStatus: 'No tickets with this status yet.',
      title: 'Title',
      requester: 'Requester',
      status: 'Status',
      updated: 'Updated',
    },
    new: {
      title: 'New ticket',
      heading: 'New ticket',
      ticketTitle: 'Title',
      description: 'Description',
      submit: 'Open ticket',
      opened: 'Ticket #{{number}} is open. We will answer here and by email.',
    },
    show: {
      back: '← My tickets',
      // "Status: <badge> · opened by <name>"
      status: 'Status:',
      openedBy: 'opened by {{name}}',
      // A ticket a technician opened for someone: "opened by Anna Bianchi for Mario Rossi".
      openedFor: 'opened by {{name}} for {{contact}}',
      closed: 'This ticket is closed.',
      openNew: 'Open a new ticket',
      closedAfter: 'if you need more help.',
      reply: 'Your reply',
      reopens: 'Replying reopens this ticket.',
      send: 'Send',
    },
  },
  // TEMPORARY, until src/domain/ticket/labels.ts (the tickets area) exports STATUS_LABEL:
  // a status as a badge shows it (lower case: the badge capitalises) and as a filter.
  status: {
    open: 'open',
    pending: 'pending',
    resolved: 'resolved',
    closed: 'closed',
  },
  statusFilter: {
    open: 'Open',
    pending: 'Pending',
    resolved: 'Resolved',
    closed: 'Closed',
  },
};
