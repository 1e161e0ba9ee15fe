// The technician app's frame: its main navigation and the signed-in technician's corner.
export default {
  nav: {
    dashboard: 'Dashboard',
    tickets: 'Tickets',
    admin: 'Admin',
  },
  signOut: 'Sign out',
};
