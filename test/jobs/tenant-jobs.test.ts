// Jobs that work for one tenant get it back from their data and run in its unit of
// work; the worker finds due work across tenants from schedules of ids only, never by
// opening every tenant under RLS.
import { expect } from 'chai';
import { Customer } from '../../src/domain/customer/customer.js';
import type { Tenant } from '../../src/domain/tenant/tenant.js';
import { inboundPruneJob, PRUNE_TENANT_INBOUND } from '../../src/jobs/inbound-prune.js';
import { outboxSweepJob } from '../../src/jobs/outbox-sweep.js';
import { portalPasswordResetRequestJob } from '../../src/jobs/password-reset-request.js';
import type { JobScheduler } from '../../src/jobs/registry.js';
import { tenantJob } from '../../src/jobs/tenant-job.js';
import { loadFixtures, sql, type Fixtures } from '../support/index.js';

describe('Tenant jobs', () => {
  let f: Fixtures;
  let queued: Array<{ name: string; data: Record<string, unknown> }>;
  const scheduler: JobScheduler = {
    async now(name, data) { queued.push({ name, data }); },
    async at(_when, name, data) { queued.push({ name, data }); },
  };
  beforeEach(async () => {
    f = await loadFixtures();
    queued = [];
  });

  async function email(tenant: Tenant, to: string, status: string, dueMinutesAgo: number): Promise<number> {
    const [row] = await sql<{ id: number }>(
      `insert into outbound_emails (tenant_id, to_address, subject, text_body, kind, status, next_attempt_at)
       values ($1, $2, 'Hello', 'Hello', 'test', $3, now() - make_interval(mins => $4)) returning id`, [tenant.id, to, status, dueMinutesAgo]);
    return row.id;
  }

  it('the outbox sweep hands on overdue queued mail of every tenant, found in the schedule, and nothing else', async () => {
    await sql('delete from outbound_emails');
    const acmeLate = await email(f.acme, 'mario@rossi.test', 'queued', 5);
    const globexLate = await email(f.globex, 'homer@springfield.test', 'queued', 5);
    await email(f.acme, 'luigi@rossi.test', 'queued', 0); // just queued: its own wake-up is on its way
    await email(f.acme, 'peach@bianchi.test', 'sent', 5);
    const retried = await email(f.globex, 'homer@springfield.test', 'queued', 5);
    // The schedule follows the email: sent, it leaves; put off, it moves.
    await sql("update outbound_emails set status = 'sent' where id = $1", [acmeLate]);
    await sql("update outbound_emails set next_attempt_at = now() + interval '1 hour' where id = $1", [retried]);
    await sql("update outbound_emails set status = 'queued' where id = $1", [acmeLate]);

    await outboxSweepJob.run({}, scheduler);
    expect(queued.map((q) => q.data).sort((a, b) => Number(a.emailId) - Number(b.emailId))).to.deep.equal([
      { tenantId: f.acme.id, emailId: acmeLate },
      { tenantId: f.globex.id, emailId: globexLate },
    ]);
    expect(queued.every((q) => q.name === 'deliver-email')).to.equal(true);
    const schedule = await sql<{ email_id: number; tenant_id: number }>('select email_id, tenant_id from outbox_schedule order by email_id');
    expect(schedule).to.have.length(4);
  });

  it('an insert of several emails at once schedules the queued ones, each at its own due time, and no other', async () => {
    await sql('delete from outbound_emails');
    // One statement, as a rule run queues its emails: the schedule is written once for all of them.
    const rows = await sql<{ id: number; status: string }>(
      `insert into outbound_emails (tenant_id, to_address, subject, text_body, kind, status, next_attempt_at)
       select $1, 'mario@rossi.test', 'Hello', 'Hello', 'test', s, now() - make_interval(mins => n::int)
         from unnest(array['queued', 'sent', 'queued', 'failed']) with ordinality as x(s, n) returning id, status`, [f.acme.id]);
    const schedule = await sql<{ email_id: number; tenant_id: number; due: boolean }>(
      'select s.email_id, s.tenant_id, s.next_attempt_at = e.next_attempt_at as due from outbox_schedule s join outbound_emails e on e.id = s.email_id order by s.email_id');
    expect(schedule).to.deep.equal(rows.filter((r) => r.status === 'queued').map((r) => ({ email_id: r.id, tenant_id: f.acme.id, due: true })));
    // Sent, it leaves the schedule as before.
    await sql("update outbound_emails set status = 'sent' where id = $1", [schedule[0].email_id]);
    expect(await sql('select email_id from outbox_schedule')).to.deep.equal([{ email_id: schedule[1].email_id }]);
  });

  it('a tenant job restores its tenant from the data and runs in its unit of work', async () => {
    await portalPasswordResetRequestJob.run({ tenantId: f.acme.id, email: 'mario@rossi.test' }, scheduler);
    expect(await sql("select to_address from outbound_emails where kind = 'contact_password_reset' and tenant_id = $1", [f.acme.id]))
      .to.deep.equal([{ to_address: 'mario@rossi.test' }]);
    // The same address in another tenant's job finds no one: the tenant is the job's.
    await portalPasswordResetRequestJob.run({ tenantId: f.globex.id, email: 'mario@rossi.test' }, scheduler);
    expect(await sql("select 1 from outbound_emails where kind = 'contact_password_reset' and tenant_id = $1", [f.globex.id])).to.deep.equal([]);
  });

  it('a tenant job rolls back when its body throws, and one without a tenant id never runs', async () => {
    let ran = 0;
    const job = tenantJob({
      name: 'test-job',
      async run({ em, tenantId }) {
        ran += 1;
        em.create(Customer, { tenant: em.getReference('Tenant', tenantId) as Tenant, name: 'Written by a job' });
        await em.flush();
        throw new Error('the job failed');
      },
    });
    let error: unknown;
    try { await job.run({ tenantId: f.acme.id }, scheduler); } catch (e) { error = e; }
    expect((error as Error).message).to.equal('the job failed');
    expect(await sql("select 1 from customers where name = 'Written by a job'")).to.deep.equal([]);
    await job.run({ tenantId: 'acme' }, scheduler);
    await job.run({}, scheduler);
    expect(ran).to.equal(1);
  });

  it('the daily inbound prune queues one prune per tenant, each a tenant job', async () => {
    await inboundPruneJob.run({}, scheduler);
    expect(queued.map((q) => q.name)).to.deep.equal([PRUNE_TENANT_INBOUND, PRUNE_TENANT_INBOUND]);
    expect(queued.map((q) => q.data.tenantId).sort()).to.deep.equal([f.acme.id, f.globex.id].sort());
  });
});
