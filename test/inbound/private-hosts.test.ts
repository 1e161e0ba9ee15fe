// Outside development a support mailbox must be on the internet: an admin (anyone who
// signs up has a workspace of their own) cannot point Sportello at its own network.
import { expect } from 'chai';
import { config, loadConfig } from '../../src/config.js';
import { inTenant } from '../../src/db/unit-of-work.js';
import { createMailbox } from '../../src/domain/mailbox/mailboxes.js';
import { Tenant } from '../../src/domain/tenant/tenant.js';
import { testConnection } from '../../src/inbound/connection-test.js';
import { isPrivateAddress } from '../../src/lib/private-address.js';
import { ValidationError } from '../../src/lib/validation.js';
import { say, speakerFor } from '../../src/i18n/translate.js';
import { loadFixtures, signIn, sql } from '../support/index.js';

describe('Support mailboxes on private networks', () => {
  // The process's configuration, read once the harness has set the environment (not at load).
  const settings = () => config() as { imapPrivateHosts: boolean };
  afterEach(() => { settings().imapPrivateHosts = true; });

  it('knows private, loopback, link-local and reserved addresses from public ones', () => {
    for (const a of ['127.0.0.1', '10.1.2.3', '172.16.0.9', '192.168.1.1', '169.254.169.254', '100.64.0.1', '0.0.0.0', '::1', 'fd00::1', 'fe80::1', '::ffff:127.0.0.1', '::ffff:10.0.0.1']) {
      expect(isPrivateAddress(a), a).to.equal(true);
    }
    for (const a of ['8.8.8.8', '1.1.1.1', '172.32.0.1', '2a00:1450:4001::1', '::ffff:8.8.8.8']) expect(isPrivateAddress(a), a).to.equal(false);
  });

  it('are allowed outside production only, unless IMAP_PRIVATE_HOSTS says otherwise', () => {
    expect(loadConfig({ NODE_ENV: 'production', APP_SECRET: 'x'.repeat(40), SMTP_URL: 'smtp://mx.test' }).imapPrivateHosts).to.equal(false);
    expect(loadConfig({ NODE_ENV: 'production', APP_SECRET: 'x'.repeat(40), SMTP_URL: 'smtp://mx.test', IMAP_PRIVATE_HOSTS: '1' }).imapPrivateHosts).to.equal(true);
    expect(loadConfig({ NODE_ENV: 'development' }).imapPrivateHosts).to.equal(true);
  });

  it('are refused when saved and when connecting (a name that resolves inside too), and plain IMAP with them', async () => {
    settings().imapPrivateHosts = false;
    const f = await loadFixtures();
    for (const host of ['127.0.0.1', '169.254.169.254', '10.0.0.1', 'localhost', '::1']) {
      const error = await inTenant(f.acme.id, async (em) => createMailbox(em, await em.findOneOrFail(Tenant, { id: f.acme.id }), {
        address: 'help@acme.test', host, port: '993', tls: 'tls', username: 'help', password: 'secret',
      })).catch((e: unknown) => e);
      expect(error, host).to.be.instanceOf(ValidationError);
      expect(say(speakerFor('en').t, (error as ValidationError).errors.host), host).to.contain('private network');
    }
    // A mailbox saved while private hosts were allowed: its Enable button sends the admin to fix it, not to a 500.
    settings().imapPrivateHosts = true;
    const saved = await inTenant(f.acme.id, async (em) => (await createMailbox(em, await em.findOneOrFail(Tenant, { id: f.acme.id }), {
      address: 'local@acme.test', host: '127.0.0.1', port: '143', tls: 'none', username: 'local', password: 'secret', enabled: false,
    })).id);
    settings().imapPrivateHosts = false;
    const alice = await signIn('alice');
    await alice.get('/admin/email-settings');
    const res = await alice.post(`/admin/mailboxes/${saved}/enabled`, { enabled: 'on' });
    expect(res.status).to.equal(303);
    expect(res.headers.location).to.equal(`/admin/mailboxes/${saved}`);
    expect((await alice.get(`/admin/mailboxes/${saved}`)).text).to.contain('cannot be enabled as it is saved');
    expect(await sql('select enabled from mailboxes where id = $1', [saved])).to.deep.equal([{ enabled: false }]);
    const report = await testConnection({ host: 'localhost', port: 993, tls: 'tls', username: 'help', password: 'secret', folder: 'INBOX' });
    expect(report.steps[0]).to.deep.equal({ step: 'connect', state: 'failed', problem: 'private_address' });
  });
});
