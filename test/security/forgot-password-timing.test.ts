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

  const forms = [
    { name: 'the portal', path: '/portal/forgot-password', known: 'mario@rossi.test', unknown: 'nobody@rossi.test' },
    { name: 'the technicians\' sign-in', path: '/forgot-password', known: 'bob@acme.test', unknown: 'nobody@acme.test' },
  ];
  for (const form of forms) {
    it(`answers a known and an unknown address in the same time on ${form.name} (medians within 25 % or 2 ms)`, async () => {
      const browser = browserFor('acme');
      await browser.get(form.path);
      const timed = async (email: string) => {
        // Every sample starts with fresh limits (they are measured too, alike for both).
        await sql('delete from rate_limits');
        const started = process.hrtime.bigint();
        const res = await browser.post(form.path, { email });
        const ms = Number(process.hrtime.bigint() - started) / 1e6;
        expect(res.status).to.equal(200);
        return ms;
      };
      for (let i = 0; i < 5; i++) await timed(i % 2 ? form.known : form.unknown);
      const known: number[] = [];
      const unknown: number[] = [];
      for (let i = 0; i < SAMPLES; i++) {
        // Interleaved, and alternating which goes first, so drift in the machine's load hits both alike.
        if (i % 2) {
          known.push(await timed(form.known));
          unknown.push(await timed(form.unknown));
        } else {
          unknown.push(await timed(form.unknown));
          known.push(await timed(form.known));
        }
      }
      const [k, u] = [median(known), median(unknown)];
      const slack = Math.max(2, 0.25 * Math.min(k, u));
      expect(Math.abs(k - u), `median known ${k.toFixed(1)} ms, unknown ${u.toFixed(1)} ms`).to.be.below(slack);

      // And the work is still done: each known request mailed its owner, nobody else got anything.
      await drainJobs();
      expect(h().mail.to(form.known).length).to.equal(SAMPLES + 2);
      expect(h().mail.messages.every((m) => m.to.includes(form.known))).to.equal(true);
    });
  }
});
