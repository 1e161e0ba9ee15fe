// Order and Ignore Flow, as the article states them: active rules run in the listed
// order and the first is dominant — a later rule's action on what an earlier one
// already took (the same field, an email to the same person) is skipped as
// "overridden by rule X" — unless the later rule has Ignore Flow: Yes.
import { expect } from 'chai';
import { drainJobs, h, loadFixtures, signIn, sql, type Fixtures } from '../support/index.js';
import { makeRule, openAs, runs, type RuleSpec, withoutNotifications } from './rules-support.js';

interface Case {
  title: string;
  rules: RuleSpec[];
  /** Per rule in order: its outcome and, per action, applied or the rule that overrode it. */
  expected: Array<[string, Array<string>]>;
  ticket: { priority?: string; status?: string; type?: string };
  emails?: string[];
}

const P = (value: string) => ({ kind: 'set_priority' as const, value });
const S = (value: string) => ({ kind: 'set_status' as const, value });
const T = (value: string) => ({ kind: 'set_type' as const, value });
const MAIL = (template: string) => ({ kind: 'email_contact' as const, template });

const CASES: Case[] = [
  { title: 'two conflicting rules: the first is dominant',
    rules: [{ name: 'A', actions: [P('high')] }, { name: 'B', actions: [P('low')] }],
    expected: [['applied', ['applied']], ['skipped', ['overridden by A']]], ticket: { priority: 'high' } },
  { title: 'the later one ignores the flow: both apply, the later value stands',
    rules: [{ name: 'A', actions: [P('high')] }, { name: 'B', ignoreFlow: true, actions: [P('low')] }],
    expected: [['applied', ['applied']], ['applied', ['applied']]], ticket: { priority: 'low' } },
  { title: 'the first ignores the flow: that changes nothing for it, the second is still overridden',
    rules: [{ name: 'A', ignoreFlow: true, actions: [P('high')] }, { name: 'B', actions: [P('low')] }],
    expected: [['applied', ['applied']], ['skipped', ['overridden by A']]], ticket: { priority: 'high' } },
  { title: 'three rules, the middle one ignoring the flow: the third is overridden by the one whose value stands',
    rules: [{ name: 'A', actions: [P('high')] }, { name: 'B', ignoreFlow: true, actions: [P('low')] }, { name: 'C', actions: [P('critical')] }],
    expected: [['applied', ['applied']], ['applied', ['applied']], ['skipped', ['overridden by B']]], ticket: { priority: 'low' } },
  { title: 'three rules on different fields: only the conflicting action is skipped',
    rules: [
      { name: 'A', actions: [P('high'), S('pending')] },
      { name: 'B', actions: [S('resolved'), T('incident')] },
      { name: 'C', ignoreFlow: true, actions: [P('low'), T('problem')] },
    ],
    expected: [['applied', ['applied', 'applied']], ['partly_applied', ['overridden by A', 'applied']], ['applied', ['applied', 'applied']]],
    ticket: { priority: 'low', status: 'pending', type: 'problem' } },
  { title: 'emails to the same person: the second is overridden, one ignoring the flow is sent',
    rules: [{ name: 'A', actions: [MAIL('Ticket received')] }, { name: 'B', actions: [MAIL('Portal credentials')] }, { name: 'C', ignoreFlow: true, actions: [MAIL('Portal credentials')] }],
    expected: [['applied', ['applied']], ['skipped', ['overridden by A']], ['applied', ['applied']]],
    ticket: {}, emails: ['[#1001] We received your request: Printer jams', 'Your Customer Portal credentials'] },
  { title: 'a field already so is still the first rule\'s',
    rules: [{ name: 'A', actions: [P('medium')] }, { name: 'B', actions: [P('high')] }],
    expected: [['skipped', ['already']], ['skipped', ['overridden by A']]], ticket: { priority: 'medium' } },
];

describe('Order and Ignore Flow', () => {
  let f: Fixtures;
  beforeEach(async () => { f = await loadFixtures(); await withoutNotifications(); });

  for (const c of CASES) {
    it(c.title, async () => {
      for (const rule of c.rules) await makeRule(f.acme.id, rule);
      const ticket = await openAs(f.acme.id, { contact: 'mario@rossi.test' }, 'Printer jams');
      await drainJobs();
      const got = (await runs(f.acme.id)).map((r) => [r.outcome, r.actions.map((a) => {
        if (a.result === 'applied') return 'applied';
        if (a.reason === 'ruleEngine.reason.overridden') return `overridden by ${a.params?.rule}`;
        if (a.reason === 'ruleEngine.reason.alreadySet') return 'already';
        return `${a.result}: ${a.reason}`;
      })]);
      expect(got).to.deep.equal(c.expected);
      const [row] = await sql<Record<string, string>>('select priority, status, type from tickets where id = $1', [ticket.id]);
      expect(row).to.deep.include(c.ticket);
      expect(h().mail.messages.map((m) => m.subject)).to.deep.equal(c.emails ?? []);
    });
  }

  it('records a rule\'s changes as the rule\'s in the ticket\'s history', async () => {
    await makeRule(f.acme.id, { name: 'Escalate VPN', actions: [P('critical')] });
    await openAs(f.acme.id, { contact: 'mario@rossi.test' }, 'VPN down');
    await drainJobs();
    expect(await sql('select actor_kind, actor_name, field, from_value, to_value from ticket_events where field = $1', ['priority'])).to.deep.equal([
      { actor_kind: 'rule', actor_name: 'Escalate VPN', field: 'priority', from_value: 'medium', to_value: 'critical' },
    ]);
    const page = await (await signIn('bob')).get('/tickets/1001');
    expect(page.text).to.contain('<strong>Rule Escalate VPN</strong>');
  });
});
