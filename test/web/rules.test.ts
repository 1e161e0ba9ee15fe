import { expect } from 'chai';
import { loadFixtures, signIn, speakItalian, sql, type Browser, type Fixtures } from '../support/index.js';
import { makeTicket } from '../support/records.js';

/** The id of acme's record named so. */
async function acmeId(table: string, name: string): Promise<number> {
  const [row] = await sql<{ id: number }>(`select x.id from ${table} x join tenants n on n.id = x.tenant_id where n.slug = 'acme' and x.name = $1`, [name]);
  return row.id;
}

async function globexId(table: string): Promise<number> {
  const [row] = await sql<{ id: number }>(`select x.id from ${table} x join tenants n on n.id = x.tenant_id where n.slug = 'globex' order by x.id limit 1`);
  return row.id;
}

/** Adds a rule through Add New Rule and answers its id. */
async function addRule(alice: Browser, form: Record<string, string>): Promise<number> {
  const res = await alice.post('/admin/rules', { trigger: 'ticket_created', ignoreFlow: 'no', active: 'no', ...form });
  expect(res.status, res.text).to.equal(303);
  const id = Number(String(res.headers.location).split('/').pop());
  expect(res.headers.location).to.equal(`/admin/rules/${id}`);
  return id;
}

/** Everything a rule is made of, to show a refusal changed nothing. */
async function ruleTables() {
  return {
    rules: await sql('select * from ticket_rules order by id'),
    conditions: await sql('select * from ticket_rule_conditions order by id'),
    actions: await sql('select * from ticket_rule_actions order by id'),
  };
}

describe('Admin > Ticket Automation Rules', () => {
  let fx: Fixtures;
  let alice: Browser;
  beforeEach(async () => {
    fx = await loadFixtures();
    alice = await signIn('alice');
  });

  it('lists the rules in order with their trigger, active state, applied in 30 days and last applied, and says how order and Ignore Flow work', async () => {
    const first = await addRule(alice, { name: 'Portal credentials', active: 'yes', ignoreFlow: 'yes' });
    const second = await addRule(alice, { name: 'Nudge', trigger: 'ticket_unanswered', triggerHours: '24' });
    await makeTicket(fx.acme, fx.contacts.mario.customer.id, fx.contacts.mario.id, 1001);
    const [ticket] = await sql<{ id: number }>('select id from tickets where number = 1001 and tenant_id = $1', [fx.acme.id]);
    for (const [outcome, age] of [['applied', '1 day'], ['partly_applied', '2 days'], ['not_matched', '1 hour'], ['applied', '40 days']]) {
      await sql(`insert into ticket_rule_runs (tenant_id, rule_id, ticket_id, event, outcome, created_at) values ($1, $2, $3, 'ticket.created', $4, now() - $5::interval)`,
        [fx.acme.id, first, ticket.id, outcome, age]);
    }
    const page = await alice.get('/admin/rules');
    expect(page.status).to.equal(200);
    expect(page.text).to.contain('Ticket Automation Rules').and.contain('Add New Rule')
      .and.contain('The first rule is dominant').and.contain('Ignore Flow: Yes applies its actions whatever the rules above it have done');
    const rows = page.text.split('<tr id="rule-').slice(1);
    const mine = rows.filter((r) => r.startsWith(`${first}"`) || r.startsWith(`${second}"`));
    expect(mine).to.have.length(2);
    expect(rows.findIndex((r) => r.startsWith(`${first}"`))).to.be.lessThan(rows.findIndex((r) => r.startsWith(`${second}"`)));
    const [one, two] = mine;
    expect(one).to.contain('Portal credentials').and.contain('New Ticket Created').and.contain('Ignores the flow')
      .and.match(/<span class="badge resolved">Yes<\/span>/).and.contain('Deactivate');
    // Applied in the last 30 days counts the applied and partly applied runs of the last 30 days; the last applied is a day ago.
    expect(one).to.match(/<td>2<\/td>/);
    expect(one).to.match(/<time datetime="[^"]+">/);
    expect(two).to.contain('Nudge').and.contain('Ticket Unanswered For 24 hours').and.match(/<span class="badge">No<\/span>/)
      .and.contain('Activate').and.match(/<td>0<\/td>/).and.contain('Never');
    expect(page.text).to.contain('href="/admin/rules"').and.contain('/public/rules.js').and.contain('/vendor/sortable.min.js');
  });

  it('adds a rule through Add New Rule: a modal with htmx, a page without', async () => {
    const modal = await alice.hx('get', '/admin/rules/new');
    expect(modal.status).to.equal(200);
    expect(modal.text).to.contain('role="dialog"').and.contain('Add Rule').and.contain('name="ignoreFlow"').and.contain('name="active"')
      .and.contain('hx-post="/admin/rules"').and.not.contain('<html');
    const page = await alice.get('/admin/rules/new');
    expect(page.text).to.contain('<html').and.contain('method="post" action="/admin/rules"').and.not.contain('role="dialog"');

    const created = await alice.hx('post', '/admin/rules', { name: 'Portal credentials', description: 'Sends the credentials', trigger: 'ticket_created', ignoreFlow: 'yes', active: 'yes' });
    expect(created.status).to.equal(204);
    const [rule] = await sql<{ id: number; name: string; description: string; trigger: string; ignore_flow: boolean; active: boolean; position: number }>(
      "select * from ticket_rules where name = 'Portal credentials'");
    expect(created.headers['hx-redirect']).to.equal(`/admin/rules/${rule.id}`);
    expect(rule).to.include({ description: 'Sends the credentials', trigger: 'ticket_created', ignore_flow: true, active: true });
    const [{ max }] = await sql<{ max: number }>('select max(position) as max from ticket_rules where tenant_id = $1', [fx.acme.id]);
    expect(rule.position).to.equal(max);
    const show = await alice.get(`/admin/rules/${rule.id}`);
    expect(show.text).to.contain('Rule “Portal credentials” added').and.contain('Conditions').and.contain('Actions').and.contain('Test this rule on ticket #');
  });

  it('refuses a rule without a name or a trigger, or with the time trigger and no hours: 422 in the modal, input kept, nothing saved', async () => {
    const before = await ruleTables();
    const modal = await alice.hx('post', '/admin/rules', { name: '', description: 'Kept text', trigger: 'whenever', ignoreFlow: 'yes', active: 'yes' });
    expect(modal.status).to.equal(422);
    expect(modal.text).to.contain('role="dialog"').and.contain('Name is required').and.contain('Choose a trigger from the list')
      .and.contain('Kept text').and.contain('value="yes" checked');
    const page = await alice.post('/admin/rules', { name: 'Nudge', trigger: 'ticket_unanswered', triggerHours: '0' });
    expect(page.status).to.equal(422);
    expect(page.text).to.contain('<html').and.contain('Enter a whole number of hours from 1 to 8760').and.contain('value="Nudge"');
    const long = await alice.post('/admin/rules', { name: 'x'.repeat(201), trigger: 'ticket_created' });
    expect(long.status).to.equal(422);
    expect(long.text).to.contain('Name must be at most 200 characters');
    expect(await ruleTables()).to.deep.equal(before);
  });

  it('edits a rule’s details, and refuses bad ones keeping the input', async () => {
    const id = await addRule(alice, { name: 'Nudge' });
    const saved = await alice.post(`/admin/rules/${id}`, { name: 'Nudge after a day', description: '', trigger: 'ticket_unanswered', triggerHours: '24', ignoreFlow: 'no', active: 'yes' });
    expect(saved.status).to.equal(303);
    const [row] = await sql<{ name: string; trigger: string; trigger_hours: number; active: boolean }>('select * from ticket_rules where id = $1', [id]);
    expect(row).to.include({ name: 'Nudge after a day', trigger: 'ticket_unanswered', trigger_hours: 24, active: true });
    const refused = await alice.post(`/admin/rules/${id}`, { name: '', trigger: 'ticket_created' });
    expect(refused.status).to.equal(422);
    expect(refused.text).to.contain('Name is required').and.contain('Nothing was saved');
    expect((await sql<{ name: string }>('select name from ticket_rules where id = $1', [id]))[0].name).to.equal('Nudge after a day');
  });

  it('adds, changes and removes conditions, each row on its own, refusing an operator or value that does not fit', async () => {
    const id = await addRule(alice, { name: 'Portal credentials' });
    const added = await alice.hx('post', `/admin/rules/${id}/conditions`, { property: 'title', operator: 'equals', value: '  [Portal Credentials] ' });
    expect(added.status).to.equal(200);
    expect(added.text).to.contain('id="rule-conditions"').and.contain('value="[Portal Credentials]"').and.contain('New condition');
    const [condition] = await sql<{ id: number; property: string; operator: string; value: unknown }>('select * from ticket_rule_conditions where rule_id = $1', [id]);
    expect(condition).to.include({ property: 'title', operator: 'equals', value: '[Portal Credentials]' });

    const before = await ruleTables();
    const unfit = await alice.hx('post', `/admin/rules/${id}/conditions`, { property: 'status', operator: 'contains', value: 'open' });
    expect(unfit.status).to.equal(422);
    expect(unfit.text).to.contain('“Contains” does not fit Status');
    const badEnum = await alice.hx('post', `/admin/rules/${id}/conditions`, { property: 'priority', operator: 'equals', value: 'urgent' });
    expect(badEnum.status).to.equal(422);
    expect(badEnum.text).to.contain('Choose a value from the list');
    const theirCustomer = await alice.hx('post', `/admin/rules/${id}/conditions`, { property: 'customer', operator: 'is_one_of', values: [String(await globexId('customers'))] });
    expect(theirCustomer.status).to.equal(422);
    expect(theirCustomer.text).to.contain('Choose a value from the list');
    const hours = await alice.post(`/admin/rules/${id}/conditions`, { property: 'hours_since_created', operator: 'greater_than', value: 'a day' });
    expect(hours.status).to.equal(422);
    expect(hours.text).to.contain('<html').and.contain('Enter a number (hours), such as 24').and.contain('value="a day"');
    const empty = await alice.hx('post', `/admin/rules/${id}/conditions/${condition.id}`, { property: 'title', operator: 'contains', value: '   ' });
    expect(empty.status).to.equal(422);
    expect(empty.text).to.contain('Enter the value to compare with');
    expect(await ruleTables()).to.deep.equal(before);

    const rossi = String(fx.customers['Rossi Impianti'].id);
    const oneOf = await alice.hx('post', `/admin/rules/${id}/conditions`, { property: 'customer', operator: 'is_one_of', values: [rossi] });
    expect(oneOf.status).to.equal(200);
    const assignee = await alice.hx('post', `/admin/rules/${id}/conditions`, { property: 'assignee', operator: 'is_empty', value: 'ignored' });
    expect(assignee.status).to.equal(200);
    const rows = await sql<{ property: string; operator: string; value: unknown }>('select property, operator, value from ticket_rule_conditions where rule_id = $1 order by position', [id]);
    expect(rows.slice(1)).to.deep.equal([
      { property: 'customer', operator: 'is_one_of', value: [Number(rossi)] },
      { property: 'assignee', operator: 'is_empty', value: null },
    ]);
    const changed = await alice.hx('post', `/admin/rules/${id}/conditions/${condition.id}`, { property: 'title', operator: 'contains', value: '[Portal Credentials]' });
    expect(changed.status).to.equal(200);
    expect((await sql<{ operator: string }>('select operator from ticket_rule_conditions where id = $1', [condition.id]))[0].operator).to.equal('contains');
    const removed = await alice.post(`/admin/rules/${id}/conditions/${condition.id}/deletion`);
    expect(removed.status).to.equal(303);
    expect(removed.headers.location).to.equal(`/admin/rules/${id}#conditions`);
    expect(await sql('select id from ticket_rule_conditions where id = $1', [condition.id])).to.have.length(0);
  });

  it('answers a condition row with the fields that fit its property and operator', async () => {
    const id = await addRule(alice, { name: 'Pickers' });
    const status = await alice.hx('get', `/admin/rules/${id}/conditions/new?property=status&operator=equals`);
    expect(status.text).to.contain('<option value="pending"').and.contain('Pending').and.not.contain('value="contains"');
    const many = await alice.hx('get', `/admin/rules/${id}/conditions/new?property=priority&operator=is_one_of`);
    expect(many.text).to.contain('type="checkbox" name="values" value="critical"');
    const technician = await alice.hx('get', `/admin/rules/${id}/conditions/new?property=assignee&operator=equals`);
    expect(technician.text).to.contain('Bob Tech').and.not.contain('Gina Admin');
    const empty = await alice.hx('get', `/admin/rules/${id}/conditions/new?property=assignee&operator=is_empty`);
    expect(empty.text).to.not.contain('name="value"');
    const customers = await alice.hx('get', `/admin/rules/${id}/conditions/new?property=customer&operator=equals`);
    expect(customers.text).to.contain('Rossi Impianti').and.not.contain('Springfield');
  });

  it('adds, changes and removes actions, refusing what an action lacks and another workspace’s template or technician', async () => {
    const id = await addRule(alice, { name: 'Portal credentials' });
    const credentials = await acmeId('email_templates', 'Portal credentials');
    const before = await ruleTables();
    const noTemplate = await alice.hx('post', `/admin/rules/${id}/actions`, { kind: 'email_contact', template: '' });
    expect(noTemplate.status).to.equal(422);
    expect(noTemplate.text).to.contain('Choose an email template from the list').and.contain('id="rule-actions"');
    const theirTemplate = await alice.hx('post', `/admin/rules/${id}/actions`, { kind: 'email_contact', template: String(await globexId('email_templates')) });
    expect(theirTemplate.status).to.equal(422);
    expect(theirTemplate.text).to.contain('Choose an email template from the list');
    const theirTechnician = await alice.post(`/admin/rules/${id}/actions`, { kind: 'assign_technician', technician: String(fx.technicians.gina.id) });
    expect(theirTechnician.status).to.equal(422);
    expect(theirTechnician.text).to.contain('Choose an active technician from the list, or round robin');
    const noValue = await alice.hx('post', `/admin/rules/${id}/actions`, { kind: 'set_status', value: '' });
    expect(noValue.status).to.equal(422);
    expect(noValue.text).to.contain('Choose a value from the list');
    const note = await alice.hx('post', `/admin/rules/${id}/actions`, { kind: 'add_note', value: 'Hello {[Favourite Colour]}' });
    expect(note.status).to.equal(422);
    expect(note.text).to.contain('Unknown snippet: {[Favourite Colour]}').and.contain('Hello {[Favourite Colour]}');
    const kind = await alice.hx('post', `/admin/rules/${id}/actions`, { kind: 'launch_rocket' });
    expect(kind.status).to.equal(422);
    expect(kind.text).to.contain('Choose an action from the list');
    expect(await ruleTables()).to.deep.equal(before);

    expect((await alice.hx('post', `/admin/rules/${id}/actions`, { kind: 'email_contact', template: String(credentials) })).status).to.equal(200);
    expect((await alice.hx('post', `/admin/rules/${id}/actions`, { kind: 'assign_technician', technician: 'round_robin' })).status).to.equal(200);
    expect((await alice.hx('post', `/admin/rules/${id}/actions`, { kind: 'add_note', value: 'Sent to {[Contact First Name]}' })).status).to.equal(200);
    const rows = await sql<{ id: number; kind: string; template_id: number | null; technician_id: number | null; value: string | null }>(
      'select id, kind, template_id, technician_id, value from ticket_rule_actions where rule_id = $1 order by position', [id]);
    expect(rows.map(({ id: _, ...r }) => r)).to.deep.equal([
      { kind: 'email_contact', template_id: credentials, technician_id: null, value: null },
      { kind: 'assign_technician', template_id: null, technician_id: null, value: 'round_robin' },
      { kind: 'add_note', template_id: null, technician_id: null, value: 'Sent to {[Contact First Name]}' },
    ]);
    const changed = await alice.hx('post', `/admin/rules/${id}/actions/${rows[1].id}`, { kind: 'assign_technician', technician: String(fx.technicians.bob.id) });
    expect(changed.status).to.equal(200);
    expect(changed.text).to.match(/<option value="\d+" selected>Bob Tech<\/option>/);
    expect((await sql<{ technician_id: number }>('select technician_id from ticket_rule_actions where id = $1', [rows[1].id]))[0].technician_id).to.equal(fx.technicians.bob.id);
    const removed = await alice.hx('post', `/admin/rules/${id}/actions/${rows[2].id}/deletion`);
    expect(removed.status).to.equal(200);
    expect(await sql('select id from ticket_rule_actions where rule_id = $1', [id])).to.have.length(2);
    const page = await alice.get(`/admin/rules/${id}`);
    expect(page.text).to.match(/<option value="\d+" selected>Portal credentials<\/option>/);
  });

  it('reorders with the arrows and by place (the drag), and activates in place', async () => {
    await sql('delete from ticket_rules where tenant_id = $1', [fx.acme.id]); // the shipped rules: this test orders three of its own
    const a = await addRule(alice, { name: 'Rule A' });
    const b = await addRule(alice, { name: 'Rule B' });
    const c = await addRule(alice, { name: 'Rule C' });
    const order = async () => (await sql<{ id: number }>('select id from ticket_rules where tenant_id = $1 order by position, id', [fx.acme.id])).map((r) => r.id).filter((x) => [a, b, c].includes(x));
    const up = await alice.post(`/admin/rules/${c}/position`, { direction: 'up' });
    expect(up.status).to.equal(303);
    expect(up.headers.location).to.equal('/admin/rules');
    expect(await order()).to.deep.equal([a, c, b]);
    const dragged = await alice.hx('post', `/admin/rules/${b}/position`, { position: '1' });
    expect(dragged.status).to.equal(200);
    expect(dragged.text).to.contain('id="rules-list"');
    expect(dragged.text.indexOf('Rule B')).to.be.lessThan(dragged.text.indexOf('Rule A'));
    expect(await order()).to.deep.equal([b, a, c]);
    await alice.post(`/admin/rules/${b}/position`, { direction: 'down' });
    expect(await order()).to.deep.equal([a, b, c]);
    const positions = (await sql<{ position: number }>('select position from ticket_rules where tenant_id = $1 order by position', [fx.acme.id])).map((r) => r.position);
    expect(positions).to.deep.equal(positions.map((_, i) => i + 1));

    const on = await alice.hx('post', `/admin/rules/${a}/activation`, { active: 'yes' });
    expect(on.status).to.equal(200);
    expect(on.text).to.match(new RegExp(`^\\s*<tr id="rule-${a}"`)).and.contain('Deactivate');
    expect((await sql<{ active: boolean }>('select active from ticket_rules where id = $1', [a]))[0].active).to.equal(true);
    const off = await alice.post(`/admin/rules/${a}/activation`, { active: 'no' });
    expect(off.status).to.equal(303);
    expect((await alice.get('/admin/rules')).text).to.contain('Rule “Rule A” is inactive');
    const [audit] = await sql<{ n: number }>("select count(*)::int as n from audit_events where action in ('rule.activated', 'rule.deactivated', 'rule.moved')");
    expect(audit.n).to.equal(5);
  });

  it('tests a rule on a ticket: which conditions hold and what each action would do, changing nothing', async () => {
    const id = await addRule(alice, { name: 'Portal credentials', active: 'yes' });
    await alice.hx('post', `/admin/rules/${id}/conditions`, { property: 'title', operator: 'equals', value: '[Portal Credentials]' });
    await alice.hx('post', `/admin/rules/${id}/conditions`, { property: 'priority', operator: 'is_one_of', values: ['medium', 'high'] });
    await alice.hx('post', `/admin/rules/${id}/actions`, { kind: 'email_contact', template: String(await acmeId('email_templates', 'Portal credentials')) });
    await alice.hx('post', `/admin/rules/${id}/actions`, { kind: 'set_priority', value: 'high' });
    await makeTicket(fx.acme, fx.contacts.mario.customer.id, fx.contacts.mario.id, 1001, ' [portal credentials] ');
    await makeTicket(fx.acme, fx.contacts.mario.customer.id, fx.contacts.mario.id, 1002, '[Portal Credentials] please');
    const everything = async () => ({
      tickets: await sql('select * from tickets order by id'), events: await sql('select * from ticket_events order by id'),
      mail: await sql('select * from outbound_emails order by id'), runs: await sql('select * from ticket_rule_runs order by id'),
      queue: await sql('select * from ticket_rule_events order by id'), sends: await sql('select * from ticket_rule_sends order by id'),
      contacts: await sql('select * from contacts order by id'),
    });
    const before = await everything();

    const matched = await alice.hx('post', `/admin/rules/${id}/test`, { ticket: '#1001' });
    expect(matched.status).to.equal(200);
    expect(matched.text).to.contain('On ticket #1001 the conditions hold: the rule would apply')
      .and.contain('Ticket title Equals <em>[Portal Credentials]</em>: <strong>holds</strong>')
      .and.contain('Priority Is one of <em>Medium, High</em>: <strong>holds</strong>')
      .and.contain('Send an Email to the Contact: <strong>would apply</strong>')
      .and.contain('Set priority: <strong>would apply</strong>');
    const missed = await alice.post(`/admin/rules/${id}/test`, { ticket: '1002' });
    expect(missed.status).to.equal(200);
    expect(missed.text).to.contain('<html').and.contain('the conditions do not all hold')
      .and.contain('<strong>does not hold</strong>').and.contain('the ticket has: [Portal Credentials] please');
    const unknown = await alice.hx('post', `/admin/rules/${id}/test`, { ticket: '5001' });
    expect(unknown.status).to.equal(422);
    expect(unknown.text).to.contain('There is no ticket #5001 in this workspace').and.contain('value="5001"');
    expect(await everything()).to.deep.equal(before);
  });

  it('shows a rule’s runs on its page and on the ticket’s history', async () => {
    const id = await addRule(alice, { name: 'Portal credentials', active: 'yes' });
    await makeTicket(fx.acme, fx.contacts.mario.customer.id, fx.contacts.mario.id, 1001, 'Printer');
    const [ticket] = await sql<{ id: number }>('select id from tickets where number = 1001 and tenant_id = $1', [fx.acme.id]);
    await sql(`insert into ticket_rule_runs (tenant_id, rule_id, ticket_id, event, outcome, actions) values ($1, $2, $3, 'ticket.created', 'partly_applied', $4)`, [fx.acme.id, id, ticket.id, JSON.stringify([
      { kind: 'email_contact', result: 'applied', detail: 'mario@rossi.test' },
      { kind: 'set_priority', result: 'skipped', reason: 'ruleEngine.reason.overridden', params: { rule: 'Triage' } },
    ])]);
    await sql(`insert into ticket_rule_runs (tenant_id, rule_id, ticket_id, event, outcome) values ($1, $2, $3, 'ticket.status_changed', 'not_matched')`, [fx.acme.id, id, ticket.id]);
    // A ticket event its conditions missed: one row for the event, naming every rule that missed it.
    await makeTicket(fx.acme, fx.contacts.mario.customer.id, fx.contacts.mario.id, 1002, 'Scanner');
    const [other] = await sql<{ id: number }>('select id from tickets where number = 1002 and tenant_id = $1', [fx.acme.id]);
    await sql(`insert into ticket_rule_misses (tenant_id, ticket_id, event, rule_ids) values ($1, $2, 'ticket.created', array[$3::int + 1000, $3::int])`, [fx.acme.id, other.id, id]);
    const rule = await alice.get(`/admin/rules/${id}`);
    expect(rule.text).to.contain('href="/tickets/1002"');
    expect(rule.text.match(/Conditions not met/g)).to.have.length(2);
    expect(rule.text).to.contain('Recent runs').and.contain('href="/tickets/1001"').and.contain('Partly applied').and.contain('Conditions not met')
      .and.contain('Send an Email to the Contact: <strong>applied</strong> (mario@rossi.test)')
      .and.contain('Set priority: <strong>skipped</strong> — Overridden by rule Triage');
    const page = await alice.get('/tickets/1001');
    expect(page.text).to.contain('Automation rules').and.contain(`href="/admin/rules/${id}">Portal credentials</a>`)
      .and.contain('Overridden by rule Triage').and.not.contain('Conditions not met');
  });

  it('deletes a rule, is for admins only, and answers another workspace’s rule with a 404', async () => {
    const id = await addRule(alice, { name: 'Short-lived' });
    await alice.hx('post', `/admin/rules/${id}/conditions`, { property: 'title', operator: 'is_not_empty' });
    const deleted = await alice.post(`/admin/rules/${id}/deletion`);
    expect(deleted.status).to.equal(303);
    expect(await sql('select id from ticket_rules where id = $1', [id])).to.have.length(0);
    expect(await sql('select id from ticket_rule_conditions where rule_id = $1', [id])).to.have.length(0);
    const bob = await signIn('bob');
    expect((await bob.get('/admin/rules')).status).to.equal(403);
    expect((await bob.post('/admin/rules', { name: 'Sneaky', trigger: 'ticket_created' })).status).to.equal(403);
    const [theirs] = await sql<{ id: number }>(`insert into ticket_rules (tenant_id, position, name, trigger) values ($1, 1, 'Globex secret rule', 'ticket_created') returning id`, [fx.globex.id]);
    const other = await alice.get(`/admin/rules/${theirs.id}`);
    expect(other.status).to.equal(404);
    expect(other.text).to.not.contain('Globex secret rule');
    expect((await alice.post(`/admin/rules/${theirs.id}/activation`, { active: 'yes' })).status).to.equal(404);
    expect((await sql<{ active: boolean }>('select active from ticket_rules where id = $1', [theirs.id]))[0].active).to.equal(false);
  });

  it('speaks the article’s Italian, with the IT edition’s own words for its users', async () => {
    await speakItalian('acme');
    const list = await alice.get('/admin/rules');
    expect(list.text).to.contain('<html lang="it"').and.contain('Regole di automazione dei ticket').and.contain('Aggiungi Nuova Regola')
      .and.contain('Nuovo Ticket Creato').and.contain('Ignora Flusso: Sì');
    const modal = await alice.hx('get', '/admin/rules/new');
    expect(modal.text).to.contain('Aggiungi Regola').and.contain('Ignora Flusso').and.contain('Attivo').and.contain('>Sì<').and.contain('>Aggiungi<');
    const id = await addRule(alice, { name: 'Credenziali' });
    const page = await alice.get(`/admin/rules/${id}`);
    expect(page.text).to.contain('Proprietà del Ticket').and.contain('Titolo del Ticket').and.contain('Uguale a').and.contain('Valore Atteso')
      .and.contain('Tipo di Azione').and.contain('Invia un&#39;Email al Contatto').and.contain('Prova questa regola sul ticket n.');

    await speakItalian('globex');
    const gina = await signIn('gina');
    const [rule] = await sql<{ id: number }>('select id from ticket_rules where tenant_id = $1 order by position limit 1', [fx.globex.id]);
    const theirs = await gina.get(`/admin/rules/${rule.id}`);
    expect(theirs.status).to.equal(200);
    expect(theirs.text).to.contain('Invia un&#39;Email all&#39;Utente').and.contain('Risposta dell&#39;Utente').and.contain('Nome del Sito');
  });
});
