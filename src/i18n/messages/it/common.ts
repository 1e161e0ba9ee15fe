// Le parole che gli schermi di ogni area condividono: la paginazione, il campo allegati, la scelta della lingua.
export default {
  pager: {
    label: 'Pagine',
    previous: 'Precedente',
    next: 'Successiva',
    position: 'Pagina {{page}} di {{pages}}',
  },
  files: {
    label: 'Allegati',
    hint: 'Fino a 5 file, massimo 10 MB ciascuno.',
    chooseAgain: 'Scegli di nuovo i file.',
  },
  languageSwitch: {
    label: 'Lingua',
  },
};
