// An error that escapes every handler is logged with the request it came from, and
// the process exits 1 (after a clean stop) so that its supervisor starts a fresh one.
import { expect } from 'chai';
import { runEntry } from '../support/spawn.js';

describe('An uncaught error', function () {
  this.timeout(60_000);

  for (const kind of ['rejection', 'exception']) {
    it(`(${kind}) is logged with its request id, and the process stops with exit code 1`, async () => {
      const ran = await runEntry('test/fixtures/crash-on-purpose.ts', {}, 20_000, [kind]);
      expect(ran.code).to.equal(1);
      const fatal = ran.stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => l.level === 60);
      expect(fatal, ran.stdout + ran.stderr).to.include({ requestId: 'req-42', tenantId: 7 });
      expect(JSON.stringify(fatal)).to.contain(kind === 'rejection' ? 'boom, rejected' : 'boom, thrown');
      expect(ran.stdout).to.contain('"msg":"stopped"');
    });
  }
});
