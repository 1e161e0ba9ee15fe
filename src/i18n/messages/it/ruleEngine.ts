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
  mailKind: 'Email di una regola di automazione',
};
