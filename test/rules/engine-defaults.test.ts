// The default rules: every new workspace gets them in its language, inactive; the
// workspaces that existed before rules got them once from migration 0020 — only those
// without a rule of their own, each rule only where its template still is.
import { expect } from 'chai';
import { signUp } from '../../src/domain/tenant/signup.js';
import { seedDefaultRules } from '../../migrations/0020-give-every-workspace-its-default-rules-and-a-schedule-for-rule-work.js';
import { h, loadFixtures, PASSWORD, sql, type Fixtures } from '../support/index.js';

const rulesOf = async (slug: string) => (await sql<{ name: string; active: boolean; template: string }>(
  `select r.name, r.active, e.name as template from ticket_rules r join tenants t on t.id = r.tenant_id
     left join ticket_rule_actions a on a.rule_id = r.id left join email_templates e on e.id = a.template_id
    where t.slug = $1 order by r.position, r.id`, [slug])).map((r) => `${r.name} → ${r.template}${r.active ? '' : ' (inactive)'}`);

describe('Default rules', () => {
  let f: Fixtures;
  beforeEach(async () => { f = await loadFixtures(); });

  it('gives a new Italian workspace its rules in Italian, with its Italian templates', async () => {
    await signUp({ companyName: 'Ditta Bianchi', slug: 'bianchi', edition: 'msp', plan: 'pro', language: 'it', adminName: 'Bianca', adminEmail: 'bianca@bianchi.test', password: PASSWORD });
    expect(await rulesOf('bianchi')).to.deep.equal([
      'Credenziali del Portale su richiesta → Credenziali del Portale (inactive)',
      'Ticket ricevuto → Ticket ricevuto (inactive)',
      'Risposta del tecnico → Risposta del tecnico (inactive)',
    ]);
  });

  it('gives existing workspaces without rules the defaults once (migration 0020), leaving one with rules of its own alone', async () => {
    await sql('delete from ticket_rules');
    await sql("insert into ticket_rules (tenant_id, position, name, trigger) values ($1, 1, 'Our own rule', 'ticket_created')", [f.acme.id]);
    // globex as an Italian workspace made before rules, that has since deleted its Technician reply template.
    await sql("update tenants set language = 'it' where id = $1", [f.globex.id]);
    await sql("update email_templates set name = 'Credenziali del Portale' where tenant_id = $1 and name = 'Portal credentials'", [f.globex.id]);
    await sql("delete from email_templates where tenant_id = $1 and name = 'Technician reply'", [f.globex.id]);
    const seed = async () => {
      const client = await h().owner.connect();
      try {
        await client.query('begin');
        for (const statement of seedDefaultRules()) await client.query(statement);
        await client.query('commit');
      } finally {
        client.release();
      }
    };
    await seed();
    await seed();
    expect(await rulesOf('acme')).to.deep.equal(['Our own rule → null (inactive)']);
    expect(await rulesOf('globex')).to.deep.equal([
      'Credenziali del Portale su richiesta → Credenziali del Portale (inactive)',
      'Ticket ricevuto → Ticket received (inactive)',
    ]);
    expect(await sql("select c.property, c.operator, c.value from ticket_rule_conditions c join ticket_rules r on r.id = c.rule_id where r.tenant_id = $1 order by r.position", [f.globex.id]))
      .to.deep.equal([{ property: 'title', operator: 'equals', value: '[Portal Credentials]' }, { property: 'source', operator: 'not_equals', value: 'technician' }]);
  });
});
