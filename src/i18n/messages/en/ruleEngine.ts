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
  mailKind: 'Automation rule email',
};
