// Rule runs are kept 90 days; sends (the hourly cap's count) a day; an event that failed
// every attempt as long as runs.
import { expect } from 'chai';
import { loadFixtures, sql, type Fixtures } from '../support/index.js';
import { makeRule, openAs, runPeriodicJob } from './rules-support.js';

describe('Pruning rule runs', () => {
  let f: Fixtures;
  beforeEach(async () => { f = await loadFixtures(); });

  it('deletes runs (and misses) older than 90 days and sends older than a day, daily, in every workspace', async () => {
    const rule = await makeRule(f.acme.id, { name: 'Note', active: false });
    const ticket = await openAs(f.acme.id, { contact: 'mario@rossi.test' }, 'Printer jams');
    for (const days of [89, 91]) {
      await sql(`insert into ticket_rule_runs (tenant_id, rule_id, ticket_id, event, outcome, created_at) values ($1, $2, $3, 'ticket.created', 'applied', now() - make_interval(days => $4))`, [f.acme.id, rule, ticket.id, days]);
      await sql(`insert into ticket_rule_misses (tenant_id, ticket_id, event, rule_ids, created_at) values ($1, $2, 'ticket.created', array[$3::int], now() - make_interval(days => $4))`, [f.acme.id, ticket.id, rule, days]);
    }
    for (const hours of [2, 25]) {
      await sql(`insert into ticket_rule_sends (tenant_id, rule_id, recipient, sent_at) values ($1, $2, 'mario@rossi.test', now() - make_interval(hours => $3))`, [f.acme.id, rule, hours]);
    }
    await sql(`insert into ticket_rule_events (tenant_id, ticket_id, type, attempts, created_at) values ($1, $2, 'ticket.created', 3, now() - interval '91 days'), ($1, $2, 'ticket.created', 3, now() - interval '1 day')`, [f.acme.id, ticket.id]);
    await runPeriodicJob('ticket-rules-prune');
    expect((await sql<{ days: number }>('select round(extract(epoch from now() - created_at) / 86400)::int as days from ticket_rule_runs')).map((r) => r.days)).to.deep.equal([89]);
    expect((await sql<{ days: number }>('select round(extract(epoch from now() - created_at) / 86400)::int as days from ticket_rule_misses')).map((r) => r.days)).to.deep.equal([89]);
    expect((await sql<{ hours: number }>('select round(extract(epoch from now() - sent_at) / 3600)::int as hours from ticket_rule_sends')).map((r) => r.hours)).to.deep.equal([2]);
    expect(await sql('select id from ticket_rule_events')).to.have.length(1);
  });
});
