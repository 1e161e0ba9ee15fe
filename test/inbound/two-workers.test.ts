// Two ROLE=worker processes on one database, each handed a poll of the same mailbox at
// the same moment (and the recurring dispatcher besides): every message becomes one
// ticket — the lease in mailbox_polls and the ingest log's keys hold across processes.
import { spawn, type ChildProcess } from 'node:child_process';
import { expect } from 'chai';
import { inTenant } from '../../src/db/unit-of-work.js';
import { createMailbox } from '../../src/domain/mailbox/mailboxes.js';
import { Tenant } from '../../src/domain/tenant/tenant.js';
import { h, loadFixtures, sql } from '../support/index.js';
import { DOVECOT, Dovecot } from '../support/dovecot.js';
import { requireProgram } from '../support/require-program.js';

function worker(): { child: ChildProcess; output: () => string; exited: Promise<number | null> } {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/worker.ts'], {
    env: { ...process.env, ROLE: 'worker', DATABASE_URL: h().databaseUrl, NODE_ENV: 'development', LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (d) => { output += d; });
  child.stderr!.on('data', (d) => { output += d; });
  return { child, output: () => output, exited: new Promise((resolve) => child.on('exit', resolve)) };
}

describe('Two workers polling one mailbox', function () {
  this.timeout(90_000);
  const dovecot = new Dovecot();
  before(async function () {
    requireProgram(this, DOVECOT, 'Dovecot', 'apt-get install -y dovecot-imapd');
    await dovecot.start();
  });
  after(async () => { await dovecot.stop(); });

  it('make one ticket of each message', async () => {
    const f = await loadFixtures();
    const user = dovecot.addUser('support@acme.test');
    const mailboxId = await inTenant(f.acme.id, async (em) => (await createMailbox(em, await em.findOneOrFail(Tenant, { id: f.acme.id }), {
      address: user.user, host: '127.0.0.1', port: String(dovecot.port), tls: 'none', username: user.user, password: user.password,
    })).id);
    const messages = Array.from({ length: 12 }, (_, i) => `From: Mario Rossi <mario@rossi.test>\nTo: support@acme.test\nSubject: Problem ${i}\nMessage-ID: <two-workers-${i}@rossi.test>\n\nNumber ${i}.\n`);
    await dovecot.append(user, messages);
    // Both workers find a poll of this mailbox waiting the moment they start.
    for (let i = 0; i < 2; i++) {
      await sql(`insert into agenda_jobs (name, data, next_run_at, type) values ('poll-mailbox', $1, now(), 'normal')`, [JSON.stringify({ tenantId: f.acme.id, mailboxId })]);
    }
    const workers = [worker(), worker()];
    try {
      const end = Date.now() + 60_000;
      for (;;) {
        const [row] = await sql<{ n: number }>('select count(*)::int as n from inbound_messages');
        if (row.n >= messages.length) break;
        if (Date.now() > end) throw new Error(`only ${row.n} messages taken in 60 s:\n${workers.map((w) => w.output()).join('\n---\n').slice(-4000)}`);
        await new Promise((r) => setTimeout(r, 250));
      }
      await new Promise((r) => setTimeout(r, 1500)); // a late second poll would show up as duplicates now
    } finally {
      for (const w of workers) w.child.kill('SIGTERM');
      await Promise.all(workers.map((w) => w.exited));
    }
    const tickets = await sql<{ title: string; n: number }>('select title, count(*)::int as n from tickets group by title order by title');
    expect(tickets).to.have.length(12);
    expect(tickets.every((t) => t.n === 1)).to.equal(true);
    expect((await sql<{ outcome: string }>('select outcome from inbound_messages')).every((r) => r.outcome === 'ticket_created')).to.equal(true);
    expect(Object.values(await dovecot.flags(user)).every((fl) => fl.includes('\\Seen'))).to.equal(true);
  });
});
