// Le email che Sportello scrive da sé (views/mail e i loro mailer), nella lingua di chi le riceve.
export default {
  greeting: 'Ciao {{name}},',
  passwordReset: {
    subject: 'Reimposta la password del portale',
    choose: 'Scegli qui una nuova password per {{username}} (il link funziona una sola volta, per 1 ora):',
    ignore: "Se non l'hai chiesta tu, ignora questa email: la tua password resta invariata.",
  },
  technicianInvitation: {
    subject: '{{company}} ti invita su Sportello',
    added: '{{company}} ti ha aggiunto come tecnico su Sportello.',
    setPassword: 'Imposta qui la tua password (il link funziona una sola volta, per 72 ore):',
  },
  signInUnlock: {
    subject: 'Password errate per il tuo account {{company}}',
    wrongPasswords_one: "Qualcuno ha digitato una password errata per {{email}} su {{company}} una volta, dall'indirizzo {{address}}. La tua password non è cambiata e nessuno l'ha usata per accedere.",
    wrongPasswords_other: "Qualcuno ha digitato una password errata per {{email}} su {{company}} {{count}} volte, l'ultima dall'indirizzo {{address}}. La tua password non è cambiata e nessuno l'ha usata per accedere.",
    slowedDown: "Per rallentare chi prova a indovinarla, ogni nuovo tentativo di accesso da un browser che non hai mai usato ora attende un po' di più (al massimo qualche minuto). Per accedere subito, apri questo link nel browser che usi (funziona una sola volta, per 24 ore):",
    notYou: 'Se non eri tu, non serve fare altro; se la tua password è facile da indovinare, cambiala.',
  },
};
