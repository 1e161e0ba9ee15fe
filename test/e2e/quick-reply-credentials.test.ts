// End to end in headless Chromium (issue 4): a technician picks the credentials
// quick reply on a ticket and sends it; the contact uses the emailed credentials to
// sign in and is made to change the password first. Nothing stored holds the
// password. One browser, two contexts, no console error, CSP violation or failed request.
//
// See test/support/chromium.ts: the app listens on a free port that Chromium uses
// as its HTTP proxy, so the browser still speaks to acme.localhost:3000.
import { expect } from 'chai';
import { contactsData, drainJobs, h, loadFixtures, people, sql } from '../support/index.js';
import { makeTicket } from '../support/records.js';
import { htmxSettled, signInThroughForm as signIn, useChromium } from '../support/chromium.js';

const ACME = 'http://acme.localhost:3000';

describe('End to end in Chromium: portal credentials by quick reply', function () {
  this.timeout(60_000);
  const chromium = useChromium();
  const problems = chromium.problems;
  const person = (who: string) => chromium.person(who);


  it('alice sends the credentials quick reply; mario signs in with them and must choose his own password', async () => {
    problems.length = 0;
    const fx = await loadFixtures();
    // Mario has never had a password: only the emailed one can let him in.
    await sql('update contacts set password_hash = null where id = $1', [fx.contacts.mario.id]);
    await makeTicket(fx.acme, fx.customers['Rossi Impianti'].id, fx.contacts.mario.id, 1001, 'How do I get into the portal?');

    // Alice picks the quick reply: htmx fills the reply box, snippets still as {[…]}.
    const alice = await person('alice');
    await signIn(alice, people.alice.email, '/login');
    await alice.goto(`${ACME}/tickets/1001`);
    await alice.getByLabel('Quick reply').selectOption({ label: 'Portal credentials' });
    await htmxSettled(alice);
    await alice.waitForFunction(() => (document.querySelector('#f-body') as HTMLTextAreaElement | null)?.value.includes('{[Portal Password]}'));
    const filled = await alice.locator('#f-body').inputValue();
    expect(filled).to.contain('{[Portal Address]}').and.contain('{[Portal Username]}').and.contain('{[Portal Password]}');
    await Promise.all([alice.waitForURL(`**/tickets/1001`), alice.getByRole('button', { name: 'Send Reply' }).click()]);
    // The conversation keeps the reply with the credentials masked.
    const conversation = await alice.locator('main').innerText();
    expect(conversation).to.contain('Username : mario@rossi.test').and.contain('Password : ••••••••');

    // The send job mints the password into the email only.
    await drainJobs();
    const mail = h().mail.last(contactsData.mario.email);
    const url = mail.text.match(/URL : (\S+)/)?.[1];
    const username = mail.text.match(/Username : (\S+)/)?.[1];
    const password = mail.text.match(/Password : (\S+)/)?.[1];
    expect(url).to.equal(`${ACME}/portal`);
    expect(username).to.equal(contactsData.mario.email);
    expect(password).to.match(/^[A-Za-z0-9]{12,}$/);

    // Mario follows the emailed address, signs in with the emailed credentials, and must change the password first.
    const mario = await person('mario');
    await mario.goto(url!);
    await mario.getByLabel('Email').fill(username!);
    await mario.getByLabel('Password').fill(password!);
    await Promise.all([mario.waitForURL('**/portal/account/password'), mario.getByRole('button', { name: 'Sign in' }).click()]);
    // Any other portal page sends him back here until he has chosen his own.
    await mario.goto(`${ACME}/portal/tickets`);
    expect(new URL(mario.url()).pathname).to.equal('/portal/account/password');
    await mario.getByLabel('Temporary password').fill(password!);
    await mario.getByLabel('New password', { exact: true }).fill('mario chose this one');
    await mario.getByLabel('Repeat the new password').fill('mario chose this one');
    await Promise.all([mario.waitForURL('**/portal/account'), mario.getByRole('button', { name: 'Change password' }).click()]);
    await mario.goto(`${ACME}/portal/tickets`);
    expect(await mario.locator('main').innerText()).to.contain('How do I get into the portal?');

    // The emailed password no longer works; nothing stored ever held it.
    const dump = await sql<{ text: string }>(`select string_agg(t::text, ' ') as text from (
      select * from ticket_messages) t`);
    expect(dump[0].text).not.to.contain(password!);
    expect((await sql<{ text: string }>('select string_agg(text_body, \' \') as text from outbound_emails'))[0].text).not.to.contain(password!);
    expect(h().logs.join('')).not.to.contain(password!);
    expect(problems).to.deep.equal([]);
  });

  it('for a requester who has a password, the quick reply fills the link and says so beside Send Reply, at 390 px too', async () => {
    problems.length = 0;
    const fx = await loadFixtures();
    await makeTicket(fx.acme, fx.customers['Rossi Impianti'].id, fx.contacts.mario.id, 1001, 'I forgot my portal password');
    const alice = await person('alice');
    await alice.setViewportSize({ width: 390, height: 844 });
    await signIn(alice, people.alice.email, '/login');
    await alice.goto(`${ACME}/tickets/1001`);
    expect(await alice.locator('.quick-reply-picker').innerText()).to.contain('replaces the portal password of Mario Rossi');
    await alice.getByLabel('Quick reply').selectOption({ label: 'Portal credentials' });
    await htmxSettled(alice);
    await alice.waitForFunction(() => (document.querySelector('#f-body') as HTMLTextAreaElement | null)?.value.includes('{[Portal Password Link]}'));
    expect(await alice.locator('#f-body').inputValue()).not.to.contain('{[Portal Password]}');
    expect(await alice.locator('#reply-credentials').innerText()).to.contain('was filled in as {[Portal Password Link]}');
    // The reply form and its notices fit the phone's width (the header's nav is the layout's own affair).
    const wide = await alice.evaluate(() => [...document.querySelectorAll('.quick-reply-picker, .quick-reply-picker *, form.reply, form.reply *')]
      .filter((e) => e.getBoundingClientRect().right > 391).map((e) => `${e.tagName}.${e.className}`));
    expect(wide).to.deep.equal([]);
    await Promise.all([alice.waitForURL('**/tickets/1001'), alice.getByRole('button', { name: 'Send Reply' }).click()]);
    await drainJobs();
    expect(h().mail.last(contactsData.mario.email).text).to.match(/\/portal\/reset\//);
    expect(problems).to.deep.equal([]);
  });
});
