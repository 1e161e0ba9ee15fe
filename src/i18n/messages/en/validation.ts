export default {
  required: '{{label}} is required.',
  tooLong: '{{label}} must be at most {{max}} characters.',
  emailRequired: 'Email is required.',
  emailInvalid: 'Enter a valid email address, like name@example.com.',
};
