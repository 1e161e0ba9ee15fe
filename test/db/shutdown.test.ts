// Stopping `npm start` (embedded PostgreSQL): Ctrl-C in a terminal sends SIGINT to the
// whole process group — npm, node and, once, the embedded server too, which then shut
// down under the app's feet and crashed its shutdown now and then. SIGTERM to node
// alone (a process manager) must stop it just as cleanly.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import { expect } from 'chai';
import { dataDir, freePort } from '../support/embedded.js';
import { accepting } from '../../src/db/embedded.js';

interface Running { child: ChildProcess; output: () => string; exited: Promise<number | null> }

/** `npm start` in a process group of its own, as a terminal runs it, on the embedded database. */
async function npmStart(dir: string, port: number, pgPort: number): Promise<Running> {
  const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: dir, PORT: String(port), EMBEDDED_PG_PORT: String(pgPort), NODE_ENV: 'development', LOG_LEVEL: 'info' };
  for (const name of ['DATABASE_URL', 'APP_SECRET', 'SMTP_URL', 'APP_DOMAIN']) delete env[name];
  const child = spawn('npm', ['start', '--silent'], { env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (d) => { output += d; });
  child.stderr!.on('data', (d) => { output += d; });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const deadline = Date.now() + 60_000;
  while (!output.includes('Sportello is running at')) {
    if (Date.now() > deadline || child.exitCode !== null) throw new Error(`npm start did not start:\n${output}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return { child, output: () => output, exited };
}

/** The node process npm started (npm → sh → node, or npm → node). */
async function nodePid(group: number): Promise<number> {
  const rows = execFileSync('ps', ['-eo', 'pid=,pgid=,args='], { encoding: 'utf8' }).split('\n');
  const found = rows.map((r) => r.trim().split(/\s+/)).find(([, pgid, ...args]) => Number(pgid) === group && args.join(' ').includes('src/server.ts') && args[0].endsWith('node'));
  if (!found) throw new Error('no node process in the group');
  return Number(found[0]);
}

/** The postmaster listening on this port. */
function postgresPid(port: number): number {
  const rows = execFileSync('ps', ['-eo', 'pid=,args='], { encoding: 'utf8' }).split('\n');
  const found = rows.map((r) => r.trim().split(/\s+/)).find(([, bin, ...args]) => bin?.endsWith('/postgres') && args.join(' ').includes(`-p ${port}`));
  if (!found) throw new Error(`no postgres on port ${port}`);
  return Number(found[0]);
}


/** Every process of the group is gone within 30 s. */
async function groupGone(group: number): Promise<boolean> {
  for (let i = 0; i < 300; i++) {
    try {
      process.kill(-group, 0);
    } catch {
      return true;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return false;
}

describe('Stopping npm start with the embedded database', function () {
  this.timeout(300_000);
  let dir: string;
  let running: Running | undefined;
  before(() => {
    dir = dataDir();
  });
  afterEach(() => {
    if (running?.child.pid && running.child.exitCode === null) {
      try { process.kill(-running.child.pid, 'SIGKILL'); } catch { /* gone */ }
    }
    running = undefined;
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('stops cleanly on Ctrl-C (SIGINT to the whole process group), every time', async () => {
    const pgPort = await freePort();
    for (let attempt = 1; attempt <= 5; attempt++) {
      running = await npmStart(dir, await freePort(), pgPort);
      // A little traffic first, as a real session would have had.
      await new Promise((resolve) => setTimeout(resolve, 300 * (attempt % 3)));
      process.kill(-running.child.pid!, 'SIGINT');
      await running.exited;
      expect(await groupGone(running.child.pid!), `attempt ${attempt}: processes left`).to.equal(true);
      const output = running.output();
      expect(output, `attempt ${attempt}:\n${output}`).to.contain('"msg":"stopped"');
      expect(output, `attempt ${attempt}`).not.to.match(/"level":(40|50|60)|Unhandled|could not start/);
      expect(await accepting(pgPort), `attempt ${attempt}: the embedded PostgreSQL still answers`).to.equal(false);
    }
  });

  it('stops cleanly even when the embedded server has begun stopping first (the race a Ctrl-C can lose)', async () => {
    const pgPort = await freePort();
    running = await npmStart(dir, await freePort(), pgPort);
    const postmaster = postgresPid(pgPort);
    process.kill(postmaster, 'SIGINT');
    await new Promise((resolve) => setTimeout(resolve, 150));
    process.kill(-running.child.pid!, 'SIGINT');
    await running.exited;
    expect(await groupGone(running.child.pid!)).to.equal(true);
    const output = running.output();
    // Warnings, yes (the database went away under it); no error, no crash.
    expect(output, output).to.contain('"msg":"stopped"').and.not.match(/"level":(50|60)|Unhandled|could not start/);
    expect(await accepting(pgPort)).to.equal(false);
  });

  it('refuses a second npm start on the same EMBEDDED_PG_PORT with another DATA_DIR, in one line, and the first keeps working', async () => {
    const pgPort = await freePort();
    const port = await freePort();
    running = await npmStart(dir, port, pgPort);
    const other = dataDir();
    try {
      const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: other, PORT: String(await freePort()), EMBEDDED_PG_PORT: String(pgPort), NODE_ENV: 'development', LOG_LEVEL: 'silent' };
      for (const name of ['DATABASE_URL', 'APP_SECRET', 'SMTP_URL', 'APP_DOMAIN']) delete env[name];
      const second = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
      let stderr = '';
      second.stderr!.on('data', (d) => { stderr += d; });
      const code = await new Promise<number | null>((resolve) => second.on('exit', resolve));
      expect(code).to.equal(1);
      expect(stderr.trim().split('\n')).to.have.length(1);
      expect(stderr).to.contain(`Port ${pgPort} (EMBEDDED_PG_PORT)`);
      const health = await fetch(`http://127.0.0.1:${port}/healthz`);
      expect(health.status).to.equal(200);
    } finally {
      rmSync(other, { recursive: true, force: true });
    }
    process.kill(-running.child.pid!, 'SIGINT');
    await running.exited;
  });

  it('stops cleanly on SIGTERM to the node process alone, and takes the embedded server with it', async () => {
    const pgPort = await freePort();
    running = await npmStart(dir, await freePort(), pgPort);
    process.kill(await nodePid(running.child.pid!), 'SIGTERM');
    await running.exited;
    expect(await groupGone(running.child.pid!)).to.equal(true);
    expect(running.output()).to.contain('"msg":"stopped"').and.not.match(/"level":(50|60)/);
    expect(await accepting(pgPort)).to.equal(false);
  });
});
