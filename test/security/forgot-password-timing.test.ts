// Forgot password must not tell, by how long it takes, whether an address belongs
// to someone (the probe: ~24 ms for a known address, ~16 ms for an unknown one).
// Medians of many interleaved requests, with generous slack.
import { expect } from 'chai';
import { browserFor, drainJobs, h, loadFixtures, sql } from '../support/index.js';

const SAMPLES = 40;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return (sorted[Math.floor((sorted.length - 1) / 2)] + sorted[Math.ceil((sorted.length - 1) / 2)]) / 2;
}

describe('Security: forgot password takes as long for an unknown address as for a known one', function () {
  this.timeout(120_000);

  beforeEach(async () => {
    await loadFixtures();
  });

  it('answers a known and an unknown address in the same time (medians within 25 % or 2 ms)', async () => {
    const browser = browserFor('acme');
    await browser.get('/portal/forgot-password');
    const timed = async (email: string) => {
      // Every sample starts with fresh limits (they are measured too, alike for both).
      await sql('delete from rate_limits');
      const started = process.hrtime.bigint();
      const res = await browser.post('/portal/forgot-password', { email });
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      expect(res.status).to.equal(200);
      return ms;
    };
    for (let i = 0; i < 5; i++) await timed(i % 2 ? 'mario@rossi.test' : 'nobody@rossi.test');
    const known: number[] = [];
    const unknown: number[] = [];
    for (let i = 0; i < SAMPLES; i++) {
      // Interleaved, and alternating which goes first, so drift in the machine's load hits both alike.
      if (i % 2) {
        known.push(await timed('mario@rossi.test'));
        unknown.push(await timed('nobody@rossi.test'));
      } else {
        unknown.push(await timed('nobody@rossi.test'));
        known.push(await timed('mario@rossi.test'));
      }
    }
    const [k, u] = [median(known), median(unknown)];
    const slack = Math.max(2, 0.25 * Math.min(k, u));
    expect(Math.abs(k - u), `median known ${k.toFixed(1)} ms, unknown ${u.toFixed(1)} ms`).to.be.below(slack);

    // And the work is still done: each known request mailed mario, nobody else got anything.
    await drainJobs();
    expect(h().mail.to('mario@rossi.test').length).to.equal(SAMPLES + 2);
    expect(h().mail.messages.every((m) => m.to.includes('mario@rossi.test'))).to.equal(true);
  });
});
