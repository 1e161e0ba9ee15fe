// Ticket Title Changed: a technician renaming a ticket on its page fires the rules of that
// trigger (made through Add New Rule, in either language), conditions reading the new title;
// a rule's own changes, and a change of another property, fire none.
import { expect } from 'chai';
import { inTenant } from '../../src/db/unit-of-work.js';
import { testRule } from '../../src/domain/rule/engine.js';
import { TicketRule } from '../../src/domain/rule/rule.js';
import { Ticket } from '../../src/domain/ticket/ticket.js';
import { drainJobs, loadFixtures, signIn, speakItalian, sql, type Browser, type Fixtures } from '../support/index.js';
import { makeRule, openAs, runs } from './rules-support.js';

describe('Rules on Ticket Title Changed', () => {
  let f: Fixtures;
  let alice: Browser;
  beforeEach(async () => {
    f = await loadFixtures();
    alice = await signIn('alice');
  });

  it('is offered by Add New Rule in English and Italian, and a rule made so runs when a technician retitles a ticket', async () => {
    expect((await alice.hx('get', '/admin/rules/new')).text).to.contain('<option value="title_changed">Ticket Title Changed</option>');
    const created = await alice.hx('post', '/admin/rules', { name: 'Outage', trigger: 'title_changed', ignoreFlow: 'no', active: 'yes' });
    expect(created.status, created.text).to.equal(204);
    const [rule] = await sql<{ id: number; trigger: string }>("select id, trigger from ticket_rules where name = 'Outage'");
    expect(rule.trigger).to.equal('title_changed');
    await sql(`insert into ticket_rule_conditions (tenant_id, rule_id, position, property, operator, value) values ($1, $2, 0, 'title', 'contains', '"outage"')`, [f.acme.id, rule.id]);
    await sql(`insert into ticket_rule_actions (tenant_id, rule_id, position, kind, value) values ($1, $2, 0, 'set_priority', 'critical')`, [f.acme.id, rule.id]);
    expect((await alice.get(`/admin/rules/${rule.id}`)).text).to.contain('Ticket Title Changed');

    const ticket = await openAs(f.acme.id, { contact: 'mario@rossi.test' }, 'Printer jams');
    await drainJobs();
    expect(await runs(f.acme.id), 'opening a ticket is not a title change').to.deep.equal([]);
    const number = (await sql<{ number: number }>('select number from tickets where id = $1', [ticket.id]))[0].number;
    expect((await alice.hx('post', `/tickets/${number}/title`, { title: 'Printer jams: still an outage' })).status).to.equal(200);
    await drainJobs();
    expect((await runs(f.acme.id)).map((r) => [r.rule, r.event, r.outcome])).to.deep.equal([['Outage', 'ticket.title_changed', 'applied']]);
    expect(await sql('select priority from tickets where id = $1', [ticket.id])).to.deep.equal([{ priority: 'critical' }]);
    expect(await sql("select field, to_value, actor_kind, actor_name from ticket_events where field = 'priority'")).to.deep.equal([
      { field: 'priority', to_value: 'critical', actor_kind: 'rule', actor_name: 'Outage' },
    ]);
    // A title that does not meet the condition: a miss.
    await alice.hx('post', `/tickets/${number}/title`, { title: 'Printer jams' });
    await drainJobs();
    expect((await runs(f.acme.id)).map((r) => [r.rule, r.outcome])).to.deep.equal([['Outage', 'applied'], ['Outage', 'not_matched']]);

    await speakItalian('acme');
    const italian = await signIn('alice');
    expect((await italian.hx('get', '/admin/rules/new')).text).to.contain('<option value="title_changed">Titolo del Ticket Modificato</option>');
  });

  it('fires no rule from a rule\'s own change, nor from a change of the priority or type', async () => {
    await makeRule(f.acme.id, { name: 'Retitled', trigger: 'title_changed', actions: [{ kind: 'set_priority', value: 'high' }, { kind: 'set_status', value: 'pending' }] });
    await makeRule(f.acme.id, { name: 'Also retitled', trigger: 'title_changed', actions: [{ kind: 'add_note', value: 'renamed' }] });
    await makeRule(f.acme.id, { name: 'On status', trigger: 'status_changed', actions: [{ kind: 'add_note', value: 'status' }] });
    const ticket = await openAs(f.acme.id, { contact: 'mario@rossi.test' }, 'Printer jams');
    expect((await alice.hx('post', '/tickets/1001/priority', { priority: 'low' })).status).to.equal(200);
    expect((await alice.hx('post', '/tickets/1001/type', { type: 'request' })).status).to.equal(200);
    await drainJobs();
    expect(await runs(f.acme.id), 'a priority or type change is not a title change').to.deep.equal([]);

    await alice.hx('post', '/tickets/1001/title', { title: 'Printer jams again' });
    await drainJobs();
    expect((await runs(f.acme.id)).map((r) => [r.rule, r.event, r.outcome])).to.deep.equal([
      ['Retitled', 'ticket.title_changed', 'applied'], ['Also retitled', 'ticket.title_changed', 'applied'],
    ]);
    expect(await sql('select priority, status, type from tickets where id = $1', [ticket.id]), 'On status did not run').to.deep.equal([{ priority: 'high', status: 'pending', type: 'request' }]);
    expect(await sql('select id from ticket_rule_events'), 'the rules\' changes were not even queued').to.deep.equal([]);
  });

  it('is tried on a ticket by the dry run like any other trigger', async () => {
    const ruleId = await makeRule(f.acme.id, { name: 'Retitled', trigger: 'title_changed', conditions: [['title', 'ends_with', 'AGAIN']], actions: [{ kind: 'set_priority', value: 'high' }] });
    const ticket = await openAs(f.acme.id, { contact: 'mario@rossi.test' }, 'Printer jams again ');
    const result = await inTenant(f.acme.id, async (em) => testRule(em, await em.findOneOrFail(TicketRule, { id: ruleId }), await em.findOneOrFail(Ticket, { id: ticket.id })));
    expect(result.matched).to.equal(true);
    expect(result.actions).to.deep.equal([{ kind: 'set_priority', result: 'would_apply', detail: 'high' }]);
    expect(await sql('select id from ticket_rule_runs')).to.have.length(0);
  });
});
