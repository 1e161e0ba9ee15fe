// Words every area's screens share: the pager, the attachments field, the language switch.
export default {
  pager: {
    label: 'Pages',
    previous: 'Previous',
    next: 'Next',
    position: 'Page {{page}} of {{pages}}',
  },
  files: {
    label: 'Attachments',
    hint: 'Up to 5 files, 10 MB each.',
    chooseAgain: 'Choose the files again.',
  },
  languageSwitch: {
    label: 'Language',
  },
};
