// La cornice dell'app dei tecnici: la navigazione principale e l'angolo del tecnico collegato.
export default {
  nav: {
    label: 'Principale',
    dashboard: 'Dashboard',
    tickets: 'Ticket',
    admin: 'Admin',
  },
  /** Menu: sul telefono la navigazione si raccoglie qui dietro. */
  menu: 'Menu',
  signOut: 'Esci',
};
