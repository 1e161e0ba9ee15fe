// I messaggi dei controlli comuni (src/lib/validation.ts, src/lib/passwords.ts, caricamenti).
export default {
  required: '{{label}}: campo obbligatorio.',
  tooLong: '{{label}}: al massimo {{max}} caratteri.',
  emailRequired: "Inserisci l'indirizzo email.",
  emailInvalid: 'Inserisci un indirizzo email valido, come nome@esempio.it.',
  password: {
    required: 'Inserisci una password.',
    tooShort: 'Usa almeno {{min}} caratteri.',
    tooLong: 'Usa al massimo {{max}} caratteri.',
    common: 'Questa password è in un elenco di password comuni: scegline un\'altra.',
    guessable: 'Questa password è troppo facile da indovinare: scegline un\'altra.',
  },
  upload: {
    fileTooLarge: 'Ogni file può essere al massimo di {{max}} MB.',
    tooManyFiles: 'Puoi allegare al massimo {{max}} file.',
    tooManyParts: 'Il modulo ha troppe parti.',
    tooManyFields: 'Il modulo ha troppi campi.',
    fieldTooLong: 'Un campo è troppo lungo.',
    unreadable: 'Non è stato possibile leggere il caricamento.',
  },
};
