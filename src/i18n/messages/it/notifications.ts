// Le notifiche (src/domain/notification/): Amministrazione > Notifiche, le scelte del
// tecnico (/profile/notifications) e i modelli che uno spazio di lavoro riceve per esse.
export default {
  nav: 'Notifiche',
  mailKind: 'Notifica',
  kinds: {
    ticket_received: { name: 'Ticket ricevuto', description: 'Al richiedente, quando viene aperto un ticket a suo nome: dal portale, via email o da un tecnico per suo conto.' },
    technician_replied: { name: 'Risposta del tecnico', description: 'Al richiedente, quando un tecnico risponde in modo pubblico: è l’email che contiene la risposta, al posto di {[Testo del Messaggio]} nel modello. Se la disattivi, le risposte non vengono inviate per email (il richiedente le legge nel portale).' },
    ticket_resolved: { name: 'Ticket risolto', description: 'Al richiedente, quando il suo ticket viene risolto. Se risponde all’email, il ticket si riapre. Con “Invia e imposta Risolto” riceve una sola email: la risposta, che dice anche che il ticket è risolto.' },
    new_ticket: { name: 'Nuovo ticket', description: 'Ai tecnici, quando viene aperto un ticket.' },
    ticket_assigned: { name: 'Ticket assegnato a te', description: 'Al tecnico a cui viene assegnato un ticket.' },
    requester_replied: { name: 'Il richiedente ha risposto', description: 'Ai tecnici, quando il richiedente scrive su un ticket.' },
    note_mention: { name: 'Una nota ti menziona', description: 'Ai tecnici menzionati in una nota interna: @ seguito dalla loro email (@anna@esempio.it), dal nome senza spazi (@AnnaBianchi) o con i punti (@anna.bianchi), oppure dal solo nome di battesimo se nessun altro tecnico lo porta (@anna).' },
  },
  recipients: {
    requester: 'Il richiedente',
    assignee: 'Il tecnico assegnato',
    mentioned: 'I tecnici menzionati',
    all: 'Tutti i tecnici',
    unassigned: 'Tutti i tecnici, solo se il ticket non è assegnato',
    assigneeElseAll: 'Il tecnico assegnato, oppure tutti i tecnici se non è assegnato a nessuno',
  },
  admin: {
    title: 'Notifiche',
    intro: 'Le email inviate quando succede qualcosa a un ticket. Nessuna parte verso la posta automatica (risposte automatiche, avvisi), verso chi ha causato l’evento o due volte per lo stesso evento. Anche le regole di automazione che inviano email continuano a funzionare: una regola e una notifica possono scrivere entrambe per lo stesso evento.',
    requesterSection: 'Al richiedente',
    technicianSection: 'Ai tecnici',
    enabled: 'Invia «{{name}}»',
    template: 'Modello',
    recipients: 'Destinatari',
    technicianChoice: 'Ogni tecnico può disattivarla dal proprio profilo.',
    save: 'Salva le notifiche',
    saved: 'Notifiche salvate.',
  },
  profile: {
    title: 'Le mie notifiche',
    link: 'Scegli quali notifiche ricevere',
    intro: 'Le email sui ticket che ricevi. Quelle disattivate per tutto lo spazio di lavoro non arrivano a nessuno.',
    offByWorkspace: 'Disattivata per tutto lo spazio di lavoro.',
    save: 'Salva le mie notifiche',
    saved: 'Le tue notifiche sono salvate.',
    back: 'Torna al tuo profilo',
  },
  uses: {
    ticket_received: 'Amministrazione > Notifiche: Ticket ricevuto',
    technician_replied: 'Amministrazione > Notifiche: Risposta del tecnico',
    ticket_resolved: 'Amministrazione > Notifiche: Ticket risolto',
    new_ticket: 'Amministrazione > Notifiche: Nuovo ticket',
    ticket_assigned: 'Amministrazione > Notifiche: Ticket assegnato a te',
    requester_replied: 'Amministrazione > Notifiche: Il richiedente ha risposto',
    note_mention: 'Amministrazione > Notifiche: Una nota ti menziona',
  },
  /** Under a reply sent with "and set to Resolved": the requester's one email of that step. */
  resolvedByReply: 'Ora questo ticket è risolto. Se il problema persiste, rispondi a questa email e il ticket si riapre.',
  snippets: { ticketLink: 'Link al Ticket per i Tecnici', messageText: 'Testo del Messaggio' },
  errors: {
    template: 'Scegli uno dei modelli dello spazio di lavoro.',
    recipients: 'Scegli chi la riceve.',
    credentials: '"{{name}}" contiene le credenziali del portale: ogni notifica inviata con questo modello cambierebbe la password del portale del richiedente senza che nessuno lo abbia scelto. Scegli un modello senza credenziali.',
  },
  defaults: {
    technician_replied: {
      name: 'Risposta al richiedente',
      subject: '[#{{number}}] {{title}}',
      body: '{{message}}\n\n-- \n{{technician}}, {{company}}\nRispondi a questa email, oppure consulta il ticket su {{portalLink}}\n',
    },
    ticket_resolved: {
      name: 'Ticket risolto',
      subject: '[#{{number}}] Risolto: {{title}}',
      body: 'Ciao {{firstName}},\n\nil tuo ticket #{{number}}: {{title}} è stato risolto.\n\nSe il problema non è risolto, rispondi a questa email e il ticket si riapre. Puoi seguirlo anche su {{portalLink}}\n\n— {{company}}\n',
    },
    new_ticket: {
      name: 'Nuovo ticket (ai tecnici)',
      subject: '[#{{number}}] Nuovo ticket: {{title}}',
      body: 'Ciao {{technician}},\n\n{{contact}} ({{customer}}) ha aperto il ticket #{{number}}: {{title}}.\nPriorità: {{priority}}\n\n{{message}}\n\nAprilo: {{ticketLink}}\n',
    },
    ticket_assigned: {
      name: 'Ticket assegnato (ai tecnici)',
      subject: '[#{{number}}] Assegnato a te: {{title}}',
      body: 'Ciao {{technician}},\n\nil ticket #{{number}}: {{title}} di {{contact}} ({{customer}}) ora è assegnato a te.\nStato: {{status}} · Priorità: {{priority}}\n\nAprilo: {{ticketLink}}\n',
    },
    requester_replied: {
      name: 'Risposta del richiedente (ai tecnici)',
      subject: '[#{{number}}] {{contact}} ha risposto: {{title}}',
      body: 'Ciao {{technician}},\n\n{{contact}} ha scritto sul ticket #{{number}}: {{title}}.\nStato: {{status}}\n\n{{message}}\n\nLeggi e rispondi: {{ticketLink}}\n',
    },
    note_mention: {
      name: 'Menzione in una nota (ai tecnici)',
      subject: '[#{{number}}] Ti hanno menzionato: {{title}}',
      body: 'Ciao {{technician}},\n\nuna nota interna sul ticket #{{number}}: {{title}} ti menziona.\n\n{{message}}\n\nLeggila: {{ticketLink}}\n',
    },
  },
};
