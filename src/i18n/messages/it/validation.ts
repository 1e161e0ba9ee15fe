export default {
  required: '{{label}}: campo obbligatorio.',
  tooLong: '{{label}}: al massimo {{max}} caratteri.',
  emailRequired: "Inserisci l'indirizzo email.",
  emailInvalid: 'Inserisci un indirizzo email valido, come nome@esempio.it.',
};
