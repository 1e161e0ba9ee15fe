// Microsoft 365 and Google support addresses: the sign-in choice, Connect / Reconnect,
// the grant's state, the workspace's own app registration, and the email to admins
// when a grant stops working.
export default {
  providers: {
    microsoft: 'Microsoft 365',
    google: 'Google',
  },
  form: {
    authMethod: 'Sign-in',
    authMethodHint: 'Microsoft 365 and Google mailboxes connect with their sign-in page (OAuth) instead of a password. Leave the host empty to use the provider’s own IMAP server.',
    methods: {
      password: 'IMAP password',
      microsoft: 'Microsoft 365 (OAuth)',
      google: 'Google (OAuth)',
    },
  },
  status: {
    connected: 'Connected to {{provider}}',
    pending: 'Not connected to {{provider}} yet: it is not polled until it is.',
    reconnect: 'Reconnect {{provider}}: polling is stopped',
    reason: '{{provider}} said: {{reason}}',
    appMissing: 'Its app registration was removed: set one up again, then reconnect.',
    tokensUnreadable: 'Its stored connection cannot be opened (the service secret changed): reconnect it.',
  },
  connect: {
    connect: 'Connect {{provider}}',
    reconnect: 'Reconnect {{provider}}',
    again: 'Connect {{provider}} again',
    noApp: 'No {{provider}} app is set up for this service yet.',
  },
  apps: {
    title: 'Microsoft 365 and Google apps',
    intro: 'Mailboxes connect through the service’s own app registration. Your workspace can use its own instead.',
    link: 'Your own {{provider}} app',
    own: 'your workspace’s own',
    operator: 'the service’s',
    none: 'none set up',
  },
  app: {
    title: 'Your own {{provider}} app',
    intro: 'Register an app with the provider, allow it the IMAP scope, and register the redirect URL below. Leave the URLs empty to use the provider’s public ones.',
    redirectUrl: 'Redirect URL to register:',
    clientId: 'Client ID',
    clientSecret: 'Client secret',
    secretHintEdit: 'Leave empty to keep the saved secret.',
    directory: 'Directory (tenant)',
    directoryHint: 'Your Microsoft Entra tenant ID or domain; empty means any work or school account (organizations).',
    authorizeUrl: 'Authorization URL',
    tokenUrl: 'Token URL',
    urlHint: 'Empty: {{url}}',
    save: 'Save',
    saved: 'Your {{provider}} app is saved.',
    remove: 'Remove and use the service’s app',
    removeHint: 'Mailboxes connected through this app will need to be connected again.',
    removed: 'Your {{provider}} app is removed.',
    errors: {
      directory: 'Enter a tenant ID or domain (letters, digits, dots and hyphens).',
      url: 'Enter an https:// address on a public host.',
    },
  },
  errors: {
    authMethod: 'Choose how the mailbox signs in.',
    testConnectFirst: 'Save the mailbox and connect it first: the test uses its connection.',
  },
  problems: {
    reconnect: 'The provider no longer accepts this mailbox’s connection: reconnect it.',
    unreachable: 'The provider’s sign-in service could not be reached; the next poll tries again.',
  },
  flash: {
    noApp: 'No {{provider}} app is set up: add your own, or ask the service operator.',
    badState: 'That sign-in answer was not started from this session, or was used already: nothing was changed. Start again with Connect.',
    expired: 'That sign-in took too long: start again with Connect.',
    denied: '{{provider}} did not give access: {{reason}}',
    connected: '{{address}} is connected to {{provider}} and will be polled.',
    failed: {
      mailboxGone: 'That support address no longer exists, or signs in another way now.',
      noApp: 'The {{provider}} app was removed in the meantime: nothing was connected.',
      refused: '{{provider}} refused the connection: {{reason}}',
      unreachable: '{{provider}} could not be reached: try again in a moment.',
      noRefreshToken: '{{provider}} gave no lasting access (no refresh token): try again, and accept every permission asked.',
    },
  },
  relay: {
    invalid: 'This sign-in answer names no workspace of this service.',
  },
  notice: {
    subject: '[{{company}}] Reconnect {{provider}} for {{address}}',
    greeting: 'Hello {{name}},',
    body: 'The support address {{address}} can no longer sign in to {{provider}}, so its mail is not being collected.',
    reason: '{{provider}} said: {{reason}}',
    action: 'An admin can reconnect it here (you will get this email once):',
  },
};
