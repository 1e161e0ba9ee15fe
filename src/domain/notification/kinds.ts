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
  /** The catalogue entry (name, subject, body) of the template a workspace starts with. */
  template: string;
}

export const KINDS: readonly KindSpec[] = [
  { kind: 'ticket_received', audience: 'requester', recipients: ['requester'], template: 'defaults.ticketReceived' },
  { kind: 'technician_replied', audience: 'requester', recipients: ['requester'], template: 'defaults.technicianReply' },
  { kind: 'ticket_resolved', audience: 'requester', recipients: ['requester'], template: 'notifications.defaults.ticket_resolved' },
  { kind: 'new_ticket', audience: 'technicians', recipients: ['all', 'unassigned'], template: 'notifications.defaults.new_ticket' },
  { kind: 'ticket_assigned', audience: 'technicians', recipients: ['assignee'], template: 'notifications.defaults.ticket_assigned' },
  { kind: 'requester_replied', audience: 'technicians', recipients: ['assignee_else_all', 'all'], template: 'notifications.defaults.requester_replied' },
  { kind: 'note_mention', audience: 'technicians', recipients: ['mentioned'], template: 'notifications.defaults.note_mention' },
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
