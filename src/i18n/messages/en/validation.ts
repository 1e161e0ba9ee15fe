// Messages the shared checks raise (src/lib/validation.ts, src/lib/passwords.ts, uploads).
export default {
  required: '{{label}} is required.',
  tooLong: '{{label}} must be at most {{max}} characters.',
  emailRequired: 'Email is required.',
  emailInvalid: 'Enter a valid email address, like name@example.com.',
  password: {
    required: 'Password is required.',
    tooShort: 'Use at least {{min}} characters.',
    tooLong: 'Use at most {{max}} characters.',
    common: 'This password is on a list of common passwords; choose another.',
    guessable: 'This password is too easy to guess; choose another.',
  },
  upload: {
    fileTooLarge: 'Each file must be at most {{max}} MB.',
    tooManyFiles: 'Attach at most {{max}} files.',
    tooManyParts: 'The form has too many parts.',
    tooManyFields: 'The form has too many fields.',
    fieldTooLong: 'A field is too long.',
    unreadable: 'The upload could not be read.',
  },
};
