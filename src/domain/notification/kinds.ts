// The notifications: what each tells, to whom it may go (the first choice is the default),
// and the template a workspace starts with for it. Requester notifications go to the
// ticket's contact; technician ones to technicians, who may turn each off on their profile.
export const NOTIFICATION_KINDS = [
  'ticket_received', 'technician_replied', 'ticket_resolved',
  'new_ticket', 'ticket_assigned', 'requester_replied', 'note_mention',
] as const;
export type NotificationKind = typeof NOTIFICATION_KINDS[number];

export type RecipientChoice = 'requester' | 'assignee' | 'mentioned' | 'all' | 'unassigned' | 'assignee_else_all';

export interface KindSpec {
  kind: NotificationKind;
  audience: 'requester' | 'technicians';
  recipients: readonly RecipientChoice[];
  /** Catalogue keys: its name and description, and where Email Templates says it uses a template. */
  words: { name: string; description: string; use: string };
  /** The catalogue keys of the template a workspace starts with. */
  template: { name: string; subject: string; body: string };
}


export const KINDS: readonly KindSpec[] = [
  { kind: 'ticket_received', audience: 'requester', recipients: ['requester'], words: { name: 'notifications.kinds.ticket_received.name', description: 'notifications.kinds.ticket_received.description', use: 'notifications.uses.ticket_received' },
    template: { name: 'defaults.ticketReceived.name', subject: 'defaults.ticketReceived.subject', body: 'defaults.ticketReceived.body' } },
  { kind: 'technician_replied', audience: 'requester', recipients: ['requester'], words: { name: 'notifications.kinds.technician_replied.name', description: 'notifications.kinds.technician_replied.description', use: 'notifications.uses.technician_replied' },
    template: { name: 'notifications.defaults.technician_replied.name', subject: 'notifications.defaults.technician_replied.subject', body: 'notifications.defaults.technician_replied.body' } },
  { kind: 'ticket_resolved', audience: 'requester', recipients: ['requester'], words: { name: 'notifications.kinds.ticket_resolved.name', description: 'notifications.kinds.ticket_resolved.description', use: 'notifications.uses.ticket_resolved' },
    template: { name: 'notifications.defaults.ticket_resolved.name', subject: 'notifications.defaults.ticket_resolved.subject', body: 'notifications.defaults.ticket_resolved.body' } },
  { kind: 'new_ticket', audience: 'technicians', recipients: ['all', 'unassigned'], words: { name: 'notifications.kinds.new_ticket.name', description: 'notifications.kinds.new_ticket.description', use: 'notifications.uses.new_ticket' },
    template: { name: 'notifications.defaults.new_ticket.name', subject: 'notifications.defaults.new_ticket.subject', body: 'notifications.defaults.new_ticket.body' } },
  { kind: 'ticket_assigned', audience: 'technicians', recipients: ['assignee'], words: { name: 'notifications.kinds.ticket_assigned.name', description: 'notifications.kinds.ticket_assigned.description', use: 'notifications.uses.ticket_assigned' },
    template: { name: 'notifications.defaults.ticket_assigned.name', subject: 'notifications.defaults.ticket_assigned.subject', body: 'notifications.defaults.ticket_assigned.body' } },
  { kind: 'requester_replied', audience: 'technicians', recipients: ['assignee_else_all', 'all'], words: { name: 'notifications.kinds.requester_replied.name', description: 'notifications.kinds.requester_replied.description', use: 'notifications.uses.requester_replied' },
    template: { name: 'notifications.defaults.requester_replied.name', subject: 'notifications.defaults.requester_replied.subject', body: 'notifications.defaults.requester_replied.body' } },
  { kind: 'note_mention', audience: 'technicians', recipients: ['mentioned'], words: { name: 'notifications.kinds.note_mention.name', description: 'notifications.kinds.note_mention.description', use: 'notifications.uses.note_mention' },
    template: { name: 'notifications.defaults.note_mention.name', subject: 'notifications.defaults.note_mention.subject', body: 'notifications.defaults.note_mention.body' } },
];

export const specOf = (kind: NotificationKind): KindSpec => KINDS.find((k) => k.kind === kind)!;
export const TECHNICIAN_KINDS = KINDS.filter((k) => k.audience === 'technicians').map((k) => k.kind);

/** The catalogue key naming a recipients choice. */
export const RECIPIENT_WORDS: Record<RecipientChoice, string> = {
  requester: 'notifications.recipients.requester',
  assignee: 'notifications.recipients.assignee',
  mentioned: 'notifications.recipients.mentioned',
  all: 'notifications.recipients.all',
  unassigned: 'notifications.recipients.unassigned',
  assignee_else_all: 'notifications.recipients.assigneeElseAll',
};

/** The outbox kind of a notification's email (the Mail Log names it). */
export const MAIL_KIND = 'notification';
