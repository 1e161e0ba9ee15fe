// Le parole dell'edizione, per edizione (questo file: italiano). Dove la frase italiana
// cambia con il genere (il contatto / l'utente), la chiave ha una variante `_it` per
// l'edizione IT interno (vedi src/i18n/README.md).
export default {
  msp: {
    editionName: 'Fornitore di servizi gestiti (MSP)',
    customer: 'Cliente', customers: 'Clienti', customerLower: 'cliente', customersLower: 'clienti',
    contact: 'Contatto', contacts: 'Contatti', contactLower: 'contatto', contactsLower: 'contatti',
    portal: 'Portale Clienti',
    mainContact: 'Contatto principale', mainContacts: 'contatti principali',
    defaultCustomer: 'Non assegnato',
    companyTickets: "Ticket dell'azienda",
  },
  it: {
    editionName: 'Reparto IT interno',
    customer: 'Sito', customers: 'Siti', customerLower: 'sito', customersLower: 'siti',
    contact: 'Utente', contacts: 'Utenti', contactLower: 'utente', contactsLower: 'utenti',
    portal: 'Portale Servizi',
    mainContact: 'Utente principale', mainContacts: 'utenti principali',
    defaultCustomer: 'Non assegnato',
    companyTickets: "Ticket dell'azienda",
  },
};
