// Test this rule on ticket #…: a dry run says which conditions hold and what each
// action would do, and changes nothing.
import { expect } from 'chai';
import { inTenant } from '../../src/db/unit-of-work.js';
import { testRule } from '../../src/domain/rule/engine.js';
import { TicketRule } from '../../src/domain/rule/rule.js';
import { Ticket } from '../../src/domain/ticket/ticket.js';
import { loadFixtures, sql, type Fixtures } from '../support/index.js';
import { makeRule, openAs, withoutNotifications } from './rules-support.js';

describe('Testing a rule on a ticket', () => {
  let f: Fixtures;
  beforeEach(async () => { f = await loadFixtures(); await withoutNotifications(); });

  async function dryRun(ruleId: number, ticketId: number) {
    return inTenant(f.acme.id, async (em) => {
      const rule = await em.findOneOrFail(TicketRule, { id: ruleId });
      const ticket = await em.findOneOrFail(Ticket, { id: ticketId });
      return testRule(em, rule, ticket);
    });
  }

  it('shows which conditions hold and what the actions would do, changing nothing', async () => {
    const ruleId = await makeRule(f.acme.id, {
      name: 'Credentials on request',
      conditions: [['title', 'equals', '[Portal Credentials]'], ['customer_name', 'contains', 'rossi']],
      actions: [{ kind: 'email_contact', template: 'Portal credentials' }, { kind: 'set_priority', value: 'high' }],
    });
    const ticket = await openAs(f.acme.id, { contact: 'mario@rossi.test' }, '  [portal credentials] ');
    const result = await dryRun(ruleId, ticket.id);
    expect(result.matched).to.equal(true);
    expect(result.conditions.map((c) => [c.property, c.held, c.actual])).to.deep.equal([
      ['title', true, '[portal credentials]'], ['customer_name', true, 'Rossi Impianti'],
    ]);
    expect(result.actions).to.deep.equal([
      { kind: 'email_contact', result: 'would_apply', detail: 'mario@rossi.test' },
      { kind: 'set_priority', result: 'would_apply', detail: 'high' },
    ]);
    expect(await sql('select id from outbound_emails')).to.have.length(0);
    expect(await sql('select id from ticket_rule_runs')).to.have.length(0);
    expect((await sql<{ priority: string }>('select priority from tickets where id = $1', [ticket.id]))[0].priority).to.equal('medium');
  });

  it('says a condition does not hold, and why an action would be skipped', async () => {
    const ruleId = await makeRule(f.acme.id, {
      name: 'Exact title', active: false,
      conditions: [['title', 'equals', '[Portal Credentials]']],
      actions: [{ kind: 'set_priority', value: 'medium' }, { kind: 'email_assignee', template: 'Portal credentials' }],
    });
    const ticket = await openAs(f.acme.id, { contact: 'mario@rossi.test' }, '[Portal Credentials] please');
    const result = await dryRun(ruleId, ticket.id);
    expect(result.matched).to.equal(false);
    expect(result.conditions[0].held).to.equal(false);
    expect(result.actions.map((a) => [a.result, a.reason])).to.deep.equal([
      ['skipped', 'ruleEngine.reason.alreadySet'], ['skipped', 'ruleEngine.reason.noAssignee'],
    ]);
  });
});
