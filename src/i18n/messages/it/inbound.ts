// Ciò che la ricezione della posta scrive sui ticket: salvato nella lingua dello spazio di lavoro.
export default {
  noSubject: '(nessun oggetto)',
  noText: '(nessun testo)',
  image: {
    inline: 'immagine nel testo (vedi gli allegati)',
    remote: 'immagine',
  },
  notes: {
    automatic: "Questo ticket proviene da un'email automatica: al mittente non viene inviata nessuna email automatica.",
    filesNotStored: "File dell'email che non sono stati salvati:",
    fileTooLarge: '{{name}} ({{size}}, oltre il limite di {{limit}})',
    tooManyFiles: '{{name}} (oltre {{count}} file)',
    bounced: 'La nostra email "{{subject}}" a {{recipient}} non è stata consegnata (il server del destinatario l\'ha rimandata indietro). La posta per quell\'indirizzo resta in attesa per 24 ore.',
  },
};
