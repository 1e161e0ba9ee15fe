import { expect } from 'chai';
import { loadConfig } from '../../src/config.js';
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

  it('refuses to start in production without SMTP_URL unless MAIL_CAPTURE=1 asks for capture', async () => {
    const ran = await startWith({ NODE_ENV: 'production', APP_SECRET: 'a-production-secret-a-production-secret', SMTP_URL: undefined, MAIL_CAPTURE: undefined });
    expect(ran.code).to.equal(1);
    expect(ran.lines).to.deep.equal([
      'Configuration error: SMTP_URL is required in production (or set MAIL_CAPTURE=1 to keep every message in DATA_DIR/outbox instead of sending it).',
    ]);
    expect(ran.stdout).to.equal('');
  });

  it('warns loudly at start when production captures mail (MAIL_CAPTURE=1)', async () => {
    // The closed port ends the start right after the warning.
    const ran = await startWith({
      NODE_ENV: 'production', APP_SECRET: 'a-production-secret-a-production-secret', SMTP_URL: undefined, MAIL_CAPTURE: '1',
      LOG_LEVEL: 'warn', DATABASE_URL: 'postgres://nobody@127.0.0.1:1/nothing',
    });
    expect(ran.code).to.equal(1);
    const warning = ran.stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l)).find((l) => l.level === 40);
    expect(warning?.msg).to.match(/^MAIL_CAPTURE=1: NO EMAIL LEAVES THIS SERVER/);
    expect(warning?.msg).to.contain('temporary passwords and set-password links');
  });

  it('captures by default only outside production, and never both ways at once', () => {
    const secret = 'a-production-secret-a-production-secret';
    expect(loadConfig({ NODE_ENV: 'development', APP_SECRET: secret }).mailCapture).to.equal(true);
    expect(loadConfig({ NODE_ENV: 'production', APP_SECRET: secret, MAIL_CAPTURE: '1' }).mailCapture).to.equal(true);
    expect(loadConfig({ NODE_ENV: 'production', APP_SECRET: secret, SMTP_URL: 'smtp://mail.example.com:587' }).mailCapture).to.equal(false);
    expect(() => loadConfig({ NODE_ENV: 'production', APP_SECRET: secret })).to.throw('SMTP_URL is required in production');
    expect(() => loadConfig({ APP_SECRET: secret, SMTP_URL: 'smtp://mail.example.com:587', MAIL_CAPTURE: '1' })).to.throw('MAIL_CAPTURE cannot be 1 when SMTP_URL is set');
    expect(() => loadConfig({ APP_SECRET: secret, MAIL_CAPTURE: 'yes' })).to.throw('MAIL_CAPTURE must be 1');
  });
});
