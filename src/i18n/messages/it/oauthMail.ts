// Indirizzi di supporto Microsoft 365 e Google: la scelta dell'accesso, Collega /
// Ricollega, lo stato dell'autorizzazione, l'app registrata dal workspace e l'email agli
// amministratori quando un'autorizzazione smette di funzionare.
export default {
  providers: {
    microsoft: 'Microsoft 365',
    google: 'Google',
  },
  form: {
    authMethod: 'Accesso',
    authMethodHint: 'Le caselle Microsoft 365 e Google si collegano dalla loro pagina di accesso (OAuth), senza password. Lascia vuoto l’host per usare il server IMAP del fornitore.',
    methods: {
      password: 'Password IMAP',
      microsoft: 'Microsoft 365 (OAuth)',
      google: 'Google (OAuth)',
    },
  },
  status: {
    connected: 'Collegata a {{provider}}',
    pending: 'Non ancora collegata a {{provider}}: non viene controllata finché non lo è.',
    reconnect: 'Ricollega {{provider}}: il controllo è sospeso',
    reason: '{{provider}} dice: {{reason}}',
    appMissing: 'La sua app registrata è stata rimossa: configurane di nuovo una, poi ricollegala.',
    tokensUnreadable: 'Il suo collegamento salvato non si apre più (il segreto del servizio è cambiato): ricollegala.',
  },
  connect: {
    connect: 'Collega {{provider}}',
    reconnect: 'Ricollega {{provider}}',
    again: 'Collega di nuovo {{provider}}',
    noApp: 'Per questo servizio non è ancora configurata un’app {{provider}}.',
  },
  apps: {
    title: 'App Microsoft 365 e Google',
    intro: 'Le caselle si collegano tramite l’app registrata dal servizio. Il tuo workspace può usarne una propria.',
    link: 'La tua app {{provider}}',
    own: 'quella del tuo workspace',
    operator: 'quella del servizio',
    none: 'nessuna configurata',
  },
  app: {
    title: 'La tua app {{provider}}',
    intro: 'Registra un’app presso il fornitore, concedile l’accesso IMAP e registra l’URL di reindirizzamento qui sotto. Lascia vuoti gli URL per usare quelli pubblici del fornitore.',
    redirectUrl: 'URL di reindirizzamento da registrare:',
    clientId: 'ID client',
    clientSecret: 'Segreto client',
    secretHintEdit: 'Lascia vuoto per mantenere il segreto salvato.',
    directory: 'Directory (tenant)',
    directoryHint: 'L’ID o il dominio del tuo tenant Microsoft Entra; vuoto vale qualsiasi account aziendale o dell’istituto (organizations).',
    authorizeUrl: 'URL di autorizzazione',
    tokenUrl: 'URL dei token',
    urlHint: 'Se vuoto: {{url}}',
    save: 'Salva',
    saved: 'La tua app {{provider}} è salvata.',
    remove: 'Rimuovi e usa l’app del servizio',
    removeConfirm: 'Rimuovere la tua app e usare quella del servizio?',
    removeHint: 'Le caselle collegate tramite questa app andranno collegate di nuovo.',
    removed: 'La tua app {{provider}} è stata rimossa.',
    errors: {
      directory: 'Inserisci un ID o un dominio del tenant (lettere, cifre, punti e trattini).',
      url: 'Inserisci un indirizzo https:// su un host pubblico.',
    },
  },
  errors: {
    authMethod: 'Scegli come accede la casella.',
    testConnectFirst: 'Prima salva la casella e collegala: la prova usa il suo collegamento.',
  },
  problems: {
    reconnect: 'Il fornitore non accetta più il collegamento di questa casella: ricollegala.',
    unreachable: 'Il servizio di accesso del fornitore non è raggiungibile; il prossimo controllo riprova.',
  },
  flash: {
    noApp: 'Non è configurata nessuna app {{provider}}: aggiungi la tua, o chiedi al gestore del servizio.',
    badState: 'Questa risposta di accesso non è partita da questa sessione, o è già stata usata: non è cambiato nulla. Ricomincia da Collega.',
    expired: 'L’accesso ha richiesto troppo tempo: ricomincia da Collega.',
    denied: '{{provider}} non ha concesso l’accesso: {{reason}}',
    connected: '{{address}} è collegata a {{provider}} e verrà controllata.',
    failed: {
      mailboxGone: 'Questo indirizzo di supporto non esiste più, o ora accede in un altro modo.',
      noApp: 'Nel frattempo l’app {{provider}} è stata rimossa: non è stato collegato nulla.',
      refused: '{{provider}} ha rifiutato il collegamento: {{reason}}',
      unreachable: '{{provider}} non è raggiungibile: riprova tra poco.',
      noRefreshToken: '{{provider}} non ha concesso un accesso duraturo (nessun refresh token): riprova e accetta tutte le autorizzazioni richieste.',
    },
  },
  relay: {
    invalid: 'Questa risposta di accesso non indica nessun workspace di questo servizio.',
  },
  notice: {
    subject: '[{{company}}] Ricollega {{provider}} per {{address}}',
    greeting: 'Ciao {{name}},',
    body: 'L’indirizzo di supporto {{address}} non riesce più ad accedere a {{provider}}, quindi la sua posta non viene raccolta.',
    reason: '{{provider}} dice: {{reason}}',
    action: 'Un amministratore può ricollegarla qui (riceverai questa email una sola volta):',
  },
};
