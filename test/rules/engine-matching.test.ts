// Which tickets a rule's conditions take: text without regard to case, surrounding
// spaces or Unicode normal form; contains is not equals; enumerations, records and
// numbers by their own operators; inactive rules never run.
import { expect } from 'chai';
import { evaluateConditions } from '../../src/domain/rule/conditions.js';
import type { TicketFacts } from '../../src/domain/rule/facts.js';
import { drainJobs, loadFixtures, sql, type Fixtures } from '../support/index.js';
import { makeRule, openAs, runs } from './rules-support.js';

describe('Matching rules', () => {
  let f: Fixtures;
  beforeEach(async () => { f = await loadFixtures(); });

  it('takes the title in another case, with spaces around, or in another Unicode form; [Portal Credentials] please matches contains, not equals', async () => {
    await makeRule(f.acme.id, { name: 'Equals', conditions: [['title', 'equals', '[Portal Credentials]']], actions: [{ kind: 'add_note', value: 'equals matched' }] });
    await makeRule(f.acme.id, { name: 'Contains', conditions: [['title', 'contains', ' [portal CREDENTIALS] ']], actions: [{ kind: 'add_note', value: 'contains matched' }] });
    const titles = ['[portal credentials]', '   [Portal Credentials]   ', '［Portal Credentials］', '[Portal Credentials] please', 'Portal Credentials'];
    for (const title of titles) await openAs(f.acme.id, { contact: 'mario@rossi.test' }, title);
    await drainJobs();
    const notes = await sql<{ title: string; body: string }>(
      "select t.title, m.body from ticket_messages m join tickets t on t.id = m.ticket_id where m.author_kind = 'system' order by t.id, m.id");
    expect(notes.map((n) => [n.title, n.body])).to.deep.equal([
      ['[portal credentials]', 'equals matched'], ['[portal credentials]', 'contains matched'],
      ['[Portal Credentials]', 'equals matched'], ['[Portal Credentials]', 'contains matched'],
      ['［Portal Credentials］', 'equals matched'], ['［Portal Credentials］', 'contains matched'],
      ['[Portal Credentials] please', 'contains matched'],
    ]);
    expect((await runs(f.acme.id)).filter((r) => r.rule === 'Equals').map((r) => r.outcome)).to.deep.equal(['applied', 'applied', 'applied', 'not_matched', 'not_matched']);
  });

  it('never runs an inactive rule', async () => {
    await makeRule(f.acme.id, { name: 'Off', active: false, actions: [{ kind: 'set_priority', value: 'critical' }] });
    await makeRule(f.acme.id, { name: 'On', actions: [{ kind: 'add_note', value: 'seen' }] });
    const ticket = await openAs(f.acme.id, { contact: 'mario@rossi.test' }, 'Printer jams');
    await drainJobs();
    expect((await runs(f.acme.id)).map((r) => r.rule)).to.deep.equal(['On']);
    expect((await sql<{ priority: string }>('select priority from tickets where id = $1', [ticket.id]))[0].priority).to.equal('medium');
  });

  it('follows a rule edited between two events: the rules kept in memory are read again (their version moved)', async () => {
    const id = await makeRule(f.acme.id, { name: 'Noter', actions: [{ kind: 'add_note', value: 'first wording' }] });
    await openAs(f.acme.id, { contact: 'mario@rossi.test' }, 'One');
    await drainJobs();
    await sql("update ticket_rule_actions set value = 'second wording' where rule_id = $1", [id]);
    await openAs(f.acme.id, { contact: 'mario@rossi.test' }, 'Two');
    await drainJobs();
    await sql('update ticket_rules set active = false where id = $1', [id]);
    await sql("insert into ticket_rule_events (tenant_id, ticket_id, type, payload) select tenant_id, id, 'ticket.created', '{}' from tickets where title = 'Two'");
    await drainJobs();
    const notes = await sql<{ title: string; body: string }>("select t.title, m.body from ticket_messages m join tickets t on t.id = m.ticket_id where m.author_kind = 'system' order by m.id");
    expect(notes).to.deep.equal([{ title: 'One', body: 'first wording' }, { title: 'Two', body: 'second wording' }]);
  });

  describe('each kind of property with its operators', () => {
    const facts: TicketFacts = {
      ticketId: 1, number: 1001, title: 'VPN down', description: 'Since this morning', status: 'open', priority: 'high', type: 'incident', source: 'email',
      customerId: 7, customerName: 'Rossi Impianti', contactId: 3, contactName: 'Mario Rossi', contactEmail: 'mario@rossi.test', contactLanguage: null,
      supportAddress: 'support@acme.test', assigneeId: null, assigneeName: null, assigneeEmail: null, lastContactComment: 'Still down',
      automatic: false, createdAt: new Date('2026-12-01T08:00:00Z'),
    };
    const now = new Date('2026-12-01T13:30:00Z');
    const holds = (property: string, operator: string, value: unknown) =>
      evaluateConditions([{ property, operator, value } as never], facts, now).matched;
    const table: Array<[string, string, unknown, boolean]> = [
      ['contact_email_domain', 'equals', 'ROSSI.test', true],
      ['contact_email', 'ends_with', '@rossi.test', true],
      ['support_address', 'starts_with', 'sales@', false],
      ['description', 'not_contains', 'evening', true],
      ['last_contact_comment', 'is_not_empty', null, true],
      ['customer_name', 'not_equals', 'rossi impianti', false],
      ['priority', 'is_one_of', ['high', 'critical'], true],
      ['priority', 'equals', 'HIGH', false],
      ['status', 'not_equals', 'closed', true],
      ['source', 'equals', 'email', true],
      ['customer', 'equals', 7, true],
      ['customer', 'is_one_of', ['8', '9'], false],
      ['assignee', 'is_empty', null, true],
      ['hours_since_created', 'greater_than', 4, true],
      ['hours_since_created', 'less_than', 5, false],
      ['hours_since_created', 'equals', 5, true],
      // An operator that does not fit its property never holds.
      ['priority', 'contains', 'hi', false],
    ];
    for (const [property, operator, value, expected] of table) {
      it(`${property} ${operator} ${JSON.stringify(value)} → ${expected}`, () => {
        expect(holds(property, operator, value)).to.equal(expected);
      });
    }
  });
});
