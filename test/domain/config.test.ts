import { expect } from 'chai';
import { runEntry } from '../support/spawn.js';

describe('Configuration at start', function () {
  this.timeout(60_000);

  async function startWith(env: Record<string, string | undefined>) {
    const ran = await runEntry('src/server.ts', { NODE_ENV: 'development', LOG_LEVEL: 'silent', ...env }, 30_000);
    const lines = ran.stderr.trim().split('\n').filter(Boolean);
    return { ...ran, lines };
  }

  it('exits with one clear line when DATABASE_URL is malformed', async () => {
    const ran = await startWith({ DATABASE_URL: 'mysql:/nowhere' });
    expect(ran.code).to.equal(1);
    expect(ran.lines).to.have.length(1);
    expect(ran.lines[0]).to.match(/^Configuration error: DATABASE_URL must look like postgres:\/\/user@host:5432\/database\.$/);
    expect(ran.stdout).to.equal('');
  });

  it('exits with one clear line when PORT is not a number', async () => {
    const ran = await startWith({ PORT: 'eighty' });
    expect(ran.code).to.equal(1);
    expect(ran.lines).to.have.length(1);
    expect(ran.lines[0]).to.equal('Configuration error: PORT must be a number (e.g. 3000).');
  });

  it('exits with one clear line when APP_SECRET is missing in production', async () => {
    const ran = await startWith({ NODE_ENV: 'production', APP_SECRET: undefined });
    expect(ran.code).to.equal(1);
    expect(ran.lines).to.deep.equal(['Configuration error: APP_SECRET is required in production.']);
  });
});
