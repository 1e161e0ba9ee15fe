import { expect } from 'chai';
import { drainJobs, h, loadFixtures, signIn, signInToPortal, sql, type Browser, type Fixtures } from '../support/index.js';

describe('Tickets in the portal', () => {
  let fx: Fixtures;
  beforeEach(async () => {
    fx = await loadFixtures();
  });

  /** A multipart post as a browser sends it: the CSRF token is the form's first field. */
  async function postWithFiles(browser: Browser, path: string, fields: Record<string, string>, files: Array<{ name: string; data: Buffer; type?: string }>) {
    let req = browser.agent.post(path).set('Host', browser.host).field('_csrf', browser.csrfToken);
    for (const [k, v] of Object.entries(fields)) req = req.field(k, v);
    for (const f of files) req = req.attach('attachments', f.data, { filename: f.name, contentType: f.type ?? 'application/octet-stream' });
    return req;
  }

  async function openInPortal(browser: Browser, title: string, description = 'Please help') {
    await browser.get('/portal/tickets/new');
    const res = await browser.post('/portal/tickets', { title, description });
    expect(res.status, res.text).to.equal(303);
    return Number(res.headers.location.split('/').pop());
  }

  it('names who opened the ticket in its header: the requester, or the technician who opened it for them', async () => {
    const mario = await signInToPortal('mario');
    const own = await openInPortal(mario, 'My own ticket');
    expect((await mario.get(`/portal/tickets/${own}`)).text).to.contain('</span> · opened by Mario Rossi</p>');
    const alice = await signIn('alice');
    await alice.get('/tickets/new');
    const opened = await alice.post('/tickets', { contact: fx.contacts.mario.id, title: 'Opened on the phone', description: 'Called at 9' });
    expect(opened.status).to.equal(303);
    const number = Number(opened.headers.location.split('/').pop());
    const page = await mario.get(`/portal/tickets/${number}`);
    expect(page.text).to.contain('</span> · opened by Alice Admin for Mario Rossi</p>').and.not.contain('opened by Mario Rossi');
    // The page the refused reply answers with says the same.
    const refused = await mario.post(`/portal/tickets/${number}/replies`, { body: ' ' });
    expect(refused.status).to.equal(422);
    expect(refused.text).to.contain('</span> · opened by Alice Admin for Mario Rossi</p>');
  });

  it('opens a ticket with attachments, and the technician sees it', async () => {
    const mario = await signInToPortal('mario');
    await mario.get('/portal/tickets/new');
    const res = await postWithFiles(mario, '/portal/tickets', { title: 'Broken screen', description: 'See the photo.\nAnd the log.' }, [
      { name: 'photo.png', data: Buffer.from([0x89, 0x50, 0x4e, 0x47, 1, 2, 3]), type: 'image/png' },
      { name: '../../etc/rapporto "finale" è.txt', data: Buffer.from('log lines'), type: 'text/plain' },
    ]);
    expect(res.status, res.text).to.equal(303);
    expect(res.headers.location).to.equal('/portal/tickets/1001');
    const page = await mario.get('/portal/tickets/1001');
    expect(page.text).to.contain('Broken screen').and.contain('See the photo.\nAnd the log.').and.contain('photo.png').and.contain('Ticket #1001 is open');

    const files = await sql<{ id: number; file_name: string; content_type: string; size: number }>('select id, file_name, content_type, size from attachments order by id');
    expect(files.map((f) => f.file_name)).to.deep.equal(['photo.png', 'rapporto _finale_ è.txt']);
    expect(files[1]).to.include({ content_type: 'text/plain', size: 9 });
    const [ticket] = await sql<{ source: string; contact_id: number }>('select source, contact_id from tickets');
    expect(ticket).to.deep.equal({ source: 'portal', contact_id: fx.contacts.mario.id });

    const download = await mario.get(`/portal/tickets/1001/attachments/${files[1].id}`);
    expect(download.status).to.equal(200);
    expect(download.headers['content-disposition']).to.equal(`attachment; filename="rapporto _finale_ _.txt"; filename*=UTF-8''rapporto%20_finale_%20%C3%A8.txt`);
    expect(download.headers['x-content-type-options']).to.equal('nosniff');
    expect(download.text).to.equal('log lines');

    const alice = await signIn('alice');
    const techPage = await alice.get('/tickets/1001');
    expect(techPage.text).to.contain('Broken screen').and.contain(`/tickets/1001/attachments/${files[0].id}`);
    const techDownload = await alice.agent.get(`/tickets/1001/attachments/${files[0].id}`).set('Host', alice.host).buffer(true).parse((r, cb) => {
      const chunks: Buffer[] = [];
      r.on('data', (c: Buffer) => chunks.push(c));
      r.on('end', () => cb(null, Buffer.concat(chunks)));
    });
    expect(techDownload.headers['content-disposition']).to.match(/^attachment; filename="photo.png"/);
    expect(techDownload.headers['content-type']).to.equal('image/png');
    expect(Buffer.compare(techDownload.body as Buffer, Buffer.from([0x89, 0x50, 0x4e, 0x47, 1, 2, 3]))).to.equal(0);
  });

  it('refuses a file over 10 MB and a sixth file with 422, keeping the input and creating nothing', async () => {
    const mario = await signInToPortal('mario');
    await mario.get('/portal/tickets/new');
    const big = await postWithFiles(mario, '/portal/tickets', { title: 'Huge dump', description: 'kept <i>text</i>' }, [
      { name: 'dump.bin', data: Buffer.alloc(10 * 1024 * 1024 + 1) },
    ]);
    expect(big.status).to.equal(422);
    expect(big.text).to.contain('Each file must be at most 10 MB.').and.contain('value="Huge dump"').and.contain('kept &lt;i&gt;text&lt;/i&gt;');
    const many = await postWithFiles(mario, '/portal/tickets', { title: 'Many files', description: '' },
      Array.from({ length: 6 }, (_, i) => ({ name: `f${i}.txt`, data: Buffer.from(`file ${i}`) })));
    expect(many.status).to.equal(422);
    expect(many.text).to.contain('Attach at most 5 files.').and.contain('value="Many files"');
    const exactly = await postWithFiles(mario, '/portal/tickets', { title: 'Five at the limit', description: '' },
      [...Array.from({ length: 4 }, (_, i) => ({ name: `f${i}.txt`, data: Buffer.from(`file ${i}`) })), { name: 'max.bin', data: Buffer.alloc(10 * 1024 * 1024) }]);
    expect(exactly.status).to.equal(303);
    expect((await sql<{ title: string }>('select title from tickets')).map((t) => t.title)).to.deep.equal(['Five at the limit']);
    expect(await sql('select id from attachments')).to.have.length(5);
  });

  it('refuses a multipart post without the CSRF token', async () => {
    const mario = await signInToPortal('mario');
    const res = await mario.agent.post('/portal/tickets').set('Host', mario.host).field('title', 'Forged').attach('attachments', Buffer.from('x'), 'x.txt');
    expect(res.status).to.equal(403);
    expect(await sql('select id from tickets')).to.have.length(0);
  });

  it('refuses a ticket without a title with 422', async () => {
    const mario = await signInToPortal('mario');
    await mario.get('/portal/tickets/new');
    const res = await mario.post('/portal/tickets', { title: '  ', description: 'Just words' });
    expect(res.status).to.equal(422);
    expect(res.text).to.contain('Title is required.').and.contain('Just words');
    expect(await sql('select id from tickets')).to.have.length(0);
  });

  it('shows the public conversation only: never internal notes, nor their files', async () => {
    const mario = await signInToPortal('mario');
    await openInPortal(mario, 'VPN drops');
    const alice = await signIn('alice');
    await alice.get('/tickets/1001');
    await alice.post('/tickets/1001/replies', { body: 'Customer is on the old client, sigh.', kind: 'note' });
    await alice.get('/tickets/1001');
    await postWithFiles(alice, '/tickets/1001/replies', { body: 'Internal log attached', kind: 'note' }, [{ name: 'internal.log', data: Buffer.from('secret') }]);
    await alice.get('/tickets/1001');
    await alice.post('/tickets/1001/replies', { body: 'Please update your VPN client.', kind: 'public' });
    await drainJobs();
    expect(h().mail.to('mario@rossi.test').map((m) => m.subject)).to.deep.equal(['[#1001] We received your request: VPN drops', '[#1001] VPN drops']);

    const page = await mario.get('/portal/tickets/1001');
    expect(page.text).to.contain('Please update your VPN client.').and.contain('Alice Admin');
    expect(page.text).to.not.contain('old client').and.not.contain('Internal log').and.not.contain('internal.log').and.not.contain('Internal note');
    const [internal] = await sql<{ id: number }>(`select id from attachments where file_name = 'internal.log'`);
    expect((await mario.get(`/portal/tickets/1001/attachments/${internal.id}`)).status).to.equal(404);
  });

  it('lists my tickets with a status filter', async () => {
    const mario = await signInToPortal('mario');
    await openInPortal(mario, 'First problem');
    await openInPortal(mario, 'Second problem');
    const luigi = await signInToPortal('luigi');
    await openInPortal(luigi, 'Luigi problem');
    const alice = await signIn('alice');
    await alice.get('/tickets/1002');
    await alice.post('/tickets/1002/status', { status: 'resolved' });

    const all = await mario.get('/portal/tickets');
    expect(all.text).to.contain('First problem').and.contain('Second problem').and.not.contain('Luigi problem');
    const resolved = await mario.get('/portal/tickets?status=resolved');
    expect(resolved.text).to.contain('Second problem').and.not.contain('First problem');
  });

  it('reopens a resolved ticket when the contact replies, in the history', async () => {
    const luigi = await signInToPortal('luigi');
    await openInPortal(luigi, 'Wifi');
    const alice = await signIn('alice');
    await alice.get('/tickets/1001');
    await alice.post('/tickets/1001/status', { status: 'resolved' });
    await luigi.get('/portal/tickets/1001');
    const res = await luigi.post('/portal/tickets/1001/replies', { body: 'Still broken!' });
    expect(res.status).to.equal(303);
    const [ticket] = await sql<{ status: string }>('select status from tickets');
    expect(ticket.status).to.equal('open');
    const [event] = await sql<{ actor_kind: string; actor_name: string; from_value: string; to_value: string }>(
      `select actor_kind, actor_name, from_value, to_value from ticket_events where field = 'status' order by id desc limit 1`);
    expect(event).to.deep.equal({ actor_kind: 'contact', actor_name: 'Luigi Rossi', from_value: 'resolved', to_value: 'open' });
    expect((await luigi.get('/portal/tickets/1001')).text).to.contain('Still broken!');
    expect((await alice.get('/tickets/1001')).text).to.contain('Still broken!').and.contain('changed status from <em>resolved</em> to <em>open</em>');
  });

  it('keeps contact A out of contact B\'s ticket: 404 to read, reply or download, the same as a missing one', async () => {
    const peach = await signInToPortal('peach');
    await peach.get('/portal/tickets/new');
    await postWithFiles(peach, '/portal/tickets', { title: 'Peach private', description: 'secret' }, [{ name: 'p.txt', data: Buffer.from('peach') }]);
    const mario = await signInToPortal('mario');
    await openInPortal(mario, 'Mario own');
    const luigi = await signInToPortal('luigi');
    const [file] = await sql<{ id: number }>('select id from attachments');

    for (const number of [1001, 1002]) {
      const read = await luigi.get(`/portal/tickets/${number}`);
      expect(read.status).to.equal(404);
      expect(read.text).to.equal((await luigi.get('/portal/tickets/1999')).text);
    }
    await luigi.get('/portal/tickets');
    expect((await luigi.post('/portal/tickets/1001/replies', { body: 'I am in' })).status).to.equal(404);
    expect((await luigi.post('/portal/tickets/1002/replies', { body: 'I am in' })).status).to.equal(404);
    expect((await luigi.get(`/portal/tickets/1001/attachments/${file.id}`)).status).to.equal(404);
    // Mario, main contact of Rossi Impianti, still may not see Bianchi's ticket.
    expect((await mario.get('/portal/tickets/1001')).status).to.equal(404);
    expect(await sql('select id from ticket_messages')).to.have.length(0);
    // A technician session does not open portal tickets, nor a contact session technician tickets.
    expect((await luigi.get('/tickets/1002')).headers.location).to.match(/^\/login/);
  });

  it('shows a main contact exactly their customer\'s tickets; other contacts get 404 there', async () => {
    const luigi = await signInToPortal('luigi');
    await openInPortal(luigi, 'Luigi ticket');
    const peach = await signInToPortal('peach');
    await openInPortal(peach, 'Peach ticket');
    const mario = await signInToPortal('mario');
    await openInPortal(mario, 'Mario ticket');
    const gina = await signIn('gina');
    await gina.get('/tickets/new');
    await gina.post('/tickets', { contact: fx.contacts.homer.id, title: 'Homer ticket', priority: 'low', type: 'question' });

    const company = await mario.get('/portal/company-tickets');
    expect(company.status).to.equal(200);
    expect(company.text).to.contain('Luigi ticket').and.contain('Mario ticket').and.contain('Luigi Rossi')
      .and.not.contain('Peach ticket').and.not.contain('Homer ticket');
    expect((await mario.get('/portal/tickets')).text).to.contain('Mario ticket').and.not.contain('Luigi ticket');
    // … and may open and answer a colleague's ticket.
    expect((await mario.get('/portal/tickets/1001')).text).to.contain('Luigi ticket');
    expect((await mario.post('/portal/tickets/1001/replies', { body: 'Chiming in' })).status).to.equal(303);

    const denied = await luigi.get('/portal/company-tickets');
    expect(denied.status).to.equal(404);
    expect((await luigi.get('/portal/tickets')).text).to.not.contain('href="/portal/company-tickets"');
    expect((await mario.get('/portal/tickets')).text).to.contain('href="/portal/company-tickets"');
  });
});
