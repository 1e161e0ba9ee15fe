import { expect } from 'chai';
import { loadFixtures, signIn, sql } from '../support/index.js';

describe('Admin > Email Templates', () => {
  beforeEach(async () => {
    await loadFixtures();
  });

  it('gives every new workspace the default templates, the credentials quick reply and the settings', async () => {
    const names = (await sql<{ name: string; slug: string }>('select t.name, n.slug from email_templates t join tenants n on n.id = t.tenant_id order by n.slug, t.name'));
    expect(names.filter((r) => r.slug === 'acme').map((r) => r.name)).to.deep.equal(['Mentioned in a note (to technicians)', 'New contact welcome', 'New ticket (to technicians)', 'Password reset', 'Portal credentials',
      'Reply to the requester', 'Requester replied (to technicians)', 'Technician reply', 'Ticket assigned (to technicians)', 'Ticket received', 'Ticket resolved']);
    expect(names.filter((r) => r.slug === 'globex').map((r) => r.name)).to.include('New user welcome');
    const [welcome] = await sql<{ body: string }>("select body from email_templates t join tenants n on n.id = t.tenant_id where n.slug = 'globex' and t.name = 'New user welcome'");
    expect(welcome.body).to.contain('{[User First Name]}').and.contain('{[Portal Password Link]}');
    const quick = await sql<{ body: string }>('select body from quick_replies');
    expect(quick[0].body).to.contain('URL : {[Portal Address]}').and.contain('Username : {[Portal Username]}').and.contain('Password : {[Portal Password]}');
    expect(await sql('select * from email_settings')).to.have.length(2);
  });

  it('creates and edits a template with snippets, in the IT edition\'s own words too', async () => {
    const gina = await signIn('gina');
    const list = await gina.get('/admin/email-templates');
    expect(list.status).to.equal(200);
    expect(list.text).to.contain('New user welcome').and.contain('Email Settings › Send an email to a newly added user');
    const form = await gina.get('/admin/email-templates/new');
    expect(form.text).to.contain('data-snippet="{[User First Name]}"').and.contain('data-snippet="{[Site Name]}"')
      .and.contain('/public/snippet-picker.js').and.contain('safer choice');
    const res = await gina.post('/admin/email-templates', { name: 'Hello', subject: 'Hi {[User First Name]}', body: 'Dear {[Contact Full Name]} of {[Site Name]}: {[Portal Password Link]}' });
    expect(res.status).to.equal(303);
    const [row] = await sql<{ id: number; subject: string }>("select id, subject from email_templates where name = 'Hello'");
    expect(row.subject).to.equal('Hi {[User First Name]}');
    const edit = await gina.get(`/admin/email-templates/${row.id}`);
    expect(edit.text).to.contain('Dear {[Contact Full Name]}');
    const updated = await gina.post(`/admin/email-templates/${row.id}`, { name: 'Hello again', subject: 'Hi', body: 'Body' });
    expect(updated.status).to.equal(303);
    expect((await sql<{ name: string }>(`select name from email_templates where id = ${row.id}`))[0].name).to.equal('Hello again');
  });

  it('refuses an unknown snippet and an empty subject with 422, listing the known snippets and keeping the input', async () => {
    const alice = await signIn('alice');
    await alice.get('/admin/email-templates/new');
    const before = await sql('select * from email_templates');
    const res = await alice.post('/admin/email-templates', { name: 'Broken', subject: '', body: 'Hello {[Favourite Colour]} and {[Contact First Name]}' });
    expect(res.status).to.equal(422);
    expect(res.text).to.contain('Subject is required');
    expect(res.text).to.contain('Unknown snippet: {[Favourite Colour]}').and.contain('Known snippets:').and.contain('{[Portal Password Link]}');
    expect(res.text).to.contain('value="Broken"').and.contain('Hello {[Favourite Colour]}');
    // The MSP edition does not take the IT words.
    const it = await alice.post('/admin/email-templates', { name: 'IT words', subject: 'Hi', body: 'Hello {[User First Name]}' });
    expect(it.status).to.equal(422);
    expect(it.text).to.contain('Unknown snippet: {[User First Name]}');
    const duplicate = await alice.post('/admin/email-templates', { name: 'password RESET', subject: 'Hi', body: 'x' });
    expect(duplicate.status).to.equal(422);
    expect(duplicate.text).to.contain('A template named &#34;password RESET&#34; already exists');
    const inSubject = await alice.post('/admin/email-templates', { name: 'Secret subject', subject: 'Your password {[Portal Password]}', body: 'x' });
    expect(inSubject.status).to.equal(422);
    expect(inSubject.text).to.contain('only go in the body');
    expect(await sql('select * from email_templates')).to.deep.equal(before);
  });

  it('refuses to delete a template in use, naming where; deletes one that is not', async () => {
    const alice = await signIn('alice');
    await alice.get('/admin/email-templates');
    const [welcome] = await sql<{ id: number }>("select t.id from email_templates t join tenants n on n.id = t.tenant_id where n.slug = 'acme' and t.name = 'New contact welcome'");
    const refused = await alice.post(`/admin/email-templates/${welcome.id}/deletion`);
    expect(refused.status).to.equal(422);
    expect(refused.text).to.contain('is in use and cannot be deleted').and.contain('Send an email to a newly added contact');
    expect(await sql(`select id from email_templates where id = ${welcome.id}`)).to.have.length(1);
    // A template an automation rule sends (even an inactive one) is in use too.
    const [credentials] = await sql<{ id: number }>("select t.id from email_templates t join tenants n on n.id = t.tenant_id where n.slug = 'acme' and t.name = 'Portal credentials'");
    const byRule = await alice.post(`/admin/email-templates/${credentials.id}/deletion`);
    expect(byRule.status).to.equal(422);
    expect(byRule.text).to.contain('is in use and cannot be deleted').and.contain('Ticket Automation Rules › Portal credentials on request');
    expect(await sql(`select id from email_templates where id = ${credentials.id}`)).to.have.length(1);
    const [spare] = await sql<{ id: number }>("insert into email_templates (tenant_id, name, subject, body) select id, 'Spare', 'Spare', 'Spare' from tenants where slug = 'acme' returning id");
    const deleted = await alice.post(`/admin/email-templates/${spare.id}/deletion`);
    expect(deleted.status).to.equal(303);
    expect(await sql(`select id from email_templates where id = ${spare.id}`)).to.have.length(0);
  });

  it('answers another workspace\'s template with the same 404 as a missing one', async () => {
    const alice = await signIn('alice');
    const [theirs] = await sql<{ id: number }>("select t.id from email_templates t join tenants n on n.id = t.tenant_id where n.slug = 'globex' limit 1");
    const missing = await alice.get('/admin/email-templates/999999');
    const other = await alice.get(`/admin/email-templates/${theirs.id}`);
    expect(other.status).to.equal(404);
    expect(missing.status).to.equal(404);
    await alice.get('/admin/email-templates');
    expect((await alice.post(`/admin/email-templates/${theirs.id}/deletion`)).status).to.equal(404);
    expect((await alice.post(`/admin/email-templates/${theirs.id}`, { name: 'x', subject: 'x', body: 'x' })).status).to.equal(404);
    expect(await sql(`select id from email_templates where id = ${theirs.id} and name <> 'x'`)).to.have.length(1);
  });

  it('previews a template for a chosen contact with credentials masked and values escaped', async () => {
    const alice = await signIn('alice');
    await alice.get('/admin/email-templates/new');
    const [mario] = await sql<{ id: number }>("select id from contacts where email = 'mario@rossi.test'");
    await sql(`update contacts set first_name = '<b>Mario</b>' where id = ${mario.id}`);
    const res = await alice.hx('post', '/admin/email-templates/preview', {
      subject: 'For {[Contact First Name]}', body: 'Hi {[Contact First Name]} of {[Customer Name]}\nUser: {[Portal Username]}\nPassword: {[Portal Password]}\nLink: {[Portal Password Link]}', previewContact: String(mario.id),
    });
    expect(res.status).to.equal(200);
    expect(res.text).to.contain('&lt;b&gt;Mario&lt;/b&gt; of Rossi Impianti').and.contain('User: mario@rossi.test')
      .and.contain('Password: ••••••••').and.contain('Link: ••••••••');
    expect(res.text).not.to.contain('<b>Mario');
    expect(await sql('select * from password_tokens where contact_id is not null')).to.have.length(0);
  });

  it('previews with a ticket: its snippets, its requester, and the ticket\'s technician', async () => {
    const alice = await signIn('alice');
    const [mario] = await sql<{ id: number }>("select id from contacts where email = 'mario@rossi.test'");
    await alice.get('/tickets/new');
    expect((await alice.post('/tickets', { contact: mario.id, title: 'Printer <jammed>', priority: 'high', type: 'incident' })).status).to.equal(303);
    await alice.get('/admin/email-templates/new');
    const res = await alice.hx('post', '/admin/email-templates/preview', {
      subject: '[#{[Ticket Number]}] {[Ticket Title]}', body: '{[Contact Full Name]}: {[Ticket Status]}/{[Ticket Priority]} {[Ticket Portal Link]} by {[Technician Name]}', previewTicket: '#1001',
    });
    expect(res.text).to.contain('[#1001] Printer &lt;jammed&gt;').and.contain('Mario Rossi: Open/High http://acme.localhost:3000/portal/tickets/1001 by Alice Admin');
    const missing = await alice.hx('post', '/admin/email-templates/preview', { subject: 'x', body: 'y', previewTicket: '4242' });
    expect(missing.text).to.contain('No ticket has that number');
  });

  it('is for admins only', async () => {
    const bob = await signIn('bob');
    expect((await bob.get('/admin/email-templates')).status).to.equal(403);
    expect((await bob.get('/admin/quick-replies')).status).to.equal(403);
    expect((await bob.get('/admin/email-settings')).status).to.equal(403);
  });
});

describe('Admin > Quick Replies', () => {
  beforeEach(async () => {
    await loadFixtures();
  });

  it('lists, creates, edits and deletes quick replies, refusing unknown snippets', async () => {
    const alice = await signIn('alice');
    const list = await alice.get('/admin/quick-replies');
    expect(list.text).to.contain('Portal credentials');
    await alice.get('/admin/quick-replies/new');
    const bad = await alice.post('/admin/quick-replies', { name: 'Bad', body: 'Hi {[Nope]}' });
    expect(bad.status).to.equal(422);
    expect(bad.text).to.contain('Unknown snippet: {[Nope]}');
    const empty = await alice.post('/admin/quick-replies', { name: '', body: '' });
    expect(empty.status).to.equal(422);
    expect(empty.text).to.contain('Name is required').and.contain('Body is required');
    const ok = await alice.post('/admin/quick-replies', { name: 'Thanks', body: 'Thanks {[Contact First Name]}!' });
    expect(ok.status).to.equal(303);
    const [row] = await sql<{ id: number }>("select id from quick_replies where name = 'Thanks'");
    expect((await alice.post(`/admin/quick-replies/${row.id}`, { name: 'Thanks!', body: 'Thank you' })).status).to.equal(303);
    expect((await alice.get('/admin/quick-replies')).text).to.contain('Thanks!');
    expect((await alice.post(`/admin/quick-replies/${row.id}/deletion`)).status).to.equal(303);
    expect(await sql(`select * from quick_replies where id = ${row.id}`)).to.have.length(0);
  });
});

describe('Admin > Email Settings', () => {
  beforeEach(async () => {
    await loadFixtures();
  });

  it('saves the contact email settings with Update', async () => {
    const alice = await signIn('alice');
    const page = await alice.get('/admin/email-settings');
    expect(page.text).to.contain('Contact email settings').and.contain('Auto-create a new contact on incoming email')
      .and.contain('Send an email to a newly added contact').and.contain('>Update<');
    const [welcome] = await sql<{ id: number }>("select t.id from email_templates t join tenants n on n.id = t.tenant_id where n.slug = 'acme' and t.name = 'New contact welcome'");
    const res = await alice.post('/admin/email-settings', { autoCreateContacts: 'on', sendWelcomeEmail: 'on', welcomeTemplate: String(welcome.id) });
    expect(res.status).to.equal(303);
    const [s] = await sql<{ auto_create_contacts: boolean; send_welcome_email: boolean; welcome_template_id: number; reset_template_id: number | null }>(
      "select s.* from email_settings s join tenants n on n.id = s.tenant_id where n.slug = 'acme'");
    expect(s.auto_create_contacts).to.equal(true);
    expect(s.send_welcome_email).to.equal(true);
    expect(s.welcome_template_id).to.equal(welcome.id);
    expect(s.reset_template_id).to.equal(null); // not chosen in the form: none
    const again = await alice.get('/admin/email-settings');
    expect(again.text).to.contain('Email settings are updated');
  });

  it('refuses sending with no template, or another workspace\'s template, with 422', async () => {
    const alice = await signIn('alice');
    await alice.get('/admin/email-settings');
    const before = await sql('select * from email_settings order by id');
    const none = await alice.post('/admin/email-settings', { sendWelcomeEmail: 'on', welcomeTemplate: '' });
    expect(none.status).to.equal(422);
    expect(none.text).to.contain('Choose the template to send');
    const [theirs] = await sql<{ id: number }>("select t.id from email_templates t join tenants n on n.id = t.tenant_id where n.slug = 'globex' limit 1");
    const foreign = await alice.post('/admin/email-settings', { sendWelcomeEmail: 'on', welcomeTemplate: String(theirs.id) });
    expect(foreign.status).to.equal(422);
    expect(await sql('select * from email_settings order by id')).to.deep.equal(before);
  });
});
