import { h } from './harness.js';

export { h, resetDatabase } from './harness.js';
export { contactsData, loadFixtures, people, PASSWORD, type ContactName, type Fixtures, type PersonName } from './fixtures.js';
export { Browser, browserFor, hostOf, signIn, signInToPortal } from './browser.js';
export { drainJobs } from './jobs.js';
export { linkIn, type SunkMail } from './mail-sink.js';

/** Rows from the database as the owner sees them (no RLS), for assertions. */
export async function sql<T = Record<string, unknown>>(text: string, values: unknown[] = []): Promise<T[]> {
  const result = await h().owner.query(text, values);
  return result.rows as T[];
}
export { everythingLogged, everythingStored } from './dump.js';
