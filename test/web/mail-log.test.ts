// Admin > Mail Log as a list: newest first, filtered by status, 50 a page, and only
// the workspace's own email under another workspace's.
import { expect } from 'chai';
import { loadFixtures, signIn, sql, type Fixtures } from '../support/index.js';

/** `n` emails for the tenant, subjects `<prefix> 1` (the newest) to `<prefix> n`, every third one failed. */
async function queueEmails(tenantId: number, prefix: string, n: number): Promise<void> {
  await sql(`insert into outbound_emails (tenant_id, to_address, subject, text_body, kind, status, attempts, last_error, created_at)
    select $1, 'to' || i || '@x.test', $2 || ' ' || i, 'body', 'ticket_reply', case when i % 3 = 0 then 'failed' else 'sent' end, 1,
      case when i % 3 = 0 then 'refused ' || i end, now() - make_interval(mins => i)
    from generate_series($3::int, 1, -1) i`, [tenantId, prefix, n]);
}

const rowsOf = (html: string) => [...html.matchAll(/<a href="\/admin\/mail-log\/\d+">([^<]+)<\/a>/g)].map((m) => m[1]);

describe('Admin > Mail Log', () => {
  let f: Fixtures;

  beforeEach(async () => {
    f = await loadFixtures();
    await sql('delete from outbound_emails');
  });

  it('pages the log 50 at a time, newest first, keeping the status filter', async () => {
    await queueEmails(f.acme.id, 'Acme mail', 55);
    const alice = await signIn('alice');
    const first = await alice.get('/admin/mail-log');
    expect(rowsOf(first.text)).to.deep.equal(Array.from({ length: 50 }, (_, i) => `Acme mail ${i + 1}`));
    expect(first.text).to.contain('href="/admin/mail-log?page=2" rel="next"').and.contain('Page 1 of 2');
    const second = await alice.get('/admin/mail-log?page=2');
    expect(rowsOf(second.text)).to.deep.equal(['Acme mail 51', 'Acme mail 52', 'Acme mail 53', 'Acme mail 54', 'Acme mail 55']);
    expect(second.text).to.contain('href="/admin/mail-log" rel="prev"').and.not.contain('rel="next"');
    // Past the last page: no rows, and the count still arrives (the pager links back to page 2).
    const past = await alice.get('/admin/mail-log?page=3');
    expect(rowsOf(past.text)).to.deep.equal([]);
    expect(past.text).to.contain('No email yet.').and.contain('href="/admin/mail-log?page=2" rel="prev"');

    const failed = await alice.get('/admin/mail-log?status=failed');
    expect(rowsOf(failed.text)).to.deep.equal(Array.from({ length: 18 }, (_, i) => `Acme mail ${3 * (i + 1)}`));
    expect(failed.text).to.contain('href="/admin/mail-log?status=failed" class="active"').and.contain('refused 3').and.not.contain('rel="next"');
  });

  it("shows only the workspace's own email, and counts only it, under another workspace's", async () => {
    await queueEmails(f.acme.id, 'Acme mail', 3);
    await queueEmails(f.globex.id, 'Globex mail', 60);
    const alice = await signIn('alice');
    const page = await alice.get('/admin/mail-log');
    expect(rowsOf(page.text)).to.deep.equal(['Acme mail 1', 'Acme mail 2', 'Acme mail 3']);
    expect(page.text).to.not.contain('class="pager"');
    expect(rowsOf((await alice.get('/admin/mail-log?status=failed')).text)).to.deep.equal(['Acme mail 3']);
    const gina = await signIn('gina');
    const theirs = await gina.get('/admin/mail-log');
    expect(rowsOf(theirs.text)).to.have.length(50).and.not.include('Acme mail 1');
    expect(theirs.text).to.contain('Page 1 of 2');
  });
});
