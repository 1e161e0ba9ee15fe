// What the ingest pipeline writes on tickets: stored in the workspace's language.
export default {
  noSubject: '(no subject)',
  noText: '(no text)',
  notes: {
    automatic: 'This ticket came from automatic mail: no automatic email is sent to its sender.',
    filesNotStored: 'Files in the email that were not stored:',
    fileTooLarge: '{{name}} ({{size}}, over the {{limit}} limit)',
    tooManyFiles: '{{name}} (more than {{count}} files)',
  },
};
