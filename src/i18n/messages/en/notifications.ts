// Notifications (src/domain/notification/): Admin > Notifications, the technician's own
// choices (/profile/notifications), and the templates a workspace gets for them.
export default {
  nav: 'Notifications',
  mailKind: 'Notification',
  kinds: {
    ticket_received: { name: 'Ticket received', description: 'To the requester, when a ticket is opened for them: in the portal, by email, or by a technician on their behalf.' },
    technician_replied: { name: 'Technician replied', description: 'To the requester, when a technician answers in public: the email that carries the answer, its template holding {[Message Text]}. Turned off, answers are not emailed (the requester reads them in the portal).' },
    ticket_resolved: { name: 'Ticket resolved', description: 'To the requester, when their ticket is resolved. Replying to it by email reopens the ticket. With “Send and set to Resolved” they get one email: the reply, which also says the ticket is resolved.' },
    new_ticket: { name: 'New ticket', description: 'To technicians, when a ticket is opened.' },
    ticket_assigned: { name: 'Ticket assigned to you', description: 'To the technician a ticket is assigned to.' },
    requester_replied: { name: 'The requester replied', description: 'To technicians, when the requester writes on a ticket.' },
    note_mention: { name: 'A note mentions you', description: 'To the technicians an internal note mentions: @ followed by their email (@anna@example.com), their name without spaces (@AnnaBianchi) or with dots (@anna.bianchi), or their first name when no other technician has it (@anna).' },
  },
  recipients: {
    requester: 'The requester',
    assignee: 'The assigned technician',
    mentioned: 'The technicians mentioned',
    all: 'Every technician',
    unassigned: 'Every technician, only when the ticket is unassigned',
    assigneeElseAll: 'The assigned technician, or every technician when nobody is assigned',
  },
  admin: {
    title: 'Notifications',
    intro: 'Emails sent when something happens to a ticket. None goes to automatic mail (auto-replies, alerts), to the person who caused it, or twice for the same event. Automation rules that send emails work as well: a rule and a notification may both email the same event.',
    requesterSection: 'To the requester',
    technicianSection: 'To technicians',
    enabled: 'Send “{{name}}”',
    template: 'Template',
    recipients: 'Recipients',
    technicianChoice: 'Each technician can turn it off on their profile.',
    save: 'Save notifications',
    saved: 'Notifications saved.',
  },
  profile: {
    title: 'My notifications',
    link: 'Choose which notifications you receive',
    intro: 'Emails about tickets that you receive. What your workspace has turned off is not sent to anyone.',
    offByWorkspace: 'Turned off for the whole workspace.',
    save: 'Save my notifications',
    saved: 'Your notifications are saved.',
    back: 'Back to your profile',
  },
  uses: {
    ticket_received: 'Admin > Notifications: Ticket received',
    technician_replied: 'Admin > Notifications: Technician replied',
    ticket_resolved: 'Admin > Notifications: Ticket resolved',
    new_ticket: 'Admin > Notifications: New ticket',
    ticket_assigned: 'Admin > Notifications: Ticket assigned to you',
    requester_replied: 'Admin > Notifications: The requester replied',
    note_mention: 'Admin > Notifications: A note mentions you',
  },
  /** Under a reply sent with "and set to Resolved": the requester's one email of that step. */
  resolvedByReply: 'This ticket is now resolved. If the problem is not solved, reply to this email and the ticket reopens.',
  snippets: { ticketLink: 'Ticket Link for Technicians', messageText: 'Message Text' },
  errors: {
    template: 'Choose one of the workspace’s templates.',
    recipients: 'Choose who receives it.',
    credentials: '"{{name}}" contains portal credentials: every notification sent with it would change the requester’s portal password without anyone choosing to. Choose a template without them.',
  },
  defaults: {
    technician_replied: {
      name: 'Reply to the requester',
      subject: '[#{{number}}] {{title}}',
      body: '{{message}}\n\n-- \n{{technician}}, {{company}}\nReply to this email, or see the ticket at {{portalLink}}\n',
    },
    ticket_resolved: {
      name: 'Ticket resolved',
      subject: '[#{{number}}] Resolved: {{title}}',
      body: 'Hello {{firstName}},\n\nyour ticket #{{number}}: {{title}} has been resolved.\n\nIf the problem is not solved, reply to this email and the ticket reopens. You can also follow it at {{portalLink}}\n\n— {{company}}\n',
    },
    new_ticket: {
      name: 'New ticket (to technicians)',
      subject: '[#{{number}}] New ticket: {{title}}',
      body: 'Hello {{technician}},\n\n{{contact}} ({{customer}}) has opened ticket #{{number}}: {{title}}.\nPriority: {{priority}}\n\n{{message}}\n\nOpen it: {{ticketLink}}\n',
    },
    ticket_assigned: {
      name: 'Ticket assigned (to technicians)',
      subject: '[#{{number}}] Assigned to you: {{title}}',
      body: 'Hello {{technician}},\n\nticket #{{number}}: {{title}} from {{contact}} ({{customer}}) is now assigned to you.\nStatus: {{status}} · Priority: {{priority}}\n\nOpen it: {{ticketLink}}\n',
    },
    requester_replied: {
      name: 'Requester replied (to technicians)',
      subject: '[#{{number}}] {{contact}} replied: {{title}}',
      body: 'Hello {{technician}},\n\n{{contact}} has written on ticket #{{number}}: {{title}}.\nStatus: {{status}}\n\n{{message}}\n\nRead and answer it: {{ticketLink}}\n',
    },
    note_mention: {
      name: 'Mentioned in a note (to technicians)',
      subject: '[#{{number}}] You were mentioned: {{title}}',
      body: 'Hello {{technician}},\n\nan internal note on ticket #{{number}}: {{title}} mentions you.\n\n{{message}}\n\nRead it: {{ticketLink}}\n',
    },
  },
};
