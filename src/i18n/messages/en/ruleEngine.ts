// What the rules engine says: why a rule's action was not taken (a run's reasons, shown on
// the rule page and the ticket), who changed a ticket (a rule), and what a rule's email is.
export default {
  reason: {
    overridden: 'Overridden by rule {{rule}}',
    hourlyCap: '{{recipient}} already received {{max}} emails from this rule in the last hour',
    automaticMail: 'The ticket came from automatic mail: rules never email it',
    alreadySet: 'The ticket already has this value',
    noAssignee: 'The ticket has no assigned technician',
    noTechnicians: 'No active technician',
    technicianInactive: '{{name}} is no longer active',
    ruleFailed: 'The rule failed: nothing it did was kept',
  },
  history: {
    byRule: 'Rule {{name}}',
  },
  /** The rules a new workspace starts with (inactive); migration 0020 wrote the same words for existing ones. */
  defaults: {
    credentials: { name: 'Portal credentials on request', description: 'The source article\'s example: a {{terms.contactLower}} who opens a ticket titled [Portal Credentials] receives the credentials template.' },
    ticketReceived: { name: 'Ticket received', description: 'Tells the requester their ticket was opened (not for tickets a technician opens).' },
    technicianReply: { name: 'Technician reply', description: 'Tells the requester a technician has answered, with the link to the ticket in the portal.' },
  },
  /** Why a template cannot be deleted, or a technician deactivated, while a rule names them. */
  uses: {
    template: 'Ticket Automation Rules › {{name}}',
    technician_one: '{{name}} is assigned tickets by the automation rule {{rules}}: change that rule in Admin › Ticket Automation Rules first.',
    technician_other: '{{name}} is assigned tickets by the automation rules {{rules}}: change those rules in Admin › Ticket Automation Rules first.',
  },
  mailKind: 'Automation rule email',
};
