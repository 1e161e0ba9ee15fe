import { h } from './harness.js';
import { forgetTenant } from '../../src/web/middleware/tenant-cache.js';

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

/** The workspace speaks Italian from now on (in this process at once; a spawned server within its tenant cache's 5 s). */
export async function speakItalian(slug: string, timeZone = 'Europe/Rome'): Promise<void> {
  await h().owner.query("update tenants set language = 'it', time_zone = $2 where slug = $1", [slug, timeZone]);
  forgetTenant(slug);
}
