// What the ingest pipeline writes on tickets: stored in the workspace's language.
export default {
  noSubject: '(no subject)',
  noText: '(no text)',
  /** The words shown in place of an email's image until a technician asks for it. */
  image: {
    inline: 'inline image (see the attachments)',
    remote: 'image',
  },
  notes: {
    automatic: 'This ticket came from automatic mail: no automatic email is sent to its sender.',
    filesNotStored: 'Files in the email that were not stored:',
    fileTooLarge: '{{name}} ({{size}}, over the {{limit}} limit)',
    tooManyFiles: '{{name}} (more than {{count}} files)',
    bounced: 'Our email "{{subject}}" to {{recipient}} could not be delivered (the receiving server sent it back). Mail to that address is held for 24 hours.',
  },
};
