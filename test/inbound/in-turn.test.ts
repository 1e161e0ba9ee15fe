// The poll's messages in turn (src/inbound/in-turn.ts), with turns that record what
// happens when: each unit of work begins only after the one before has committed and
// been handed on (flagged \Seen), the next message is read while one commits, and a
// read or a flag that fails touches nothing before it and lets nothing after it in.
import { expect } from 'chai';
import { ingestInTurn, READ_AHEAD_BYTES, type Turn } from '../../src/inbound/in-turn.js';

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Items 1..n read and ingested with a few ticks' wait in each step, their steps logged in order. */
function recorder(options: { size?: (item: number) => number; failRead?: number; failCommitted?: number } = {}) {
  const log: string[] = [];
  const read = async (item: number): Promise<Turn<string>> => {
    log.push(`read ${item}`);
    await tick();
    if (item === options.failRead) throw new Error(`message ${item} cannot be read`);
    return {
      size: options.size?.(item) ?? 1000,
      async ingest(written) {
        log.push(`begin ${item}`);
        await tick();
        log.push(`commit ${item}`);
        written();
        await tick(); await tick(); await tick();
        log.push(`committed ${item}`);
        return `result ${item}`;
      },
    };
  };
  const committed = async (item: number, result: string | undefined) => {
    if (item === options.failCommitted) throw new Error('the connection broke before the flag');
    await tick();
    log.push(`seen ${item} (${result})`);
  };
  return { log, read, committed };
}

describe('Messages ingested in turn', () => {
  it('begins each unit of work after the one before has committed and been flagged, reading the next meanwhile', async () => {
    const r = recorder();
    await ingestInTurn([1, 2, 3], r.read, r.committed);
    expect(r.log).to.deep.equal([
      'read 1', 'begin 1', 'commit 1', 'read 2', 'committed 1', 'seen 1 (result 1)',
      'begin 2', 'commit 2', 'read 3', 'committed 2', 'seen 2 (result 2)',
      'begin 3', 'commit 3', 'committed 3', 'seen 3 (result 3)',
    ]);
  });

  it('reads ahead only behind a small message: two large ones are never held at once', async () => {
    const r = recorder({ size: (item) => (item === 1 ? READ_AHEAD_BYTES + 1 : 1000) });
    await ingestInTurn([1, 2], r.read, r.committed);
    expect(r.log.indexOf('read 2')).to.be.greaterThan(r.log.indexOf('committed 1'));
  });

  it('commits and flags the message before one that cannot be read, then stops at it', async () => {
    const r = recorder({ failRead: 2 });
    let thrown: unknown;
    await ingestInTurn([1, 2, 3], r.read, r.committed).catch((error: unknown) => { thrown = error; });
    expect((thrown as Error).message).to.equal('message 2 cannot be read');
    // The failed read of 2 happened while 1 committed, and changed nothing of it.
    expect(r.log).to.deep.equal(['read 1', 'begin 1', 'commit 1', 'read 2', 'committed 1', 'seen 1 (result 1)']);
  });

  it('lets no later message in when a flag fails after a commit (the next poll finds the message again)', async () => {
    const r = recorder({ failCommitted: 1 });
    let thrown: unknown;
    await ingestInTurn([1, 2, 3], r.read, r.committed).catch((error: unknown) => { thrown = error; });
    expect((thrown as Error).message).to.equal('the connection broke before the flag');
    await tick(); await tick();
    // 2 was read ahead (no database), but its unit of work never began.
    expect(r.log).to.deep.equal(['read 1', 'begin 1', 'commit 1', 'read 2', 'committed 1']);
  });

  it('takes a message that is gone (no turn) and goes on with the next', async () => {
    const seen: Array<[number, string | undefined]> = [];
    await ingestInTurn([1, 2], async (item) => (item === 1 ? undefined : { size: 1, ingest: async () => 'two' }), async (item, result) => { seen.push([item, result]); });
    expect(seen).to.deep.equal([[1, undefined], [2, 'two']]);
  });
});
