// Portal credentials by quick reply: the picker fills the reply box, Send Reply
// resolves the snippets for the requester, the conversation keeps credentials masked.
import { expect } from 'chai';
import { MASK } from '../../src/outbound/credentials.js';
import { browserFor, drainJobs, everythingLogged, everythingStored, h, loadFixtures, signIn, signInToPortal, sql, type Fixtures } from '../support/index.js';

const CHOSEN = 'luigi picks a passphrase';

describe('Portal credentials: the quick reply', () => {
  let fx: Fixtures;
  beforeEach(async () => {
    fx = await loadFixtures();
  });

  it('fills the reply box, resolves for the requester on Send Reply, shows •••••••• in the conversation, emails the real password', async () => {
    // Luigi has no password yet: {[Portal Password]} sets his first one, nothing is replaced.
    await sql("update contacts set password_hash = null where email = 'luigi@rossi.test'");
    const bob = await signIn('bob');
    await bob.get('/tickets/new');
    expect((await bob.post('/tickets', { contact: fx.contacts.luigi.id, title: 'I cannot get into the portal', priority: 'medium', type: 'question' })).status).to.equal(303);
    const page = await bob.get('/tickets/1001');
    expect(page.text).to.contain('Quick reply').and.contain('Portal credentials');
    const [quick] = await sql<{ id: number }>("select q.id from quick_replies q join tenants n on n.id = q.tenant_id where n.slug = 'acme'");
    const filled = await bob.hx('get', `/tickets/1001/quick-reply?quickReply=${quick.id}`);
    expect(filled.status).to.equal(200);
    expect(filled.text).to.contain('<textarea id="f-body" name="body"').and.contain('Username : {[Portal Username]}').and.contain('Password : {[Portal Password]}');
    expect(filled.text).to.contain('sets a first portal password for Luigi Rossi').and.not.contain('replaces the portal password');
    const withoutScripts = await bob.get(`/tickets/1001/quick-reply?quickReply=${quick.id}`);
    expect(withoutScripts.text).to.contain('#1001').and.contain('Password : {[Portal Password]}').and.contain('Send Reply');
    const body = filled.text.match(/<textarea[^>]*>([\s\S]*?)<\/textarea>/)![1].replace(/&#123;/g, '{').replace(/&#125;/g, '}');

    const sent = await bob.post('/tickets/1001/replies', { body, kind: 'public' });
    expect(sent.status).to.equal(303);
    const conversation = await bob.get('/tickets/1001');
    expect(conversation.text).to.contain('Username : luigi@rossi.test').and.contain(`Password : ${MASK}`).and.contain('URL : http://acme.localhost:3000/portal');
    expect(conversation.text.match(/<article[\s\S]*<\/article>/)![0]).not.to.contain('{[Portal Password]}');

    await drainJobs();
    const mail = h().mail.last('luigi@rossi.test');
    expect(mail.subject).to.contain('[#1001]');
    const password = mail.text.match(/Password : (\S+)/)![1];
    expect(password).not.to.equal(MASK);
    const luigi = browserFor('acme');
    await luigi.get('/portal/login');
    expect((await luigi.post('/portal/login', { email: 'luigi@rossi.test', password })).status).to.equal(303);
    expect((await luigi.get('/portal/tickets')).headers.location).to.equal('/portal/account/password');
    await luigi.get('/portal/account/password');
    await luigi.post('/portal/account/password', { current: password, password: CHOSEN, confirmation: CHOSEN });
    const portalView = await luigi.get('/portal/tickets/1001');
    expect(portalView.text).to.contain(`Password : ${MASK}`).and.not.contain(password);

    expect(await everythingStored()).not.to.contain(password);
    expect(everythingLogged()).not.to.contain(password);
  });

  it('fills {[Portal Password Link]} for a requester who has a password, and says beside the picker that {[Portal Password]} would replace it', async () => {
    const bob = await signIn('bob');
    await bob.get('/tickets/new');
    await bob.post('/tickets', { contact: fx.contacts.mario.id, title: 'I forgot my portal password', priority: 'medium', type: 'question' });
    const page = await bob.get('/tickets/1001');
    const picker = page.text.match(/<form method="get" action="\/tickets\/1001\/quick-reply"[\s\S]*?<\/form>/)![0];
    expect(picker).to.contain('Mario Rossi already has a portal password').and.contain('replaces the portal password of Mario Rossi');
    const [quick] = await sql<{ id: number }>("select q.id from quick_replies q join tenants n on n.id = q.tenant_id where n.slug = 'acme'");
    const filled = await bob.hx('get', `/tickets/1001/quick-reply?quickReply=${quick.id}`);
    expect(filled.text.match(/<textarea[^>]*>([\s\S]*?)<\/textarea>/)![1]).to.contain('Password : {[Portal Password Link]}').and.not.contain('{[Portal Password]}');
    expect(filled.text).to.match(/id="reply-credentials"[^>]*hx-swap-oob="true"/);
    expect(filled.text).to.contain('was filled in as {[Portal Password Link]}');
    const withoutScripts = await bob.get(`/tickets/1001/quick-reply?quickReply=${quick.id}`);
    expect(withoutScripts.text).to.contain('Password : {[Portal Password Link]}').and.contain('was filled in as {[Portal Password Link]}');

    const body = filled.text.match(/<textarea[^>]*>([\s\S]*?)<\/textarea>/)![1].replace(/&#123;/g, '{').replace(/&#125;/g, '}');
    const before = await sql('select password_hash from contacts where email = $1', ['mario@rossi.test']);
    expect((await bob.post('/tickets/1001/replies', { body, kind: 'public' })).status).to.equal(303);
    await drainJobs();
    expect(h().mail.last('mario@rossi.test').text).to.match(/Password : http:\/\/acme\.localhost:3000\/portal\/reset\/\S+/);
    expect(await sql('select password_hash from contacts where email = $1', ['mario@rossi.test'])).to.deep.equal(before);
    await signInToPortal('mario'); // his password still works
  });

  it('sends {[Portal Password]} to a requester who has a password only once the technician confirms it replaces it', async () => {
    const bob = await signIn('bob');
    await bob.get('/tickets/new');
    await bob.post('/tickets', { contact: fx.contacts.mario.id, title: 'Please reset me', priority: 'medium', type: 'question' });
    await bob.get('/tickets/1001');
    const body = 'Your new password: {[ portal password ]}';
    const refused = await bob.post('/tickets/1001/replies', { body, kind: 'public' });
    expect(refused.status).to.equal(422);
    expect(refused.text).to.contain('this replaces the portal password of Mario Rossi');
    expect(refused.text).to.match(/<input type="checkbox" name="replacePassword" value="yes"[^>]*required/);
    expect(refused.text).to.contain('Your new password: {[ portal password ]}');
    expect(await sql('select * from ticket_messages')).to.have.length(0);
    expect(await sql("select * from outbound_emails where kind = 'ticket_reply'")).to.have.length(0);

    const sent = await bob.post('/tickets/1001/replies', { body, kind: 'public', replacePassword: 'yes' });
    expect(sent.status).to.equal(303);
    await drainJobs();
    const password = h().mail.last('mario@rossi.test').text.match(/Your new password: (\S+)/)![1];
    expect(password).to.have.length(16);
    await signInToPortal('mario', password);
    const [queued] = await sql<{ details: Record<string, unknown> }>("select details from audit_events where action = 'contact.credentials_queued'");
    expect(queued.details.replacesPassword).to.equal(true);
  });

  it('refuses an unknown snippet in a reply with 422, and never resolves snippets a contact writes', async () => {
    const bob = await signIn('bob');
    await bob.get('/tickets/new');
    await bob.post('/tickets', { contact: fx.contacts.mario.id, title: 'Hello', priority: 'medium', type: 'question' });
    await bob.get('/tickets/1001');
    const bad = await bob.post('/tickets/1001/replies', { body: 'Hi {[Shoe Size]}', kind: 'public' });
    expect(bad.status).to.equal(422);
    expect(bad.text).to.contain('Unknown snippet: {[Shoe Size]}');
    const mario = await signInToPortal('mario');
    await mario.get('/portal/tickets/1001');
    expect((await mario.post('/portal/tickets/1001/replies', { body: 'Send me {[Portal Password]} please' })).status).to.equal(303);
    await drainJobs();
    const [written] = await sql<{ body: string }>("select body from ticket_messages where author_kind = 'contact'");
    expect(written.body).to.equal('Send me {[Portal Password]} please');
    expect(await sql("select * from audit_events where action like 'contact.temporary_password%'")).to.have.length(0);
    // Mario is told only that his ticket was received; the technicians, of the ticket and that he wrote.
    expect(h().mail.messages.map((m) => `${m.to[0]} ${m.subject}`).sort()).to.deep.equal([
      'alice@acme.test [#1001] Mario Rossi replied: Hello', 'alice@acme.test [#1001] New ticket: Hello', 'bob@acme.test [#1001] Mario Rossi replied: Hello', 'mario@rossi.test [#1001] We received your request: Hello']);
    // The technicians' notice quotes his words as written, the snippet inert: nothing minted.
    expect(h().mail.last('alice@acme.test').text).to.contain('Send me { [Portal Password]} please');
    expect(await sql('select * from password_tokens where contact_id is not null')).to.have.length(0);
  });

  it('mints nothing when a ticket\'s title and description join into {[Portal Password]} under {[Ticket Title]}{[Ticket Description]}', async () => {
    const mario = await signInToPortal('mario');
    await mario.get('/portal/tickets/new');
    expect((await mario.post('/portal/tickets', { title: 'Locked out {', description: '[Portal Password]} thanks' })).status).to.equal(303);
    const before = await sql('select id, password_hash, must_change_password from contacts order by id');
    const bob = await signIn('bob');
    await bob.get('/tickets/1001');
    expect((await bob.post('/tickets/1001/replies', { body: 'About {[Ticket Title]}{[Ticket Description]}', kind: 'public' })).status).to.equal(303);
    await drainJobs();
    expect(h().mail.last('mario@rossi.test').text).to.contain('About Locked out {[Portal Password]} thanks');
    expect(await sql('select id, password_hash, must_change_password from contacts order by id')).to.deep.equal(before);
    expect(await sql("select * from audit_events where action like 'contact.%password%' or action = 'contact.credentials_queued'")).to.have.length(0);
    expect(await sql('select * from password_tokens where contact_id is not null')).to.have.length(0);
  });

  it('answers another workspace\'s quick reply or ticket with 404', async () => {
    const bob = await signIn('bob');
    await bob.get('/tickets/new');
    await bob.post('/tickets', { contact: fx.contacts.mario.id, title: 'Hello', priority: 'medium', type: 'question' });
    const [theirs] = await sql<{ id: number }>("select q.id from quick_replies q join tenants n on n.id = q.tenant_id where n.slug = 'globex'");
    expect((await bob.hx('get', `/tickets/1001/quick-reply?quickReply=${theirs.id}`)).status).to.equal(404);
    expect((await bob.hx('get', '/tickets/9999/quick-reply')).status).to.equal(404);
  });
});
