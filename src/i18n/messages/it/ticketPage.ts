// La pagina del ticket per i tecnici oltre alla conversazione (issue 14).
export default {
  header: {
    requester: 'Richiedente',
  },
  title: {
    edit: 'Modifica titolo',
    label: 'Titolo',
    save: 'Salva titolo',
    cancel: 'Annulla',
  },
  saved: 'Salvato',
  requester: {
    heading: 'Richiedente',
    phone: 'Telefono',
    noPhone: 'Nessun numero di telefono',
    otherOpen: 'Gli altri suoi ticket aperti',
    none: 'Nessun altro ticket aperto',
    more: 'Tutti i suoi ticket',
  },
  reply: {
    sendAndPending: 'Invia e imposta In attesa',
    sendAndResolved: 'Invia e imposta Risolto',
  },
  description: {
    onBehalf: 'aperto per {{name}}',
  },
  history: {
    retitled: 'ha cambiato il titolo da',
  },
  confirmDeletion: {
    title: 'Eliminare “{{name}}”?',
    template: 'Il modello email “{{name}}” verrà eliminato.',
    quickReply: 'La risposta rapida “{{name}}” verrà eliminata.',
    undone: "L'operazione non si può annullare.",
    submit: 'Elimina “{{name}}”',
    cancel: 'Annulla',
  },
  unknownHost: {
    useInstead: "Sportello risponde all'indirizzo {{address}}: usa quello (un indirizzo IP o un altro nome di questo computer non lo raggiungono).",
    go: 'Vai a {{address}}',
  },
  newContact: {
    legend: 'Oppure un nuovo {{terms.contactLower}}',
    hint: 'Lascia vuota la ricerca qui sopra e compila questi campi: il {{terms.contactLower}} viene creato insieme al ticket.',
    hint_it: "Lascia vuota la ricerca qui sopra e compila questi campi: l'{{terms.contactLower}} viene creato insieme al ticket.",
    firstName: 'Nome',
    lastName: 'Cognome',
    email: 'Email',
    phone: 'Telefono',
  },
};
