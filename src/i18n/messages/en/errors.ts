export default {
  title: 'Error',
  plain: 'Something went wrong.',
  tooLarge: 'That is too large.',
  unreadable: 'That request could not be read.',
  notFound: { title: 'Not found' },
  forbidden: { default: 'Forbidden', adminsOnly: 'Only admins can do this.' },
};
