// What each action does: round robin among active technicians, emails to the assigned
// technician and to all technicians (Auto-Submitted, a contact's credentials never in a
// technician's mailbox), and an internal note with its snippets.
import { expect } from 'chai';
import { drainJobs, h, loadFixtures, sql, type Fixtures } from '../support/index.js';
import { makeRule, openAs, runs, withoutNotifications } from './rules-support.js';

describe('Rule actions', () => {
  let f: Fixtures;
  beforeEach(async () => { f = await loadFixtures(); await withoutNotifications(); });

  it('assigns round robin among active technicians, skipping an inactive one', async () => {
    await makeRule(f.acme.id, { name: 'Share the work', actions: [{ kind: 'assign_technician', value: 'round_robin' }] });
    await sql("insert into technicians (tenant_id, email, name, role, active) values ($1, 'carl@acme.test', 'Carl Gone', 'technician', false)", [f.acme.id]);
    for (const title of ['One', 'Two', 'Three']) await openAs(f.acme.id, { contact: 'mario@rossi.test' }, title);
    await drainJobs();
    const assigned = await sql<{ title: string; name: string }>('select t.title, a.name from tickets t join technicians a on a.id = t.assignee_id order by t.id');
    expect(assigned.map((r) => `${r.title}: ${r.name}`)).to.deep.equal(['One: Alice Admin', 'Two: Bob Tech', 'Three: Alice Admin']);
    expect(await sql("select actor_kind, actor_name, to_value from ticket_events where field = 'assignee' order by id")).to.deep.equal([
      { actor_kind: 'rule', actor_name: 'Share the work', to_value: 'Alice Admin' },
      { actor_kind: 'rule', actor_name: 'Share the work', to_value: 'Bob Tech' },
      { actor_kind: 'rule', actor_name: 'Share the work', to_value: 'Alice Admin' },
    ]);
  });

  it('emails the assigned technician and all technicians, with a contact\'s credential snippets masked', async () => {
    await sql("insert into email_templates (tenant_id, name, subject, body) values ($1, 'Heads-up', 'New ticket #{[Ticket Number]}', 'For {[Technician Name]}: {[Ticket Title]} — {[Portal Password Link]}')", [f.acme.id]);
    await makeRule(f.acme.id, { name: 'Assign', actions: [{ kind: 'assign_technician', technician: 'bob@acme.test' }] });
    await makeRule(f.acme.id, { name: 'Tell the assignee', actions: [{ kind: 'email_assignee', template: 'Heads-up' }] });
    await makeRule(f.acme.id, { name: 'Tell everyone', actions: [{ kind: 'email_all_technicians', template: 'Heads-up' }] });
    await openAs(f.acme.id, { contact: 'mario@rossi.test' }, 'Server down');
    await drainJobs();
    // The ticket had no assignee when the event came: the assignee's email goes to the one the rule before assigned;
    // {[Technician Name]} is the recipient's name.
    const mails = h().mail.messages.map((m) => `${m.to[0]}: ${m.subject} | ${m.text.trim()} | ${m.headers.get('auto-submitted')}`);
    expect(mails).to.deep.equal([
      'bob@acme.test: New ticket #1001 | For Bob Tech: Server down — •••••••• | auto-generated',
      'alice@acme.test: New ticket #1001 | For Alice Admin: Server down — •••••••• | auto-generated',
    ]);
    const all = await runs(f.acme.id);
    expect(all.map((r) => [r.rule, r.outcome])).to.deep.equal([['Assign', 'applied'], ['Tell the assignee', 'applied'], ['Tell everyone', 'partly_applied']]);
    expect(all[2].actions.map((a) => [a.detail, a.result, a.params?.rule])).to.deep.equal([['alice@acme.test', 'applied', undefined], ['bob@acme.test', 'skipped', 'Tell the assignee']]);
    expect(await sql("select id from password_tokens where contact_id is not null"), 'no credential was minted for a technician').to.deep.equal([]);
  });

  it('tells the technician a rule assigns while Ticket assigned to you is on, and nobody once it is off', async () => {
    // The notifications on are read with the event the rules take (from its second event, the rules kept): both paths.
    await sql("update notification_settings set enabled = (kind = 'ticket_assigned') where tenant_id = $1", [f.acme.id]);
    await makeRule(f.acme.id, { name: 'Assign', actions: [{ kind: 'assign_technician', technician: 'bob@acme.test' }] });
    for (const title of ['Server down', 'Printer jams']) {
      await openAs(f.acme.id, { contact: 'mario@rossi.test' }, title);
      await drainJobs();
    }
    expect(h().mail.messages.map((m) => m.to[0])).to.deep.equal(['bob@acme.test', 'bob@acme.test']);
    await sql('update notification_settings set enabled = false where tenant_id = $1', [f.acme.id]);
    await openAs(f.acme.id, { contact: 'mario@rossi.test' }, 'VPN down');
    await drainJobs();
    expect(h().mail.messages).to.have.length(2);
    expect(await sql("select count(*)::int as n from tickets where assignee_id = (select id from technicians where email = 'bob@acme.test')")).to.deep.equal([{ n: 3 }]);
  });

  it('adds an internal note with its snippets, never emailed', async () => {
    await makeRule(f.acme.id, { name: 'Note', actions: [{ kind: 'add_note', value: 'Requester {[Contact Full Name]} of {[Customer Name]}; password {[Portal Password]}' }] });
    await openAs(f.acme.id, { contact: 'mario@rossi.test' }, 'Printer jams');
    await drainJobs();
    expect(await sql("select author_kind, internal, body from ticket_messages")).to.deep.equal([
      { author_kind: 'system', internal: true, body: 'Requester Mario Rossi of Rossi Impianti; password ••••••••' },
    ]);
    expect(h().mail.messages).to.have.length(0);
  });
});
