// Suites that need a program npm cannot install (Chromium, Dovecot, …) call
// `requireProgram` in their `before`. When the program is missing the suite is
// skipped with a loud warning — or fails when SPORTELLO_REQUIRE_ALL_SUITES=1
// (CI sets it, so no suite is ever skipped silently there).
import { accessSync, constants } from 'node:fs';

export function programAvailable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

export function requireProgram(context: Mocha.Context, path: string, name: string, install = `apt-get install -y ${name.toLowerCase()}`): void {
  if (programAvailable(path)) return;
  const what = `${name} (${path}) is not installed`;
  if (process.env.SPORTELLO_REQUIRE_ALL_SUITES === '1') {
    throw new Error(`${what}, and SPORTELLO_REQUIRE_ALL_SUITES=1 forbids skipping "${context.test?.parent?.fullTitle() ?? 'this suite'}". Install it: ${install}`);
  }
  const bar = '!'.repeat(78);
  process.stderr.write(`\n${bar}\n!! SKIPPED: "${context.test?.parent?.fullTitle() ?? 'a suite'}" — ${what}.\n!! Install it (${install}) to run it; SPORTELLO_REQUIRE_ALL_SUITES=1 turns this skip into a failure.\n${bar}\n\n`);
  context.skip();
}
