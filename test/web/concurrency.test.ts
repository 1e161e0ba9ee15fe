// Requests that change the same record at the same moment: each change is applied
// and recorded once, from the value it really replaced (the verbs lock the row).
import { expect } from 'chai';
import { makeTicket } from '../support/records.js';
import { loadFixtures, signIn, signInToPortal, sql, type Browser, type Fixtures } from '../support/index.js';

const times = <T>(n: number, fn: (i: number) => Promise<T>) => Promise.all(Array.from({ length: n }, (_, i) => fn(i)));

describe('Concurrent changes to one record', function () {
  this.timeout(60_000);
  let fx: Fixtures;
  let alice: Browser;
  beforeEach(async () => {
    fx = await loadFixtures();
    alice = await signIn('alice');
  });

  /** Posts `n` copies of one deletion at once: one deletes, the rest find nothing (404), one audit event. */
  async function deleteInParallel(path: string, action: string, subjectId: number) {
    await alice.get('/');
    const answers = await times(10, () => alice.post(path, {}));
    const statuses = answers.map((r) => r.status).sort();
    expect(statuses).to.deep.equal([303, ...Array(9).fill(404)]);
    const events = await sql('select id from audit_events where action = $1 and subject_id = $2', [action, subjectId]);
    expect(events, `${action} audit events`).to.have.length(1);
  }

  it('ten parallel deletions of one customer: one succeeds, nine find it gone, one audit event', async () => {
    const [{ id }] = await sql<{ id: number }>(`insert into customers (tenant_id, name) values ($1, 'Verdi Snc') returning id`, [fx.acme.id]);
    await deleteInParallel(`/customers/${id}/deletion`, 'customer.deleted', id);
    expect(await sql('select id from customers where id = $1', [id])).to.have.length(0);
  });

  it('ten parallel deletions of one contact, template or quick reply: one each', async () => {
    await deleteInParallel(`/contacts/${fx.contacts.luigi.id}/deletion`, 'contact.deleted', fx.contacts.luigi.id);
    const [template] = await sql<{ id: number }>(`insert into email_templates (tenant_id, name, subject, body) values ($1, 'Spare', 'Spare', 'Spare') returning id`, [fx.acme.id]);
    await deleteInParallel(`/admin/email-templates/${template.id}/deletion`, 'email_template.deleted', template.id);
    const [reply] = await sql<{ id: number }>(`insert into quick_replies (tenant_id, name, body) values ($1, 'Spare', 'Spare') returning id`, [fx.acme.id]);
    await deleteInParallel(`/admin/quick-replies/${reply.id}/deletion`, 'quick_reply.deleted', reply.id);
  });

  it('twenty parallel status changes: a history where each "from" is the previous "to"', async () => {
    await makeTicket(fx.acme, fx.customers['Rossi Impianti'].id, fx.contacts.mario.id, 1001);
    await alice.get('/tickets/1001');
    const statuses = ['pending', 'resolved', 'closed', 'open'];
    const answers = await times(20, (i) => alice.post('/tickets/1001/status', { status: statuses[i % 4] }));
    expect(answers.every((r) => r.status === 303)).to.equal(true);
    await expectChainedHistory('status', 'open');
  });

  it('parallel priority, type and assignment changes chain their history too', async () => {
    await makeTicket(fx.acme, fx.customers['Rossi Impianti'].id, fx.contacts.mario.id, 1001);
    await alice.get('/tickets/1001');
    const priorities = ['low', 'high', 'critical', 'medium'];
    const types = ['incident', 'problem', 'request', 'question'];
    const assignees = [fx.technicians.bob.id, fx.technicians.alice.id, ''];
    await Promise.all([
      times(12, (i) => alice.post('/tickets/1001/priority', { priority: priorities[i % 4] })),
      times(12, (i) => alice.post('/tickets/1001/type', { type: types[i % 4] })),
      times(12, (i) => alice.post('/tickets/1001/assignment', { assignee: assignees[i % 3] })),
    ]);
    await expectChainedHistory('priority', 'medium');
    await expectChainedHistory('type', 'question');
    await expectChainedHistory('assignee', null);
  });

  it('parallel edits of one contact are audited from the value each really replaced', async () => {
    await alice.get(`/contacts/${fx.contacts.peach.id}/edit`);
    const customer = fx.customers['Bianchi Srl'].id;
    await times(10, (i) => alice.post(`/contacts/${fx.contacts.peach.id}`, {
      firstName: `Peach ${i}`, lastName: 'Bianchi', email: 'peach@bianchi.test', customer, portalAccess: 'on',
    }));
    const events = await sql<{ changes: { firstName?: { from: string; to: string } } }>(
      `select details as changes from audit_events where action = 'contact.updated' and subject_id = $1 order by id`, [fx.contacts.peach.id]);
    let previous = 'Peach';
    for (const e of events) {
      expect(e.changes.firstName?.from).to.equal(previous);
      previous = e.changes.firstName!.to;
    }
    const [row] = await sql<{ first_name: string }>('select first_name from contacts where id = $1', [fx.contacts.peach.id]);
    expect(row.first_name).to.equal(previous);
  });

  it('parallel renames of one customer are audited from the name each really replaced', async () => {
    const id = fx.customers['Bianchi Srl'].id;
    await alice.get(`/customers/${id}/edit`);
    await times(10, (i) => alice.post(`/customers/${id}`, { name: `Bianchi ${i}`, notes: '' }));
    const events = await sql<{ changes: { name: { from: string; to: string } } }>(
      `select details as changes from audit_events where action = 'customer.updated' and subject_id = $1 order by id`, [id]);
    let previous = 'Bianchi Srl';
    for (const e of events) {
      expect(e.changes.name.from).to.equal(previous);
      previous = e.changes.name.to;
    }
  });

  it('deleting a template while the settings are saved to use it: one wins cleanly, never a deadlock or a 500', async () => {
    const [spare] = await sql<{ id: number }>(`insert into email_templates (tenant_id, name, subject, body) values ($1, 'Spare', 'Spare', 'Spare') returning id`, [fx.acme.id]);
    const [reset] = await sql<{ id: number }>(`select reset_template_id as id from email_settings where tenant_id = $1`, [fx.acme.id]);
    await alice.get('/admin/email-settings');
    for (let round = 0; round < 10; round++) {
      const answers = await Promise.all([
        alice.post(`/admin/email-templates/${spare.id}/deletion`, {}),
        alice.post('/admin/email-settings', { welcomeTemplate: spare.id, resetTemplate: reset.id }),
        alice.post('/admin/email-settings', { welcomeTemplate: spare.id, resetTemplate: reset.id }),
      ]);
      expect(answers.map((r) => r.status).filter((s) => s >= 500)).to.deep.equal([]);
    }
  });

  it('parallel portal replies to a resolved ticket reopen it once', async () => {
    await makeTicket(fx.acme, fx.customers['Rossi Impianti'].id, fx.contacts.mario.id, 1001);
    await sql(`update tickets set status = 'resolved' where number = 1001`);
    const mario = await signInToPortal('mario');
    await mario.get('/portal/tickets/1001');
    const answers = await times(8, (i) => mario.post('/portal/tickets/1001/replies', { body: `Still broken (${i})` }));
    expect(answers.every((r) => r.status === 303)).to.equal(true);
    const events = await sql(`select from_value, to_value from ticket_events where field = 'status'`);
    expect(events).to.deep.equal([{ from_value: 'resolved', to_value: 'open' }]);
    expect(await sql('select id from ticket_messages')).to.have.length(8);
  });

  it('parallel plan changes record each change once, from the plan it replaced', async () => {
    await alice.get('/admin/plan');
    await times(10, (i) => alice.post('/admin/plan', { plan: i % 2 ? 'enterprise' : 'pro', confirm: 'yes' }));
    const events = await sql<{ changes: { from: string; to: string } }>(`select details as changes from audit_events where action = 'tenant.plan_changed' order by id`);
    let previous = 'enterprise';
    for (const e of events) {
      expect(e.changes.from).to.equal(previous);
      expect(e.changes.to).not.to.equal(previous);
      previous = e.changes.to;
    }
  });
});

async function expectChainedHistory(field: string, initial: string | null): Promise<void> {
  const events = await sql<{ from_value: string | null; to_value: string | null }>(
    `select from_value, to_value from ticket_events where field = $1 order by id`, [field]);
  expect(events.length, `${field} changes`).to.be.greaterThan(0);
  let previous = initial;
  events.forEach((e, i) => {
    expect(e.from_value, `${field} change ${i + 1} of ${events.length}: from`).to.equal(previous);
    expect(e.to_value, `${field} change ${i + 1}: a change`).not.to.equal(previous);
    previous = e.to_value;
  });
  const [ticket] = await sql<Record<string, unknown>>(`select t.status, t.priority, t.type, te.name as assignee from tickets t left join technicians te on te.id = t.assignee_id where t.number = 1001`);
  expect(ticket[field]).to.equal(previous);
}
