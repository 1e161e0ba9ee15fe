// What keeps rules from doing harm: a rule's own change fires no rule (no recursion,
// no loops), a rule emails one person at most three times an hour, never answers
// automatic mail, a rule that throws is recorded as failed while the others still run,
// an event that cannot be processed is retried and then left aside without blocking
// the rest, and the time-based trigger fires once per waiting period.
import { expect } from 'chai';
import { inTenant } from '../../src/db/unit-of-work.js';
import { actingAs, actorOf } from '../../src/domain/actor.js';
import { Contact } from '../../src/domain/contact/contact.js';
import { Technician } from '../../src/domain/technician/technician.js';
import { Tenant } from '../../src/domain/tenant/tenant.js';
import { changeStatus } from '../../src/domain/ticket/changes.js';
import { openTicket } from '../../src/domain/ticket/open-ticket.js';
import { addReply } from '../../src/domain/ticket/replies.js';
import { Ticket } from '../../src/domain/ticket/ticket.js';
import { drainJobs, h, loadFixtures, sql, type Fixtures } from '../support/index.js';
import { makeRule, openAs, runPeriodicJob, runs, withoutNotifications } from './rules-support.js';

describe('Rules that cannot run away', () => {
  let f: Fixtures;
  beforeEach(async () => { f = await loadFixtures(); await withoutNotifications(); });

  /** A unit of work of acme acting as bob (the technician) on ticket `id`. */
  const asBob = <T>(id: number, fn: (em: import('../../src/db/orm.js').Em, tenant: Tenant, ticket: Ticket) => Promise<T>) => inTenant(f.acme.id, async (em) =>
    fn(em, await em.findOneOrFail(Tenant, { id: f.acme.id }), await em.findOneOrFail(Ticket, { id })), actorOf(f.technicians.bob));

  it('does not fire Ticket Status Changed rules from a rule that sets the status; a technician\'s change does', async () => {
    await makeRule(f.acme.id, { name: 'Park new tickets', actions: [{ kind: 'set_status', value: 'pending' }] });
    await makeRule(f.acme.id, { name: 'Escalate on status change', trigger: 'status_changed', actions: [{ kind: 'set_priority', value: 'critical' }] });
    await makeRule(f.acme.id, { name: 'Reopen when resolved', trigger: 'closed_or_resolved', actions: [{ kind: 'set_status', value: 'open' }] });
    const ticket = await openAs(f.acme.id, { contact: 'mario@rossi.test' }, 'Printer jams');
    await drainJobs();
    expect((await runs(f.acme.id)).map((r) => [r.rule, r.outcome])).to.deep.equal([['Park new tickets', 'applied']]);
    expect(await sql('select status, priority from tickets')).to.deep.equal([{ status: 'pending', priority: 'medium' }]);
    expect(await sql('select id from ticket_rule_events'), 'a rule\'s change is not even queued').to.deep.equal([]);

    await asBob(ticket.id, (em, tenant, t) => changeStatus(em, tenant, t, 'resolved'));
    await drainJobs();
    expect((await runs(f.acme.id)).slice(1).map((r) => [r.rule, r.event, r.outcome])).to.deep.equal([
      ['Escalate on status change', 'ticket.status_changed', 'applied'],
      ['Reopen when resolved', 'ticket.resolved', 'applied'],
    ]);
    // "Reopen" set the status back to open: that fired nothing either.
    expect(await sql('select status, priority from tickets')).to.deep.equal([{ status: 'open', priority: 'critical' }]);
    expect(await sql('select id from ticket_rule_events')).to.deep.equal([]);
  });

  it('sends one recipient at most three emails an hour from a rule; the rest are recorded as skipped', async () => {
    await makeRule(f.acme.id, { name: 'Credentials', conditions: [['title', 'equals', '[Portal Credentials]']], actions: [{ kind: 'email_contact', template: 'Portal credentials' }] });
    for (let i = 0; i < 5; i++) await openAs(f.acme.id, { contact: 'peach@bianchi.test' }, '[Portal Credentials]');
    await drainJobs();
    expect(h().mail.messages.map((m) => m.to[0])).to.deep.equal(['peach@bianchi.test', 'peach@bianchi.test', 'peach@bianchi.test']);
    const all = await runs(f.acme.id);
    expect(all.map((r) => r.outcome)).to.deep.equal(['applied', 'applied', 'applied', 'skipped', 'skipped']);
    expect(all[4].actions).to.deep.equal([{ kind: 'email_contact', result: 'skipped', reason: 'ruleEngine.reason.hourlyCap', params: { recipient: 'peach@bianchi.test', max: 3 }, detail: 'peach@bianchi.test' }]);
    // An hour later it may send again.
    await sql("update ticket_rule_sends set sent_at = sent_at - interval '61 minutes'");
    await openAs(f.acme.id, { contact: 'peach@bianchi.test' }, '[Portal Credentials]');
    await drainJobs();
    expect(h().mail.messages).to.have.length(4);
  });

  it('never emails a ticket opened by automatic mail, and still takes its other actions', async () => {
    await makeRule(f.acme.id, { name: 'Acknowledge', actions: [{ kind: 'email_contact', template: 'Ticket received' }, { kind: 'set_type', value: 'incident' }] });
    await inTenant(f.acme.id, async (em) => {
      const contact = await em.findOneOrFail(Contact, { id: f.contacts.mario.id }, { populate: ['customer'] });
      await actingAs(actorOf(contact), async () => {
        const ticket = await openTicket(em, await em.findOneOrFail(Tenant, { id: f.acme.id }), { contact, title: 'PROBLEM: disk full', source: 'email', automatic: true });
        ticket.automatic = true;
      });
    });
    await drainJobs();
    expect(h().mail.messages).to.have.length(0);
    const [run] = await runs(f.acme.id);
    expect(run.outcome).to.equal('partly_applied');
    expect(run.actions.map((a) => [a.result, a.reason])).to.deep.equal([['skipped', 'ruleEngine.reason.automaticMail'], ['applied', undefined]]);
  });

  it('records a rule that throws (its template gone from under it) as failed, undoes what it did, and runs the others', async () => {
    await makeRule(f.acme.id, { name: 'First', actions: [{ kind: 'set_priority', value: 'high' }] });
    const broken = await makeRule(f.acme.id, { name: 'Broken', actions: [{ kind: 'set_type', value: 'incident' }, { kind: 'email_contact', template: 'Ticket received' }] });
    await makeRule(f.acme.id, { name: 'Last', actions: [{ kind: 'add_note', value: 'Seen by {[Ticket Number]}' }, { kind: 'set_type', value: 'request' }] });
    await sql('update ticket_rule_actions set template_id = null where rule_id = $1', [broken]);
    await openAs(f.acme.id, { contact: 'mario@rossi.test' }, 'Printer jams');
    await drainJobs();
    const all = await runs(f.acme.id);
    expect(all.map((r) => [r.rule, r.outcome])).to.deep.equal([['First', 'applied'], ['Broken', 'failed'], ['Last', 'applied']]);
    expect(all[1].error).to.contain('has no template');
    expect(all[1].actions.map((a) => a.result)).to.deep.equal(['failed', 'failed']);
    expect(await sql('select priority, type from tickets')).to.deep.equal([{ priority: 'high', type: 'request' }]);
    expect(await sql("select field, to_value, actor_name from ticket_events where field = 'type'"), 'the broken rule\'s change was undone').to.deep.equal([
      { field: 'type', to_value: 'request', actor_name: 'Last' },
    ]);
    expect(await sql("select body from ticket_messages where author_kind = 'system'")).to.deep.equal([{ body: 'Seen by 1001' }]);
    expect(h().mail.messages).to.have.length(0);
  });

  it('retries an event it cannot process, leaves it aside after three attempts, and runs the events after it', async () => {
    await makeRule(f.acme.id, { name: 'Note', actions: [{ kind: 'add_note', value: 'noted' }] });
    await makeRule(f.acme.id, { name: 'Far off', trigger: 'ticket_unanswered', triggerHours: 1000, actions: [{ kind: 'add_note', value: 'late' }] });
    const first = await openAs(f.acme.id, { contact: 'mario@rossi.test' }, 'Printer jams');
    await drainJobs();
    // A queued event that cannot be read (as a bug or a bad row would make one), then a good one.
    await sql(`insert into ticket_rule_events (tenant_id, ticket_id, type, payload) values ($1, $2, 'ticket.unanswered', '{"ruleIds": 5}')`, [f.acme.id, first.id]);
    await openAs(f.acme.id, { contact: 'mario@rossi.test' }, 'Scanner jams');
    await drainJobs();
    expect((await runs(f.acme.id)).map((r) => r.rule)).to.deep.equal(['Note', 'Note']);
    const attempts = async () => (await sql<{ attempts: number; last_error: string }>('select attempts, last_error from ticket_rule_events'));
    expect((await attempts())[0].attempts).to.equal(1);
    for (const expected of [2, 3, 3]) {
      await sql("update ticket_rule_tenants set events_since = now() - interval '2 minutes'");
      await runPeriodicJob('ticket-rules-sweep');
      expect((await attempts())[0].attempts).to.equal(expected);
    }
    expect((await attempts())[0].last_error).to.be.a('string').and.not.equal('');
    expect(h().logs.join('')).to.contain('ticket rules failed on an event');
  });

  it('fires Technician Responded on a public reply, not on an internal note', async () => {
    await makeRule(f.acme.id, { name: 'Tell the requester', trigger: 'technician_responded', actions: [{ kind: 'add_note', value: 'replied' }] });
    const ticket = await openAs(f.acme.id, { contact: 'mario@rossi.test' }, 'Printer jams');
    await asBob(ticket.id, async (em, tenant, t) => addReply(em, tenant, t, { body: 'Checking internally', internal: true, author: await em.findOneOrFail(Technician, { id: f.technicians.bob.id }) }));
    await drainJobs();
    expect(await runs(f.acme.id)).to.deep.equal([]);
    await asBob(ticket.id, async (em, tenant, t) => addReply(em, tenant, t, { body: 'Please restart it', author: await em.findOneOrFail(Technician, { id: f.technicians.bob.id }) }));
    await drainJobs();
    expect((await runs(f.acme.id)).map((r) => [r.rule, r.event, r.outcome])).to.deep.equal([['Tell the requester', 'ticket.technician_responded', 'applied']]);
  });

  it('records what each condition found on a waiting period\'s run that did not match, and on one that did', async () => {
    await makeRule(f.acme.id, { name: 'Nudge critical', trigger: 'ticket_unanswered', triggerHours: 2, conditions: [['title', 'contains', 'printer'], ['priority', 'equals', 'critical']], actions: [{ kind: 'add_note', value: 'hurry' }] });
    await makeRule(f.acme.id, { name: 'Nudge printers', trigger: 'ticket_unanswered', triggerHours: 2, conditions: [['title', 'contains', 'PRINTER']], actions: [{ kind: 'add_note', value: 'nudge' }] });
    await openAs(f.acme.id, { contact: 'mario@rossi.test' }, 'Printer jams');
    await sql("update tickets set created_at = created_at - interval '3 hours'");
    await runPeriodicJob('ticket-rules-unanswered');
    const recorded = await sql<{ outcome: string; conditions: Array<{ property: string; actual: unknown; held: boolean }> }>('select outcome, conditions from ticket_rule_runs order by id');
    expect(recorded.map((r) => [r.outcome, r.conditions.map((c) => [c.property, c.actual, c.held])])).to.deep.equal([
      ['not_matched', [['title', 'Printer jams', true], ['priority', 'medium', false]]],
      ['applied', [['title', 'Printer jams', true]]],
    ]);
  });

  it('fires Ticket Unanswered For N hours once per waiting period', async () => {
    await makeRule(f.acme.id, { name: 'Nudge', trigger: 'ticket_unanswered', triggerHours: 2, actions: [{ kind: 'add_note', value: 'Still waiting for an answer' }] });
    const ticket = await openAs(f.acme.id, { contact: 'mario@rossi.test' }, 'Printer jams');
    const check = () => runPeriodicJob('ticket-rules-unanswered');
    const keys = async () => (await sql<{ event_key: string; outcome: string }>('select event_key, outcome from ticket_rule_runs order by id')).map((r) => `${r.event_key} ${r.outcome}`);
    await check();
    expect(await keys(), 'not two hours yet').to.deep.equal([]);
    await sql("update tickets set created_at = created_at - interval '3 hours'");
    await check();
    await check();
    expect(await keys()).to.deep.equal([`ticket:${ticket.id} applied`]);
    // The contact writes again: a new wait.
    const message = await inTenant(f.acme.id, async (em) => {
      const t = await em.findOneOrFail(Ticket, { id: ticket.id });
      return addReply(em, await em.findOneOrFail(Tenant, { id: f.acme.id }), t, { body: 'Any news?', author: await em.findOneOrFail(Contact, { id: f.contacts.mario.id }) });
    }, actorOf(f.contacts.mario));
    await drainJobs();
    await check();
    expect(await keys()).to.have.length(1);
    await sql("update ticket_messages set created_at = created_at - interval '3 hours' where author_kind = 'contact'");
    await check();
    await check();
    expect(await keys()).to.deep.equal([`ticket:${ticket.id} applied`, `message:${message.id} applied`]);
    // A technician answers publicly: no wait, however long ago the contact wrote.
    await asBob(ticket.id, async (em, tenant, t) => addReply(em, tenant, t, { body: 'On my way', author: await em.findOneOrFail(Technician, { id: f.technicians.bob.id }) }));
    await sql("update ticket_messages set created_at = created_at - interval '5 hours' where author_kind = 'technician'");
    await sql("update ticket_messages set created_at = created_at - interval '6 hours' where author_kind = 'contact'");
    await drainJobs();
    await check();
    expect(await keys()).to.have.length(2);
    expect((await sql<{ body: string }>("select body from ticket_messages where author_kind = 'system'")).map((m) => m.body)).to.deep.equal(['Still waiting for an answer', 'Still waiting for an answer']);
    expect(await sql('select id from ticket_rule_events'), 'nothing queued twice, nothing failed').to.deep.equal([]);
  });
});
