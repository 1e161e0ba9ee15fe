// work.behind: a unit of work's last write, left unanswered by the work: what the unit sends
// after it (the before-commit subscribers' statements, the commit) goes out behind it without
// waiting for its answer; the unit still commits only what it wrote, and fails — rolling back,
// with the write's own error — when the write fails.
import { expect } from 'chai';
import { raise } from '../../src/domain/events.js';
import { inTenantWork, subscribe } from '../../src/db/unit-of-work.js';
import { loadFixtures, type Fixtures } from '../support/index.js';
import { socketWrites } from '../support/socket-writes.js';

const notes = (f: Fixtures) => inTenantWork(f.acme.id, ({ sql }) => sql.one<{ notes: string | null }>('select notes from customers where tenant_id = $1 and is_default', [sql.tenantId]));

describe('The write a unit of work leaves behind (work.behind)', () => {
  let f: Fixtures;
  let unsubscribe: (() => void) | undefined;
  beforeEach(async () => {
    f = await loadFixtures();
  });
  afterEach(() => unsubscribe?.());

  it('sends the commit with the write, before its answer, and commits it', async () => {
    const { writes } = await socketWrites(() => inTenantWork(f.acme.id, async (work) => {
      await work.sql.query('select 1 as n'); // as the rules' write follows the event's read (the begin answered)
      work.behind(work.sql.query("update customers set notes = 'written behind' where tenant_id = $1 and is_default", [work.tenantId]));
    }));
    expect(writes.some((w) => w.includes('written behind') && w.includes('commit')), 'the commit in the same socket write as the write').to.equal(true);
    expect((await notes(f))?.notes).to.equal('written behind');
  });

  it('runs the before-commit subscribers behind it: their statements see what it wrote', async () => {
    let seen: string | null | undefined;
    unsubscribe = subscribe({ name: 'test', async beforeCommit(_events, work) {
      seen = (await work.sql.one<{ notes: string | null }>('select notes from customers where tenant_id = $1 and is_default', [work.tenantId]))?.notes;
    } });
    await inTenantWork(f.acme.id, async (work) => {
      raise({ type: 'test.nothing' } as never);
      work.behind(work.sql.query("update customers set notes = 'seen behind' where tenant_id = $1 and is_default", [work.tenantId]));
    });
    expect(seen).to.equal('seen behind');
  });

  it('fails with the write’s own error when it fails, and nothing the unit wrote stays', async () => {
    unsubscribe = subscribe({ name: 'test', async beforeCommit(_events, work) {
      await work.sql.query('select 1'); // answered "transaction aborted" behind the failed write
    } });
    const failed = await inTenantWork(f.acme.id, async (work) => {
      await work.sql.query("update customers set notes = 'never committed' where tenant_id = $1 and is_default", [work.tenantId]);
      raise({ type: 'test.nothing' } as never);
      work.behind(work.sql.query('select 1 / 0'));
    }).then(() => 'committed', (error: Error) => error.message);
    expect(failed).to.match(/division by zero/);
    expect((await notes(f))?.notes).not.to.equal('never committed');
    // The connection is fine for the next unit.
    expect(await inTenantWork(f.acme.id, ({ sql }) => sql.one<{ n: number }>('select 1 as n'))).to.deep.equal({ n: 1 });
  });
});
