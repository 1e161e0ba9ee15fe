// The emails Sportello itself writes (views/mail and their mailers), in the recipient's language.
export default {
  greeting: 'Hello {{name}},',
  passwordReset: {
    subject: 'Reset your portal password',
    choose: 'Choose a new password for {{username}} here (the link works once, for 1 hour):',
    ignore: 'If you did not ask for this, ignore this email: your password stays as it is.',
  },
  technicianInvitation: {
    subject: "You're invited to {{company}} on Sportello",
    added: '{{company}} has added you as a technician on Sportello.',
    setPassword: 'Set your password here (the link works once, for 72 hours):',
  },
  signInUnlock: {
    subject: 'Wrong passwords for your {{company}} account',
    wrongPasswords_one: 'Someone has typed a wrong password for {{email}} on {{company}} once, most recently from the address {{address}}. Your password has not changed and nobody has signed in with it.',
    wrongPasswords_other: 'Someone has typed a wrong password for {{email}} on {{company}} {{count}} times, most recently from the address {{address}}. Your password has not changed and nobody has signed in with it.',
    slowedDown: 'To slow down guessing, each new sign-in attempt from a browser you have not used before now waits a little longer (at most a few minutes). To sign in at once, open this link in the browser you use (it works once, for 24 hours):',
    notYou: 'If this was not you, nothing else is needed; if your password is easy to guess, change it.',
  },
};
