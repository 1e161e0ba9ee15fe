export default {
  title: 'Errore',
  plain: 'Qualcosa è andato storto.',
  tooLarge: 'È troppo grande.',
  unreadable: 'Non è stato possibile leggere la richiesta.',
  notFound: { title: 'Pagina non trovata' },
  forbidden: { default: 'Accesso negato', adminsOnly: 'Solo gli amministratori possono farlo.' },
};
