import { expect } from 'chai';
import { programAvailable, requireProgram } from '../support/require-program.js';

// A stand-in for mocha's `this`: its skip() only records that it was called.
function fakeContext() {
  const ctx = { skipped: false, test: { parent: { fullTitle: () => 'A suite needing Nothing' } }, skip() { ctx.skipped = true; } };
  return ctx;
}

describe('requireProgram (test support)', () => {
  const saved = process.env.SPORTELLO_REQUIRE_ALL_SUITES;
  afterEach(() => { if (saved === undefined) delete process.env.SPORTELLO_REQUIRE_ALL_SUITES; else process.env.SPORTELLO_REQUIRE_ALL_SUITES = saved; });

  it('finds an installed program', () => {
    expect(programAvailable('/bin/sh')).to.equal(true);
    expect(programAvailable('/nonexistent/program')).to.equal(false);
  });

  it('skips loudly when a program is missing', () => {
    delete process.env.SPORTELLO_REQUIRE_ALL_SUITES;
    const written: string[] = [];
    const write = process.stderr.write;
    process.stderr.write = ((chunk: string) => { written.push(String(chunk)); return true; }) as typeof process.stderr.write;
    const ctx = fakeContext();
    try { requireProgram(ctx as unknown as Mocha.Context, '/nonexistent/program', 'Nothing'); } finally { process.stderr.write = write; }
    expect(ctx.skipped).to.equal(true);
    expect(written.join('')).to.match(/SKIPPED: "A suite needing Nothing" — Nothing \(\/nonexistent\/program\) is not installed/);
  });

  it('fails instead of skipping when SPORTELLO_REQUIRE_ALL_SUITES=1', () => {
    process.env.SPORTELLO_REQUIRE_ALL_SUITES = '1';
    const ctx = fakeContext();
    expect(() => requireProgram(ctx as unknown as Mocha.Context, '/nonexistent/program', 'Nothing')).to.throw(/SPORTELLO_REQUIRE_ALL_SUITES=1 forbids skipping "A suite needing Nothing"/);
    expect(ctx.skipped).to.equal(false);
  });
});
