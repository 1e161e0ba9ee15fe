// The technician app's frame: its main navigation and the signed-in technician's corner.
export default {
  nav: {
    label: 'Main',
    dashboard: 'Dashboard',
    tickets: 'Tickets',
    admin: 'Admin',
  },
  /** Menu: on a phone the navigation folds behind it. */
  menu: 'Menu',
  signOut: 'Sign out',
};
