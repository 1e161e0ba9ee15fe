// I modelli e la risposta rapida di un nuovo spazio di lavoro, nella sua lingua (src/domain/email/defaults.ts).
// I valori {{…}} sono frammenti ({[Nome dell'Azienda]}), scritti nella stessa lingua. Ogni modello
// usa il link monouso; solo la risposta rapida (l'esempio dell'articolo) porta la password stessa.
export default {
  welcome: {
    name: 'Benvenuto al nuovo {{terms.contactLower}}',
    subject: 'Benvenuto nel {{terms.portal}} di {{company}}',
    body: 'Ciao {{firstName}},\n\n{{company}} ha aperto per te un account sul {{terms.portal}}: lì puoi aprire ticket di supporto, seguirli e leggere la nostra knowledge base.\n\n'
      + 'Il tuo nome utente: {{username}}\nScegli qui la tua password (il link funziona una sola volta, per 72 ore):\n{{passwordLink}}\n\nPoi accedi da {{address}}\n\n— {{company}}\n',
  },
  credentials: {
    name: 'Credenziali del Portale',
    subject: 'Le tue credenziali del {{terms.portal}}',
    body: 'Ciao,\nTrova di seguito le tue credenziali del Portale:\nURL : {{address}}\nNome Utente : {{username}}\nPassword : sceglila con questo link monouso: {{passwordLink}}\n\n— {{company}}\n',
  },
  ticketReceived: {
    name: 'Ticket ricevuto',
    subject: '[#{{number}}] Abbiamo ricevuto la tua richiesta: {{title}}',
    body: 'Ciao {{firstName}},\n\nabbiamo ricevuto la tua richiesta e aperto il ticket #{{number}}: {{title}}.\nStato: {{status}} · Priorità: {{priority}}\n\n'
      + 'Seguilo su {{portalLink}} oppure rispondi a questa email.\n\n— {{company}}\n',
  },
  technicianReply: {
    name: 'Risposta del tecnico',
    subject: '[#{{number}}] {{title}}',
    body: 'Ciao {{firstName}},\n\n{{technician}} ha risposto al tuo ticket #{{number}}: {{title}}.\n\nLeggi la risposta e replica su {{portalLink}}, oppure rispondi a questa email.\n\n— {{company}}\n',
  },
  passwordReset: {
    name: 'Reimpostazione della password',
    subject: 'Reimposta la password del {{terms.portal}}',
    body: 'Ciao {{firstName}},\n\nè stata richiesta una nuova password per {{username}} sul {{terms.portal}} di {{company}}.\nScegli qui una nuova password (il link funziona una sola volta, per 1 ora):\n{{passwordLink}}\n\n'
      + "Se non l'hai chiesta tu, ignora questa email: la tua password resta invariata.\n\n— {{company}}\n",
  },
  quickReply: {
    name: 'Credenziali del Portale',
    body: 'Ciao,\nTrova di seguito le tue credenziali del Portale:\nURL : {{address}}\nNome Utente : {{username}}\nPassword : {{password}}',
  },
};
