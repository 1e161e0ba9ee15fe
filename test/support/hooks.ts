// Root hooks (loaded first, as a spec file, so it shares modules with the tests):
// one harness for the run, a clean database before each test.
import { bootHarness, h, resetDatabase } from './harness.js';

before(async function () {
  this.timeout(120_000);
  await bootHarness();
});

beforeEach(async () => {
  await resetDatabase();
});

after(async function () {
  this.timeout(30_000);
  await h().close();
});
