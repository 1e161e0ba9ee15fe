// The end of a trial is recorded once, by a request or by the hourly job — whichever sees it
// first — so a workspace nobody visits is noted too; the workspace stays on its plan.
import { expect } from 'chai';
import { noteTrialEndsJob } from '../../src/jobs/note-trial-ends.js';
import type { JobScheduler } from '../../src/jobs/registry.js';
import { forgetTenant } from '../../src/web/middleware/tenant-cache.js';
import { loadFixtures, signIn, sql, type Fixtures } from '../support/index.js';

const scheduler: JobScheduler = { async now() {}, async at() {} };

const ended = async () => sql<{ tenant_id: number; details: { plan: string }; actor_kind: string }>("select tenant_id, details, actor_kind from audit_events where action = 'tenant.trial_ended' order by id");

describe('Trial ends noted by the hourly job', () => {
  let fx: Fixtures;
  beforeEach(async () => {
    fx = await loadFixtures();
  });

  it('notes each workspace whose trial is over once, leaves running trials alone, and a later request notes nothing more', async () => {
    await sql("update tenants set trial_ends_at = now() - interval '1 day' where slug = 'globex'");
    await noteTrialEndsJob.run({}, scheduler);
    expect(await ended()).to.deep.equal([{ tenant_id: fx.globex.id, details: { plan: 'pro', label: 'Pro' }, actor_kind: 'system' }]);
    expect((await sql<{ plan: string; noted: boolean }>("select plan, trial_end_noted_at is not null as noted from tenants where slug = 'globex'"))[0]).to.deep.equal({ plan: 'pro', noted: true });
    expect((await sql<{ noted: boolean }>("select trial_end_noted_at is not null as noted from tenants where slug = 'acme'"))[0].noted).to.equal(false);

    await noteTrialEndsJob.run({}, scheduler);
    forgetTenant('globex');
    await (await signIn('gina')).get('/');
    expect(await ended()).to.have.length(1);
  });

  it('after a request noted it, the job notes nothing', async () => {
    await sql("update tenants set trial_ends_at = now() - interval '1 day' where slug = 'acme'");
    forgetTenant('acme');
    await (await signIn('alice')).get('/');
    await noteTrialEndsJob.run({}, scheduler);
    expect((await ended()).map((e) => e.tenant_id)).to.deep.equal([fx.acme.id]);
  });
});
