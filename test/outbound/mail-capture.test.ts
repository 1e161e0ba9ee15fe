// Captured mail (no SMTP server): the file in the outbox is the developer's own
// mailbox and holds the minted credentials for a day; the Mail Log's copy never does.
import { mkdtemp, readFile, readdir, rm, utimes, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { simpleParser } from 'mailparser';
import { inTenant } from '../../src/db/unit-of-work.js';
import { Tenant } from '../../src/domain/tenant/tenant.js';
import { outboxPruneJob } from '../../src/jobs/outbox-prune.js';
import { jobs } from '../../src/jobs/registry.js';
import { MASK, PORTAL_PASSWORD, PORTAL_PASSWORD_LINK } from '../../src/outbound/credentials.js';
import { queueEmail } from '../../src/outbound/outbox.js';
import { captureMailIn, pruneCapturedMail } from '../../src/outbound/transport.js';
import { drainJobs, loadFixtures, signIn, sql, type Fixtures } from '../support/index.js';

describe('Captured mail', () => {
  let fx: Fixtures;
  let outbox: string;
  beforeEach(async () => {
    fx = await loadFixtures();
    outbox = await mkdtemp(path.join(os.tmpdir(), 'sportello-outbox-'));
    captureMailIn(outbox);
  });
  afterEach(async () => {
    captureMailIn(undefined);
    await rm(outbox, { recursive: true, force: true });
  });

  async function captureCredentialsForLuigi(): Promise<number> {
    const id = await inTenant(fx.acme.id, async (em) => {
      const tenant = await em.findOneOrFail(Tenant, { id: fx.acme.id });
      const email = queueEmail(em, tenant, {
        kind: 'test', to: { address: 'luigi@rossi.test', name: 'Luigi Rossi' }, subject: 'Your portal account',
        text: `Password: ${PORTAL_PASSWORD}\nLink: ${PORTAL_PASSWORD_LINK}\n`,
        html: `<p>Password: ${PORTAL_PASSWORD}</p><p><a href="${PORTAL_PASSWORD_LINK}">${PORTAL_PASSWORD_LINK}</a></p>`,
        credentialTarget: { contactId: fx.contacts.luigi.id },
      });
      await em.flush();
      return email.id;
    });
    await drainJobs();
    return id;
  }

  it('serves the Mail Log\'s .eml with the credentials masked, while the captured file holds the minted ones', async () => {
    const id = await captureCredentialsForLuigi();
    const [row] = await sql<{ status: string; captured_path: string }>('select status, captured_path from outbound_emails where id = $1', [id]);
    expect(row.status).to.equal('captured');
    const delivered = await simpleParser(await readFile(row.captured_path));
    const password = delivered.text!.match(/Password: (\S+)/)![1];
    const link = delivered.text!.match(/Link: (\S+)/)![1];
    expect(password).to.have.length(16);
    expect(link).to.match(/^http:\/\/acme\.localhost:3000\/portal\/reset\//);

    const alice = await signIn('alice');
    const shown = await alice.get(`/admin/mail-log/${id}`);
    expect(shown.text).to.contain(`/admin/mail-log/${id}/raw`).and.not.contain(password);
    const res = await alice.agent.get(`/admin/mail-log/${id}/raw`).set('Host', alice.host).buffer(true)
      .parse((r, done) => { const chunks: Buffer[] = []; r.on('data', (c: Buffer) => chunks.push(c)); r.on('end', () => done(null, Buffer.concat(chunks))); });
    expect(res.status).to.equal(200);
    expect(res.headers['content-type']).to.match(/^message\/rfc822/);
    const eml = res.body as Buffer;
    const copy = await simpleParser(eml);
    const token = link.split('/').pop()!;
    for (const secret of [password, token, encodeURIComponent(token)]) {
      expect(eml.toString('utf8')).not.to.contain(secret);
      expect(copy.text).not.to.contain(secret);
      expect(String(copy.html)).not.to.contain(secret);
    }
    expect(copy.text).to.contain(`Password: ${MASK}`).and.contain(`Link: ${MASK}`);
    expect(copy.subject).to.equal(delivered.subject);
    expect(copy.messageId).to.equal(delivered.messageId);
    expect(copy.to).to.deep.equal(delivered.to);
  });

  it('keeps captured files for a day: the prune job removes older .eml files and nothing else', async () => {
    await captureCredentialsForLuigi();
    const [fresh] = await readdir(outbox);
    const day = 24 * 3600;
    const now = Date.now() / 1000;
    for (const [name, age] of [['acme-old.eml', day + 60], ['acme-almost.eml', day - 600], ['notes.txt', 3 * day]] as const) {
      await writeFile(path.join(outbox, name), 'x');
      await utimes(path.join(outbox, name), now - age, now - age);
    }
    expect(await pruneCapturedMail(outbox)).to.equal(1);
    expect((await readdir(outbox)).sort()).to.deep.equal(['acme-almost.eml', fresh, 'notes.txt'].sort());
    expect(await pruneCapturedMail(path.join(outbox, 'missing'))).to.equal(0);
    expect(jobs).to.include(outboxPruneJob);
    expect(outboxPruneJob.every).to.equal('1 hour');
  });
});
