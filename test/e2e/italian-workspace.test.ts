// In headless Chromium, the source article's own steps in an Italian MSP workspace: the
// technician opens Impostazioni Email, turns on the two contact options and clicks
// Aggiorna; a contact created by hand receives an Italian welcome email, whose link
// opens the Portale Clienti — with no console error and no CSP violation.
import { expect } from 'chai';
import { signUp } from '../../src/domain/tenant/signup.js';
import { drainJobs, h, PASSWORD, sql } from '../support/index.js';
import { useChromium } from '../support/chromium.js';

describe('End to end in Chromium: an Italian MSP workspace', function () {
  this.timeout(90_000);
  const chromium = useChromium();

  it('turns on the contact options in Impostazioni Email, and a new contact gets an Italian welcome to the Portale Clienti', async () => {
    await signUp({ companyName: 'Officina Bruni', slug: 'officina', edition: 'msp', plan: 'pro', adminName: 'Anna Neri', adminEmail: 'anna@officina.test', password: PASSWORD, language: 'it' });
    await sql('update email_settings set auto_create_contacts = false, send_welcome_email = false');
    const page = await chromium.person('anna');

    await page.goto('http://officina.localhost:3000/login');
    expect(await page.locator('html').getAttribute('lang')).to.equal('it');
    await page.getByLabel('Email').fill('anna@officina.test');
    await page.getByLabel('Password').fill(PASSWORD);
    await Promise.all([page.waitForURL((url) => url.pathname !== '/login'), page.getByRole('button', { name: 'Accedi' }).click()]);

    // Da Admin (nel pannello laterale), vai a Impostazioni Email.
    await page.getByRole('link', { name: 'Admin' }).click();
    await page.getByRole('link', { name: 'Impostazioni Email' }).click();
    await page.getByRole('heading', { name: 'Impostazioni Email', level: 1 }).waitFor();
    const autoCreate = page.getByLabel('Creazione automatica di un nuovo contatto su email in arrivo');
    const welcome = page.getByLabel("Invia un'email a un contatto appena aggiunto");
    expect(await autoCreate.isChecked()).to.equal(false);
    await autoCreate.check();
    await welcome.check();
    await Promise.all([page.waitForLoadState('load'), page.getByRole('button', { name: 'Aggiorna' }).click()]);
    await page.getByText('Impostazioni Email aggiornate.').waitFor();
    expect(await page.getByLabel('Creazione automatica di un nuovo contatto su email in arrivo').isChecked()).to.equal(true);
    expect(await page.getByLabel("Invia un'email a un contatto appena aggiunto").isChecked()).to.equal(true);
    expect(await sql('select auto_create_contacts, send_welcome_email from email_settings')).to.deep.equal([{ auto_create_contacts: true, send_welcome_email: true }]);

    // A contact created by hand.
    await page.getByRole('link', { name: 'Contatti' }).first().click();
    await page.getByRole('link', { name: 'Nuovo contatto' }).click();
    await page.getByRole('textbox', { name: 'Email' }).fill('giulia@gialli.test');
    await page.getByLabel('Nome', { exact: true }).fill('Giulia');
    await Promise.all([page.waitForURL(/\/contacts\/\d+$/), page.getByRole('button', { name: 'Salva' }).click()]);
    await page.getByText('Hai salvato Giulia').waitFor();

    await drainJobs();
    const mail = h().mail.last('giulia@gialli.test');
    expect(mail.subject).to.contain('Officina Bruni').and.match(/Portale Clienti/);
    expect(mail.text).to.contain('Ciao Giulia');
    const link = mail.text.match(/https?:\/\/\S+\/portal\/\S+/)?.[0];
    expect(link, 'a portal link in the welcome email').to.be.a('string');

    // The contact follows the link: the Portale Clienti, in Italian.
    const giulia = await chromium.person('giulia');
    await giulia.goto(link!);
    expect(await giulia.locator('html').getAttribute('lang')).to.equal('it');
    expect(await giulia.locator('body').innerText()).to.contain('Portale Clienti');
    expect(chromium.problems).to.deep.equal([]);
  });
});
