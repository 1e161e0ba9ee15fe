// Admin > Email Settings > Public mailbox domains: the workspace adds its own to the
// maintained list, and Manage Domains refuses them too. Enterprise, admins.
import { expect } from 'chai';
import { loadFixtures, signIn, speakItalian, sql, type Fixtures } from '../support/index.js';

async function listed(tenantId: number): Promise<string[]> {
  return (await sql<{ domain: string }>('select domain from public_mail_domains where tenant_id = $1 order by domain', [tenantId])).map((r) => r.domain);
}

describe('Public mailbox domains of a workspace', () => {
  let fx: Fixtures;
  let rossi: number;
  let bianchi: number;
  beforeEach(async () => {
    fx = await loadFixtures();
    rossi = fx.customers['Rossi Impianti'].id;
    bianchi = fx.customers['Bianchi Srl'].id;
  });

  it('saves the list normalised like customer domains, and Manage Domains then refuses those domains and their subdomains', async () => {
    const alice = await signIn('alice');
    const page = await alice.get('/admin/email-settings');
    expect(page.text).to.contain('Public mailbox domains').and.contain('name="domains"').and.contain('>Save domains</button>');
    const saved = await alice.post('/admin/email-settings/public-domains', { domains: ' Posta.Example., someone@Pöst.example\n@mail-regionale.example' });
    expect(saved.status).to.equal(303);
    expect(saved.headers.location).to.equal('/admin/email-settings#public-domains');
    expect(await listed(fx.acme.id)).to.deep.equal(['mail-regionale.example', 'posta.example', 'xn--pst-sna.example']);
    const shown = await alice.get('/admin/email-settings');
    expect(shown.text).to.contain('The public mailbox domains are saved.').and.contain('mail-regionale.example\nposta.example\npöst.example</textarea>');
    const [event] = await sql<{ details: unknown }>("select details from audit_events where action = 'email_settings.public_domains_changed'");
    expect(event.details).to.deep.equal({ added: ['posta.example', 'xn--pst-sna.example', 'mail-regionale.example'], removed: [] });

    const refused = await alice.post(`/customers/${rossi}/domains`, { add: 'rossi.example pöst.example uffici.posta.example' });
    expect(refused.status).to.equal(422);
    expect(refused.text).to.contain('pöst.example is on this workspace’s list of public mailbox domains')
      .and.contain('uffici.posta.example is on this workspace’s list');
    expect(await sql('select domain from customer_domains')).to.deep.equal([]);
    // Another workspace's list is its own: globex on Enterprise may give posta.example to a customer.
    await sql("update tenants set plan = 'enterprise' where id = $1", [fx.globex.id]);
    const [springfield] = await sql<{ id: number }>('select id from customers where tenant_id = $1 and not is_default', [fx.globex.id]);
    expect((await (await signIn('gina')).post(`/customers/${springfield.id}/domains`, { add: 'posta.example' })).status).to.equal(303);

    // Emptying the list gives the names back.
    await alice.post('/admin/email-settings/public-domains', { domains: '' });
    expect(await listed(fx.acme.id)).to.deep.equal([]);
    expect((await alice.post(`/customers/${rossi}/domains`, { add: 'posta.example' })).status).to.equal(303);
  });

  it('refuses a name that is no domain and one a customer owns (linked to it), keeping the input and changing nothing', async () => {
    const alice = await signIn('alice');
    await alice.post('/admin/email-settings/public-domains', { domains: 'posta.example' });
    await alice.post(`/customers/${bianchi}/domains`, { add: 'bianchi.example' });
    const refused = await alice.post('/admin/email-settings/public-domains', { domains: 'new.example co.uk bianchi.example' });
    expect(refused.status).to.equal(422);
    expect(refused.text).to.contain('Nothing was changed').and.contain('“co.uk” is not a domain name that can be owned')
      .and.contain(`bianchi.example is a domain of a customer; remove it there first: <a href="/customers/${bianchi}">Bianchi Srl</a>`)
      .and.contain('new.example co.uk bianchi.example</textarea>');
    expect(await listed(fx.acme.id)).to.deep.equal(['posta.example']);

    await speakItalian('acme');
    const italian = await alice.post('/admin/email-settings/public-domains', { domains: 'bianchi.example' });
    expect(italian.text).to.contain('Domini di caselle email pubbliche')
      .and.contain(`bianchi.example è tra i domini di un cliente, da cui va prima tolto: <a href="/customers/${bianchi}">Bianchi Srl</a>`);
  });

  it('is Enterprise only: on Pro the section shows the note with the link to Admin > Plan, and saving answers 403', async () => {
    const gina = await signIn('gina');
    const page = await gina.get('/admin/email-settings');
    expect(page.text).to.match(/id="public-domains"[\s\S]*Available on Enterprise · <a href="\/admin\/plan">/);
    expect(page.text).not.to.contain('action="/admin/email-settings/public-domains"');
    const forbidden = await gina.post('/admin/email-settings/public-domains', { domains: 'posta.example' });
    expect(forbidden.status).to.equal(403);
    expect(forbidden.text).to.contain('<a href="/admin/plan">');
    expect(await listed(fx.globex.id)).to.deep.equal([]);
    expect((await (await signIn('bob')).post('/admin/email-settings/public-domains', { domains: 'posta.example' })).status).to.equal(403);
    expect(await listed(fx.acme.id)).to.deep.equal([]);
  });
});
