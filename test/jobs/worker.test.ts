// The real Agenda loop sends queued mail: in process (as ROLE=all runs it) and in
// a separate `ROLE=worker` process, which also stops cleanly on SIGTERM.
import { spawn } from 'node:child_process';
import { expect } from 'chai';
import { startJobQueue } from '../../src/jobs/agenda.js';
import { h, loadFixtures, signIn, sql } from '../support/index.js';

async function until<T>(what: string, probe: () => Promise<T | undefined | false>, timeoutMs = 20_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > end) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function inviteCarla(): Promise<void> {
  const alice = await signIn('alice');
  await alice.get('/admin/technicians');
  const res = await alice.post('/admin/technicians', { name: 'Carla Tech', email: 'carla@acme.test', role: 'technician' });
  expect(res.status).to.equal(303);
  expect(await sql("select status from outbound_emails")).to.deep.equal([{ status: 'queued' }]);
}

const sentToCarla = async () => {
  const [row] = await sql<{ status: string }>("select status from outbound_emails where to_address = 'carla@acme.test'");
  return row?.status === 'sent' && h().mail.messages.some((m) => m.to.includes('carla@acme.test'));
};

describe('Job worker', function () {
  this.timeout(60_000);
  beforeEach(async () => { await loadFixtures(); });

  it('sends a queued email with the real Agenda loop', async () => {
    const queue = await startJobQueue({ pool: h().runtimePool, process: true, processEvery: 200, lockLifetimeMs: 2_000 });
    try {
      await inviteCarla();
      await until('the invitation to be sent', sentToCarla);
      expect(h().mail.last('carla@acme.test').subject).to.contain('Acme Services');
    } finally {
      await queue.stop();
    }
  });

  it('runs as a separate ROLE=worker process and stops cleanly on SIGTERM', async () => {
    await inviteCarla(); // queued by the web side (the harness queues, never runs, jobs)
    // node --import tsx: one process, so SIGTERM reaches the app itself (tsx's CLI would relay it,
    // and SIGKILLs a child that does not acknowledge within 30 ms on a busy machine).
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/worker.ts'], {
      env: { ...process.env, ROLE: 'worker', DATABASE_URL: h().databaseUrl, NODE_ENV: 'development', LOG_LEVEL: 'info' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d) => { output += d; });
    child.stderr.on('data', (d) => { output += d; });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      await until('the worker to send the invitation', sentToCarla, 30_000);
      expect(output).to.include('Sportello worker running (ROLE=worker)');
      expect(output).not.to.include('Sportello is running at'); // no web server in a worker
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited, output).to.equal(0);
    expect(output).to.include('"msg":"stopped"');
  });
});
