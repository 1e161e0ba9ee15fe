// Contacts > Importa in an Italian workspace: every step — the upload refused, the mapping
// refused, the preview with its reasons, the progress, the report and the template — in
// Italian, with no English word or key name left over.
import { expect } from 'chai';
import { drainJobs, loadFixtures, signIn, speakItalian, sql } from '../support/index.js';
import { problemsOn, telltales } from '../support/leaks.js';
import { csv, mappingOf, upload, uploaded } from './helpers.js';

describe('Importing contacts in Italian', () => {
  it('speaks Italian at every step', async () => {
    await loadFixtures();
    await speakItalian('acme');
    const english = telltales('en');
    const alice = await signIn('alice');
    const problems: string[] = [];
    const check = (what: string, res: { status: number; text: string }) => problems.push(...problemsOn({ path: what, status: res.status, html: res.text }, 'it', english));

    check('new', await alice.get('/contacts/imports/new'));
    const notCsv = await upload(alice, Buffer.from([0x25, 0x50, 0x44, 0x46, 0, 1]));
    expect(notCsv.status).to.equal(422);
    expect(notCsv.text).to.contain('Questo non è un file CSV');
    check('upload refused', notCsv);
    check('header only', await upload(alice, 'Email;Nome\r\n'));

    const file = csv([['E-mail', 'Nome', 'Cognome', 'Cliente', 'Contatto principale'], ['anna@verdi.test', 'Anna', 'Verdi', 'Nessuno Srl', 'sì'], ['', 'Senza', '', '', ''], ['bea@verdi.test', 'Bea', '', '', 'forse']], ';');
    const id = await uploaded(alice, file, 'contatti.csv');
    const mapping = await alice.get(`/contacts/imports/${id}`);
    expect(mapping.text).to.contain('3 righe. Codifica: UTF-8. Separatore: punto e virgola.');
    check('mapping', mapping);
    const refused = await alice.post(`/contacts/imports/${id}/preview`, { map_email: '' });
    expect(refused.status).to.equal(422);
    check('mapping refused', refused);
    const shown = await alice.post(`/contacts/imports/${id}/preview`, await mappingOf(alice, id));
    expect(shown.text).to.contain('Non esiste un cliente di nome «Nessuno Srl».').and.contain('Manca l’indirizzo email.').and.contain('Contatto principale: scrivi sì o no.');
    check('preview', shown);
    const created = await alice.post(`/contacts/imports/${id}/preview`, { ...(await mappingOf(alice, id)), createCustomers: 'on' });
    check('preview creating customers', created);
    expect((await alice.post(`/contacts/imports/${id}/start`)).status).to.equal(303);
    check('queued', await alice.get(`/contacts/imports/${id}`));
    check('queued fragment', await alice.hx('get', `/contacts/imports/${id}`));
    await drainJobs();
    const done = await alice.get(`/contacts/imports/${id}`);
    expect(done.text).to.contain('1 creati, 0 aggiornati, 0 saltati, 2 non riusciti');
    check('done', done);
    check('list of imports', await alice.get('/contacts/imports/new'));
    const report = await alice.get(`/contacts/imports/${id}/report`);
    expect(report.headers['content-disposition']).to.contain(`importazione-${id}-resoconto.csv`);
    expect(report.text).to.contain('Riga,Email,Esito,Motivo').and.contain('3,,Non riuscito,Manca l’indirizzo email.');
    const template = await alice.get('/contacts/imports/template');
    expect(template.text).to.equal('\ufeffEmail,Nome,Cognome,Telefono,Cliente,Contatto principale,Accesso al portale\r\nmario.rossi@example.com,Mario,Rossi,\'+39 02 1234 5678,Esempio Srl,Sì,Sì\r\n');
    const cancel = await alice.post(`/contacts/imports/${id}/cancellation`);
    expect(cancel.status).to.equal(422);
    check('cancel refused', cancel);
    expect((await sql('select count(*)::int as n from customers where name = $1', ['Nessuno Srl']))[0]).to.deep.equal({ n: 1 });
    expect(problems).to.deep.equal([]);
  });
});
