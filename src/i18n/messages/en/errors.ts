export default {
  title: 'Error',
  plain: 'Something went wrong.',
  tooLarge: 'That is too large.',
  unreadable: 'That request could not be read.',
  notFound: {
    title: 'Not found',
    heading: 'Not found',
    body: 'There is nothing here, or you may not see it.',
  },
  forbidden: {
    default: 'Forbidden',
    adminsOnly: 'Only admins can do this.',
    heading: 'Not allowed',
    body: 'You may not do this.',
    formExpired: 'This form has expired. Go back, reload the page and try again.',
  },
  server: {
    heading: 'Something went wrong',
    body: 'We could not complete this request. It has been logged; try again in a moment.',
  },
  badInput: {
    title: 'Not accepted',
    heading: 'This could not be accepted',
    body: 'The form or the address holds a NUL character (U+0000), which no text may contain. It often comes from text pasted from another program: type the text again, or paste it as plain text, and try once more.',
  },
  unknownHost: {
    body: 'This address is not served here.',
  },
  unknownWorkspace: {
    title: 'No such workspace',
    body: 'There is no Sportello workspace called “{{slug}}”.',
  },
};
