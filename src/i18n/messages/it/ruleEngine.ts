// Cosa dice il motore delle regole: perché un'azione non è stata eseguita, chi ha cambiato un
// ticket (una regola), cos'è l'email di una regola.
export default {
  reason: {
    overridden: 'Non applicata: prevale la regola {{rule}}',
    hourlyCap: '{{recipient}} ha già ricevuto {{max}} email da questa regola nell\'ultima ora',
    automaticMail: 'Il ticket viene da posta automatica: le regole non gli inviano mai email',
    alreadySet: 'Il ticket ha già questo valore',
    noAssignee: 'Il ticket non ha un tecnico assegnato',
    noTechnicians: 'Nessun tecnico attivo',
    technicianInactive: '{{name}} non è più attivo',
    ruleFailed: 'La regola non è riuscita: nulla di ciò che ha fatto è stato mantenuto',
  },
  history: {
    byRule: 'Regola {{name}}',
  },
  /** The rules a new workspace starts with (inactive); migration 0020 wrote the same words for existing ones. */
  defaults: {
    credentials: { name: 'Credenziali del Portale su richiesta', description: 'L\'esempio dell\'articolo: un {{terms.contactLower}} che apre un ticket intitolato [Portal Credentials] riceve il modello delle credenziali.' },
    ticketReceived: { name: 'Ticket ricevuto', description: 'Comunica al richiedente che il suo ticket è stato aperto (non per i ticket aperti da un tecnico).' },
    technicianReply: { name: 'Risposta del tecnico', description: 'Comunica al richiedente che un tecnico ha risposto, con il link al ticket nel portale.' },
  },
  /** Why a template cannot be deleted, or a technician deactivated, while a rule names them. */
  uses: {
    template: 'Regole di automazione dei ticket › {{name}}',
    technician_one: 'La regola di automazione {{rules}} assegna ticket a {{name}}: modifica prima la regola in Admin › Regole di automazione dei ticket.',
    technician_other: 'Le regole di automazione {{rules}} assegnano ticket a {{name}}: modifica prima le regole in Admin › Regole di automazione dei ticket.',
  },
  mailKind: 'Email di una regola di automazione',
};
