// La cornice dell'app dei tecnici: la navigazione principale e l'angolo del tecnico collegato.
export default {
  nav: {
    dashboard: 'Dashboard',
    tickets: 'Ticket',
    admin: 'Admin',
  },
  signOut: 'Esci',
};
