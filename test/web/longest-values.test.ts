// The longest value every form accepts must also fit everywhere it travels: the
// database columns it is copied into (the outbox's recipient name, the history's
// and audit log's actor), the email that carries it, and the pages that show it.
import { expect } from 'chai';
import { FULL_NAME_MAX, LIMITS } from '../../src/domain/contact/contacts.js';
import { NAME_MAX as CUSTOMER_NAME_MAX } from '../../src/domain/customer/customers.js';
import { browserFor, drainJobs, h, loadFixtures, PASSWORD, signIn, sql } from '../support/index.js';

const TITLE_MAX = 250;
const TECHNICIAN_NAME_MAX = 200;

/** An address of exactly `length` characters that the address pattern accepts. */
function addressOf(length: number): string {
  const local = 'g'.repeat(64);
  const domain = ['r'.repeat(63), 's'.repeat(63), 't'.repeat(length - 64 - 1 - 63 - 63 - 3 - 4), 'test'].join('.');
  const address = `${local}@${domain}`;
  expect(address).to.have.length(length);
  return address;
}

const escaped = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/'/g, '&#39;');

describe('The longest allowed values, end to end', function () {
  this.timeout(60_000);
  beforeEach(async () => {
    await loadFixtures();
  });

  it('keeps the limits agreeing: every column a full name is copied into holds the longest full name', async () => {
    expect(FULL_NAME_MAX).to.equal(LIMITS.firstName + 1 + LIMITS.lastName);
    const columns = await sql<{ table_name: string; column_name: string; n: number | null }>(
      `select table_name, column_name, character_maximum_length as n from information_schema.columns
        where table_schema = 'public' and (table_name, column_name) in
          (('outbound_emails', 'to_name'), ('audit_events', 'actor_name'), ('ticket_events', 'actor_name'), ('outbound_emails', 'subject'))`);
    expect(columns).to.have.length(4);
    // A subject is rendered from a template of up to 500 characters whose snippets expand: no fixed limit fits.
    expect(columns.find((c) => c.column_name === 'subject')!.n).to.equal(null);
    for (const c of columns) expect(c.n ?? Infinity, `${c.table_name}.${c.column_name}`).to.be.at.least(Math.max(FULL_NAME_MAX, TECHNICIAN_NAME_MAX, CUSTOMER_NAME_MAX));
  });

  it('creates a customer, a contact, a technician and a ticket with the longest values through the forms, emails them and shows them', async () => {
    const customerName = `Cliente ${'c'.repeat(CUSTOMER_NAME_MAX - 8)}`;
    const firstName = 'F'.repeat(LIMITS.firstName);
    const lastName = 'L'.repeat(LIMITS.lastName);
    const fullName = `${firstName} ${lastName}`;
    const email = addressOf(LIMITS.email);
    const phone = `+39 ${'0'.repeat(LIMITS.phone - 4)}`;
    const technicianName = `T${'e'.repeat(TECHNICIAN_NAME_MAX - 1)}`;
    const title = `Printer ${'p'.repeat(TITLE_MAX - 8)}`;
    const alice = await signIn('alice');

    await alice.get('/customers/new');
    const customer = await alice.post('/customers', { name: customerName, notes: 'n'.repeat(5000) });
    expect(customer.status, customer.text).to.equal(303);
    const customerId = Number(customer.headers.location.split('/').pop());

    await alice.get('/contacts/new');
    const tooLong = await alice.post('/contacts', { firstName, lastName, email: addressOf(LIMITS.email + 1), customer: customerId });
    expect(tooLong.status).to.equal(422);
    const contact = await alice.post('/contacts', { firstName, lastName, email, phone, customer: customerId, portalAccess: 'on' });
    expect(contact.status, contact.text).to.equal(303);
    const contactId = Number(contact.headers.location.split('/').pop());

    await alice.get('/admin/technicians');
    const technicianEmail = `carla.${'x'.repeat(40)}@acme.test`;
    const technician = await alice.post('/admin/technicians', { name: technicianName, email: technicianEmail, role: 'technician' });
    expect(technician.status, technician.text).to.equal(303);
    const [{ id: technicianId }] = await sql<{ id: number }>('select id from technicians where email = $1', [technicianEmail]);

    await alice.get('/tickets/new');
    const ticket = await alice.post('/tickets', { contact: contactId, title, description: 'd'.repeat(1000), priority: 'high', type: 'incident', assignee: technicianId });
    expect(ticket.status, ticket.text).to.equal(303);
    expect(ticket.headers.location).to.equal('/tickets/1001');
    const reply = await alice.post('/tickets/1001/replies', { body: 'We are on it.', kind: 'reply' });
    expect(reply.status, reply.text).to.equal(303);
    expect((await alice.post('/tickets/1001/status', { status: 'resolved' })).status).to.equal(303);

    // The contact signs in with the longest address and writes back: the history names them in full.
    await sql('update contacts set password_hash = (select password_hash from contacts where email = $1) where id = $2', ['mario@rossi.test', contactId]);
    const portal = browserFor('acme');
    await portal.get('/portal/login');
    expect((await portal.post('/portal/login', { email, password: PASSWORD })).status).to.equal(303);
    await portal.get('/portal/tickets/1001');
    const portalReply = await portal.post('/portal/tickets/1001/replies', { body: 'Thanks, it prints again.' });
    expect(portalReply.status, portalReply.text).to.equal(303);
    const [reopened] = await sql<{ actor_name: string; to_value: string }>(`select actor_name, to_value from ticket_events where field = 'status' order by id desc limit 1`);
    expect(reopened).to.deep.equal({ actor_name: fullName, to_value: 'open' });

    await drainJobs();
    const outbox = await sql<{ to_address: string; to_name: string; status: string; kind: string }>('select to_address, to_name, status, kind from outbound_emails order by id');
    expect(outbox.map((m) => m.status)).to.deep.equal(outbox.map(() => 'sent'));
    expect(outbox.find((m) => m.kind === 'ticket_reply')).to.include({ to_address: email, to_name: fullName });
    expect(outbox.find((m) => m.kind === 'technician_invite')).to.include({ to_address: technicianEmail, to_name: technicianName });
    // Ticket received, the reply, Ticket resolved: the reply is the one under the bare ticket subject.
    expect(h().mail.to(email).map((m) => m.subject)).to.deep.equal([`[#1001] We received your request: ${title}`, `[#1001] ${title}`, `[#1001] Resolved: ${title}`]);
    const mail = h().mail.to(email)[1];
    expect(mail.headers.get('to')).to.have.nested.property('value[0].name', fullName);
    expect(h().mail.last(technicianEmail).text).to.contain(technicianName);

    const page = await alice.get('/tickets/1001');
    expect(page.text).to.contain(escaped(title)).and.contain(fullName).and.contain(escaped(customerName)).and.contain(technicianName);
    expect((await alice.get(`/contacts/${contactId}`)).text).to.contain(fullName).and.contain(email).and.contain(phone);
    expect((await alice.get(`/customers/${customerId}`)).text).to.contain(escaped(customerName)).and.contain(fullName);
    expect((await alice.get('/tickets?view=all')).text).to.contain(escaped(title)).and.contain(fullName);
    expect((await alice.get('/admin/mail-log')).text).to.contain(email);
    expect((await portal.get('/portal/tickets/1001')).text).to.contain(escaped(title)).and.contain(fullName);
  });
});
