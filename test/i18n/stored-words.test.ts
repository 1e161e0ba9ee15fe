// What the mail pipeline writes for the workspace's technicians to read later — the note
// on a ticket whose email bounced, the Mail Log's line for mail held after a bounce, the
// placeholder of an email's image — is written in the workspace's language.
import { expect } from 'chai';
import { ingestMessage } from '../../src/inbound/ingest.js';
import { drainJobs, h, loadFixtures, signIn, speakItalian, sql, type Fixtures } from '../support/index.js';

describe('Words the mail pipeline stores, in the workspace’s language', function () {
  this.timeout(60_000);
  let f: Fixtures;
  beforeEach(async () => {
    f = await loadFixtures();
    await sql('update email_settings set auto_create_contacts = true');
  });
  const ingest = (raw: string) => ingestMessage({ tenantId: f.acme.id, mailbox: null, raw: Buffer.from(raw) });

  it('an Italian workspace reads a bounce as a note in Italian, and the Mail Log says in Italian why mail waits', async () => {
    await speakItalian('acme');
    const alice = await signIn('alice');
    await alice.get('/tickets/new');
    await alice.post('/tickets', { title: 'Portatile', description: 'Lento', contact: String(f.contacts.mario.id) });
    await alice.get('/tickets/1001');
    await alice.post('/tickets/1001/replies', { body: 'Riavvialo, per favore.' });
    await drainJobs();
    const sent = h().mail.last('mario@rossi.test');
    const dsn = `From: Mail Delivery System <MAILER-DAEMON@mx.rossi.test>\nTo: support@acme.test\nSubject: Undelivered Mail Returned to Sender\nMessage-ID: <dsn-1@mx.rossi.test>\n` +
      `MIME-Version: 1.0\nContent-Type: multipart/report; report-type=delivery-status; boundary="r"\n\n--r\nContent-Type: text/plain\n\nThe mail could not be delivered.\n` +
      `--r\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; mx.rossi.test\n\nFinal-Recipient: rfc822; mario@rossi.test\nAction: failed\nStatus: 5.1.1\n` +
      `--r\nContent-Type: text/rfc822-headers\n\nMessage-ID: ${sent.messageId}\nSubject: [#1001] Portatile\n--r--\n`;
    expect((await ingest(dsn)).outcome).to.equal('ignored_bounce');
    const [note] = await sql<{ body: string }>("select body from ticket_messages where author_kind = 'system'");
    expect(note.body).to.match(/^La nostra email "\[#1001\] Portatile" a mario@rossi\.test non è stata consegnata/).and.contain('24 ore');

    await alice.post('/tickets/1001/replies', { body: 'Ti è arrivata?' });
    await drainJobs();
    const [held] = await sql<{ id: number; last_error: string }>('select id, last_error from outbound_emails order by id desc limit 1');
    expect(held.last_error).to.match(/^In attesa: la posta per mario@rossi\.test è tornata indietro; nuovo tentativo dopo: \d+ \w{3} \d{4}, \d\d:\d\d\.$/);
    expect((await alice.get('/admin/mail-log')).text).to.contain('In attesa: la posta per mario@rossi.test è tornata indietro');
  });

  it("an email's images wait behind words in the workspace's language", async () => {
    await speakItalian('acme');
    const html = (id: string) => `From: mario@rossi.test\nTo: support@acme.test\nSubject: Schermata ${id}\nMessage-ID: <${id}@rossi.test>\nMIME-Version: 1.0\nContent-Type: text/html; charset=utf-8\n\n` +
      '<p>Ecco:</p><img src="cid:shot1"><img src="https://tracker.example/p.gif">\n';
    expect((await ingest(html('img-1'))).outcome).to.equal('ticket_created');
    const [ticket] = await sql<{ description_html: string }>('select description_html from tickets');
    expect(ticket.description_html).to.contain('alt="immagine nel testo (vedi gli allegati)"').and.contain('alt="immagine"').and.not.contain('image');
    // An English workspace keeps its words.
    await sql("update tenants set language = 'en' where slug = 'acme'");
    const english = await ingestMessage({ tenantId: f.acme.id, mailbox: null, raw: Buffer.from(html('img-2').replace('Subject: Schermata', 'Subject: Screenshot')) });
    expect(english.outcome).to.equal('ticket_created');
    const [other] = await sql<{ description_html: string }>("select description_html from tickets where title like 'Screenshot%'");
    expect(other.description_html).to.contain('alt="inline image (see the attachments)"').and.contain('alt="image"');
  });
});
