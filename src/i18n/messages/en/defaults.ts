// A new workspace's templates and quick reply, in its language (src/domain/email/defaults.ts).
// The {{…}} values are snippets ({[Company Name]}), written in the same language. Every shipped
// template uses the single-use link; only the quick reply (the source article's example) carries
// the password itself.
export default {
  welcome: {
    name: 'New {{terms.contactLower}} welcome',
    subject: 'Welcome to the {{terms.portal}} of {{company}}',
    body: 'Hello {{firstName}},\n\n{{company}} has opened a {{terms.portal}} account for you: there you can open support tickets, follow them and read our knowledge base.\n\n'
      + 'Your username: {{username}}\nChoose your password here (the link works once, for 72 hours):\n{{passwordLink}}\n\nAfterwards, sign in at {{address}}\n\n— {{company}}\n',
  },
  credentials: {
    name: 'Portal credentials',
    subject: 'Your {{terms.portal}} credentials',
    body: 'Hello,\nFind your portal credentials below:\nURL : {{address}}\nUsername : {{username}}\nPassword : choose it with this single-use link: {{passwordLink}}\n\n— {{company}}\n',
  },
  ticketReceived: {
    name: 'Ticket received',
    subject: '[#{{number}}] We received your request: {{title}}',
    body: 'Hello {{firstName}},\n\nWe have received your request and opened ticket #{{number}}: {{title}}.\nStatus: {{status}} · Priority: {{priority}}\n\n'
      + 'Follow it at {{portalLink}} or reply to this email.\n\n— {{company}}\n',
  },
  technicianReply: {
    name: 'Technician reply',
    subject: '[#{{number}}] {{title}}',
    body: 'Hello {{firstName}},\n\n{{technician}} has answered your ticket #{{number}}: {{title}}.\n\nRead and answer it at {{portalLink}} or reply to this email.\n\n— {{company}}\n',
  },
  passwordReset: {
    name: 'Password reset',
    subject: 'Reset your {{terms.portal}} password',
    body: 'Hello {{firstName}},\n\nA new password was asked for {{username}} on the {{terms.portal}} of {{company}}.\nChoose a new password here (the link works once, for 1 hour):\n{{passwordLink}}\n\n'
      + 'If you did not ask for this, ignore this email: your password stays as it is.\n\n— {{company}}\n',
  },
  quickReply: {
    name: 'Portal credentials',
    body: 'Hello,\nFind your portal credentials below:\nURL : {{address}}\nUsername : {{username}}\nPassword : {{password}}',
  },
};
