export default {
  title: 'Errore',
  plain: 'Qualcosa è andato storto.',
  tooLarge: 'Il contenuto inviato è troppo grande.',
  unreadable: 'Non è stato possibile leggere la richiesta.',
  notFound: {
    title: 'Pagina non trovata',
    heading: 'Pagina non trovata',
    body: 'Qui non c\'è niente, oppure non hai i permessi per vederlo.',
  },
  forbidden: {
    default: 'Accesso negato',
    adminsOnly: 'Solo gli amministratori possono farlo.',
    heading: 'Operazione non consentita',
    body: 'Non hai i permessi per farlo.',
    formExpired: 'Questo modulo è scaduto. Torna indietro, ricarica la pagina e riprova.',
  },
  server: {
    heading: 'Qualcosa è andato storto',
    body: 'Non siamo riusciti a completare la richiesta. L\'errore è stato registrato: riprova tra qualche istante.',
  },
  badInput: {
    title: 'Non accettato',
    heading: 'Non è stato possibile accettare i dati inviati',
    body: 'Il modulo o l\'indirizzo contiene un carattere NUL (U+0000), che nessun testo può contenere. Di solito arriva da un testo incollato da un altro programma: riscrivi il testo, oppure incollalo come testo semplice, e riprova.',
  },
  unknownHost: {
    body: 'Questo indirizzo non è gestito da Sportello.',
  },
  unknownWorkspace: {
    title: 'Spazio di lavoro inesistente',
    body: 'Non esiste uno spazio di lavoro Sportello chiamato “{{slug}}”.',
  },
};
